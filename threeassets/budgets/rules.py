"""Pure budget rules: parsing typed or imported entries, roll-up over the account tree, execution figures."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from threeassets.core.money import AmountError, parse_amount

ZERO = Decimal("0")
PCT = Decimal("0.1")
YEAR_RE = re.compile(r"^\d{4}$")
MIN_YEAR, MAX_YEAR = 2000, 2100
NOTE_MAX = 200
# Generated vouchers that move income and expense balances into equity at year end: they are bookkeeping,
# not activity, so the year's actual leaves them out (else December would show every account at zero).
CLOSING_KINDS = ("year_close", "carry")
SECTIONS = {"income": "收入", "expense": "支出"}
OTHER_SECTION = "其他"


@dataclass(frozen=True)
class Entry:
    """One budget figure: an account code of the village, the amount and an optional note."""

    code: str
    amount: Decimal
    note: str = ""


@dataclass
class BvaRow:
    """One line of budget vs actual: the year's budget, the actual so far, and how far it is executed."""

    code: str
    name: str
    level: int
    category: str
    budget: Decimal | None
    actual: Decimal

    @property
    def section(self) -> str:
        """收入, 支出 or 其他 (accounts budgeted outside income and expense, e.g. fixed assets to buy)."""
        return SECTIONS.get(self.category, OTHER_SECTION)

    @property
    def variance(self) -> Decimal:
        """Actual less budget (no budget counts as zero)."""
        return self.actual - (self.budget or ZERO)

    @property
    def pct(self) -> Decimal | None:
        """Percentage executed, one decimal; None without a non-zero budget."""
        return executed_pct(self.budget, self.actual)


def parse_year(text) -> int | None:
    """A budget year 2000..2100 from text, or None when it is not one."""
    s = str(text or "").strip()
    if not YEAR_RE.match(s) or not MIN_YEAR <= int(s) <= MAX_YEAR:
        return None
    return int(s)


def parse_entry(code: str, amount_text: str | None, note: str = "") -> tuple[Entry | None, dict[str, str]]:
    """Check one typed row: (entry, or None for a blank amount; {field: problem})."""
    code, note = (code or "").strip(), (note or "").strip()
    problems: dict[str, str] = {}
    try:
        amount = parse_amount(amount_text)
    except AmountError as exc:
        problems["amount"] = str(exc)
        amount = None
    if len(note) > NOTE_MAX:
        problems["note"] = f"备注最多{NOTE_MAX}字"
    if amount is None:
        if note and "amount" not in problems:
            problems["amount"] = "填写了备注，请同时填写预算金额"
        return None, problems
    if not code:
        problems["code"] = "请填写科目编码"
    return (None if problems else Entry(code, amount, note)), problems


def ancestors(code: str, parent_of: dict[str, str | None]) -> tuple[str, ...]:
    """The codes above `code` in the chart, nearest first (a cycle in bad data ends the walk)."""
    out, up = [], parent_of.get(code)
    while up is not None and up not in out:
        out.append(up)
        up = parent_of.get(up)
    return tuple(out)


def nested_pairs(codes: set[str], parent_of: dict[str, str | None]) -> list[tuple[str, str]]:
    """(child, ancestor) pairs where both carry a budget: a figure and its parts would count twice."""
    return [(code, up) for code in sorted(codes) for up in ancestors(code, parent_of) if up in codes]


def roll_up(amounts: dict[str, Decimal], parent_of: dict[str, str | None]) -> dict[str, Decimal]:
    """Amount per code with every ancestor carrying the sum of the amounts below it."""
    out: dict[str, Decimal] = {}
    for code, amount in amounts.items():
        for node in (code, *ancestors(code, parent_of)):
            out[node] = out.get(node, ZERO) + amount
    return out


def actual_amount(normal_side: str, debit: Decimal, credit: Decimal) -> Decimal:
    """The movement on the account's own side: income is credit less debit, expense debit less credit."""
    return credit - debit if normal_side == "credit" else debit - credit


def executed_pct(budget: Decimal | None, actual: Decimal) -> Decimal | None:
    """Actual as a percentage of budget, one decimal, half up; None without a non-zero budget."""
    if not budget:
        return None
    return (actual * 100 / budget).quantize(PCT, rounding=ROUND_HALF_UP)


def section_totals(rows: list[BvaRow]) -> dict[str, tuple[Decimal, Decimal]]:
    """(budget, actual) of 收入 and 支出 over first-level rows, and their difference as 收支差额."""
    sums = {label: [ZERO, ZERO] for label in SECTIONS.values()}
    for r in rows:
        if r.level == 1 and r.section in sums:
            sums[r.section][0] += r.budget or ZERO
            sums[r.section][1] += r.actual
    income, expense = sums[SECTIONS["income"]], sums[SECTIONS["expense"]]
    out = {k: (v[0], v[1]) for k, v in sums.items()}
    out["收支差额"] = (income[0] - expense[0], income[1] - expense[1])
    return out


def clamp_upto(year: int, upto_ym: int) -> int:
    """The last month counted: within the budget year (a month after it counts as December)."""
    return min(max(upto_ym, year * 100 + 1), year * 100 + 12)
