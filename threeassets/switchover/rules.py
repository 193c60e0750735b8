"""Pure switch-over rules: the 2004 chart and default mapping as data, reading a 2023-12-31 trial balance
under the 2004 chart, checking a township's mapping, and whether a village may still switch. No database here."""
from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from threeassets.core.csvio import MB, ImportError_, Limits, Table
from threeassets.core.money import AmountError, fmt, parse_amount
from threeassets.core.workflow import permitted
from threeassets.ledger.openings.rules import adjustment_problems
from threeassets.ledger.rules import split_balance

TB_COLUMNS = ["account_code", "account_name", "debit_balance", "credit_balance"]
# A village's trial balance has a few hundred accounts: the file, previewed in the request, stays small.
TB_LIMITS = Limits(rows=5_000, bytes=2 * MB, unpacked=16 * MB, seconds=30)
CODE_RE = re.compile(r"^\d{3,16}$")
SUFFIX_RE = re.compile(r"^\d{2,4}$")  # a sub-account adds 2–4 digits to its parent's code (ledger.chart)
FIRST = 3  # first-level codes have three digits in both charts
NAME_MAX = 60
OPENING_YM = 202401
OPENING_SUMMARY = "期初建账（由2004年科目转换）"
ZERO = Decimal("0")
RESULT_CODE = "321"  # 本年收益: zero once the 2023 year was closed and carried to 收益分配
PL_CATEGORIES = ("income", "expense")


@dataclass(frozen=True)
class OldLine:
    """One row of the 2023-12-31 trial balance under the 2004 chart, with its file line."""

    line: int
    code: str
    name: str
    debit: Decimal
    credit: Decimal

    @property
    def net(self) -> Decimal:
        """Net debit balance."""
        return self.debit - self.credit


@dataclass(frozen=True)
class MappingRow:
    """Where an old code goes: a 2023 first-level code, or one of its sub-account codes; blank is unmapped."""

    old_code: str
    new_code: str
    note: str = ""


# Switching a village over (its one opening voucher) needs this permission (auth.rules.PERMISSIONS).
ACTION_PERMISSION = {"switch": "voucher.post"}


@dataclass(frozen=True)
class SwitchFacts:
    """What decides whether a village may still be switched over."""

    switched: bool  # its opening balances (or an earlier release's opening voucher) exist
    posted_by_opening: bool  # a voucher is posted in or before 2024-01
    closed_since_opening: bool  # a month from 2024-01 on is closed


def switch_refusal(facts: SwitchFacts) -> str | None:
    """Why the village cannot be switched: already switched, postings in or before 2024-01, or a closed month
    from 2024-01 on (the opening voucher would change the balances stored when it was closed); None when it may
    be. The switch refuses with this sentence; the page offers the upload only when it allows it."""
    if facts.switched:
        return "本村已完成新旧制度转换（已有期初余额或期初建账凭证），不能重复转换"
    if facts.posted_by_opening:
        return "本村2024年1月或以前已有记账凭证，不能再由2004年科目余额表建账"
    if facts.closed_since_opening:
        return "本村2024年已有结账的会计期间，不能再由2004年科目余额表建账"
    return None


def switch_actions(facts: SwitchFacts, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on the village's switch-over: ["switch"] or none."""
    return permitted(("switch",), permissions, ACTION_PERMISSION, lambda _action: switch_refusal(facts))


def _data(name: str) -> str:
    """A CSV shipped in the package's data folder."""
    return resources.files("threeassets.switchover").joinpath(f"data/{name}").read_text("utf-8")


@lru_cache(maxsize=1)
def chart_2004() -> dict[str, str]:
    """The 2004 chart's first-level accounts: code → name."""
    return {r["code"]: r["name"] for r in csv.DictReader(_data("chart_2004.csv").splitlines())}


# First-level codes many local 2004-based charts added (not in the 2004 standard); the defaults map them too.
LOCAL_2004 = {"161": "无形资产", "241": "专项应付款"}


def names_2004() -> dict[str, str]:
    """Names of the old first-level codes: the 2004 chart and the usual local additions."""
    return {**LOCAL_2004, **chart_2004()}


@lru_cache(maxsize=1)
def default_mapping() -> tuple[MappingRow, ...]:
    """The default 2004 → 2023 mapping (see docs/switchover.md for the source of every row)."""
    return tuple(MappingRow(r["old_code"], r["new_code"], r["note"])
                 for r in csv.DictReader(_data("mapping_2004_2023.csv").splitlines()))


def target_problem(new_code: str, chart_2023: dict[str, dict]) -> str | None:
    """Why a mapping target is not usable: it must be a 2023 first-level code, optionally plus 2–4 digits."""
    if new_code[:FIRST] not in chart_2023:
        return f"{new_code} 不是2023年制度的科目"
    if len(new_code) > FIRST and not SUFFIX_RE.match(new_code[FIRST:]):
        return f"{new_code}：明细科目编码应为一级科目编码加2至4位数字"
    return None


def check_mapping(rows: list[MappingRow], chart_2023: dict[str, dict]) -> list[str]:
    """Every problem of a mapping a township typed: none at all, bad or repeated old codes, targets outside the
    2023 chart."""
    if not rows:
        return ["没有可保存的科目对应关系（表单为空）"]
    problems, seen = [], set()
    for r in rows:
        if not CODE_RE.match(r.old_code):
            problems.append(f"原科目编码“{r.old_code}”应为3位以上数字")
        elif r.old_code in seen:
            problems.append(f"原科目 {r.old_code} 重复")
        seen.add(r.old_code)
        if r.new_code and (why := target_problem(r.new_code, chart_2023)):
            problems.append(f"原科目 {r.old_code}：{why}")
        if len(r.note) > 200:
            problems.append(f"原科目 {r.old_code}：说明最多200字")
    return problems


def _amount(table: Table, lineno: int, row: dict, column: str, errors: list) -> Decimal:
    """A non-negative balance with at most two decimals (blank is zero), noting a problem."""
    try:
        return parse_amount(row[column]) or ZERO
    except AmountError as exc:
        errors.append((table.name, lineno, column, str(exc)))
        return ZERO


def _row(table: Table, lineno: int, row: dict, errors: list) -> OldLine:
    """One trial-balance row, noting each bad cell."""
    code, name = row["account_code"], row["account_name"]
    if not CODE_RE.match(code):
        errors.append((table.name, lineno, "account_code", f"科目编码“{code}”应为3位以上数字"))
    if not name or len(name) > NAME_MAX:
        errors.append((table.name, lineno, "account_name", f"请填写科目名称（不超过{NAME_MAX}字）"))
    debit = _amount(table, lineno, row, "debit_balance", errors)
    credit = _amount(table, lineno, row, "credit_balance", errors)
    if debit and credit:
        errors.append((table.name, lineno, "credit_balance", "余额只能在借方或贷方之一"))
    return OldLine(lineno, code, name, debit, credit)


def file_parent(code: str, codes: set[str]) -> str | None:
    """The row a code sits under: the longest other code of the file that prefixes it, else its first level."""
    for n in range(len(code) - 1, FIRST - 1, -1):
        if code[:n] in codes:
            return code[:n]
    return code[:FIRST] if len(code) > FIRST else None


def file_leaves(lines: list[OldLine]) -> list[OldLine]:
    """Rows no other row sits under: only these carry amounts (parent rows repeat their children's sum)."""
    codes = {ln.code for ln in lines}
    parents = {file_parent(ln.code, codes) for ln in lines}
    return [ln for ln in lines if ln.code not in parents]


def _structure_errors(table: Table, lines: list[OldLine]) -> list[tuple[str, int, str, str]]:
    """Parent rows that differ from their children's sum, and a file whose leaves do not balance."""
    codes = {ln.code for ln in lines}
    sums: dict[str, Decimal] = {}
    for ln in lines:
        parent = file_parent(ln.code, codes)
        if parent in codes:
            sums[parent] = sums.get(parent, ZERO) + ln.net
    errors = [(table.name, ln.line, "debit_balance",
               f"科目 {ln.code} 的余额 {ln.net:,.2f} 与其下级科目合计 {sums[ln.code]:,.2f} 不符")
              for ln in lines if ln.code in sums and sums[ln.code] != ln.net]
    leaves = file_leaves(lines)
    debit, credit = sum((x.debit for x in leaves), ZERO), sum((x.credit for x in leaves), ZERO)
    if debit != credit:
        errors.append((table.name, lines[-1].line, "credit_balance",
                       f"余额表借贷不平衡：末级科目借方余额合计 {debit:,.2f}，贷方余额合计 {credit:,.2f}"))
    return errors


def parse_tb(table: Table) -> list[OldLine]:
    """Read and check a trial balance (all-or-nothing): codes, names, amounts, repeats, roll-ups, balance."""
    errors: list[tuple[str, int, str, str]] = []
    lines, seen = [], set()
    for lineno, row in table.rows:
        line = _row(table, lineno, row, errors)
        if line.code in seen:
            errors.append((table.name, lineno, "account_code", f"科目 {line.code} 重复"))
        seen.add(line.code)
        lines.append(line)
    if not lines:
        errors.append((table.name, 2, "-", "余额表没有数据行"))
    if errors:
        raise ImportError_(errors[:200])
    structure = _structure_errors(table, lines)
    if structure:
        raise ImportError_(structure[:200])
    return lines


def tb_text(lines: list[OldLine]) -> str:
    """The trial balance back as canonical CSV (carried from the preview to the confirmation)."""
    out = [",".join(TB_COLUMNS)]
    for ln in lines:
        name = ln.name.replace('"', '""')
        out.append(f'{ln.code},"{name}",{ln.debit or ""},{ln.credit or ""}')
    return "\n".join(out) + "\n"


# Stock-take adjustments (清产核资调整, 财会〔2023〕20号's step 3) typed on the preview, applied after the
# converted balances in the switch's transaction.
ADJUSTMENTS_MAX = 50  # per switch; more are registered on the 期初余额 page afterwards
ADJUSTMENT_FIELDS = ("kind", "debit", "credit", "amount", "reason")  # in the order of the row
ADJUSTMENT_KEY = re.compile(r"^adj-(kind|debit|credit|amount|reason)-(\d{1,3})$")


@dataclass(frozen=True)
class TypedAdjustment:
    """One adjustment row as typed on the preview (the amount as text, so the page shows it back as it was)."""

    kind: str = ""
    debit: str = ""
    credit: str = ""
    amount_text: str = ""
    reason: str = ""

    @property
    def blank(self) -> bool:
        """Nothing but (perhaps) the kind chosen: the row is left out."""
        return not (self.debit or self.credit or self.amount_text or self.reason)

    @property
    def amount(self) -> Decimal | None:
        """The amount, None when blank or not an amount."""
        try:
            return parse_amount(self.amount_text)
        except AmountError:
            return None

    @property
    def shown_amount(self) -> str:
        """The amount as the page shows it back: 8,000.00 for 8000, as typed when it does not read."""
        amount = self.amount
        return fmt(amount) if amount is not None else self.amount_text


def typed_adjustments(form: Mapping[str, str]) -> list[TypedAdjustment]:
    """The filled adjustment rows of a posted preview (fields adj-<field>-<n>), in row order."""
    cells: dict[int, dict[str, str]] = {}
    for key in form:
        if m := ADJUSTMENT_KEY.match(key):
            cells.setdefault(int(m.group(2)), {})[m.group(1)] = str(form.get(key) or "").strip()
    rows = [TypedAdjustment(c.get("kind", ""), c.get("debit", ""), c.get("credit", ""), c.get("amount", ""),
                            c.get("reason", "")) for _n, c in sorted(cells.items())]
    return [r for r in rows if not r.blank]


def adjustments_key(rows: Iterable[TypedAdjustment]) -> str:
    """A digest of the rows as previewed: confirming other rows than those shown shows them again first."""
    text = "\n".join("|".join((r.kind, r.debit, r.credit, r.shown_amount, r.reason)) for r in rows)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def no_balance_codes(chart_2023: Mapping[str, dict]) -> set[str]:
    """First-level 2023 codes that open with no balance: income, expense and 本年收益."""
    return {code for code, r in chart_2023.items() if r["category"] in PL_CATEGORIES or code == RESULT_CODE}


def adjustment_row_problems(row: TypedAdjustment, leaves: Collection[str],
                            no_balance: Collection[str]) -> dict[str, str]:
    """Field → reason for one typed row: the openings' own checks, an amount that does not read, an account that
    is no leaf of the chart after the switch, or one that opens with no balance (income, expense, 本年收益)."""
    try:
        amount, bad_amount = parse_amount(row.amount_text), None
    except AmountError as exc:
        amount, bad_amount = None, str(exc)
    problems = adjustment_problems(row.kind, row.debit, row.credit, amount, row.reason)
    if bad_amount:
        problems["amount"] = bad_amount
    for field, code in (("debit", row.debit), ("credit", row.credit)):
        if not code or field in problems:
            continue
        if code not in leaves:
            problems[field] = f"科目 {code} 不是转换后的末级科目"
        elif code[:FIRST] in no_balance:
            problems[field] = f"科目 {code} 是损益类或本年收益科目，期初不应有余额"
    return {f: problems[f] for f in ADJUSTMENT_FIELDS if f in problems}


def adjustments_problems(rows: list[TypedAdjustment], leaves: Collection[str],
                         no_balance: Collection[str]) -> dict[int, dict[str, str]]:
    """Row index → field → reason, for the rows that cannot be applied (past the most a switch takes, too)."""
    out = {}
    for n, row in enumerate(rows):
        problems = adjustment_row_problems(row, leaves, no_balance)
        if n >= ADJUSTMENTS_MAX:
            problems["reason"] = f"转换时最多登记{ADJUSTMENTS_MAX}笔调整，其余请转换后在期初余额页面登记"
        if problems:
            out[n] = problems
    return out


@dataclass(frozen=True)
class AdjustedLine:
    """An account's 2024-01-01 opening: the converted balance (net debit), the adjustments on each side, and
    the adjusted balance."""

    code: str
    converted: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def adjusted(self) -> Decimal:
        return self.converted + self.debit - self.credit

    def sides(self) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal]:
        """(converted debit, credit, adjustment debit, credit, adjusted debit, credit) as the preview shows them."""
        return (*split_balance(self.converted), self.debit, self.credit, *split_balance(self.adjusted))


def adjusted_openings(converted: Mapping[str, Decimal], rows: Iterable[TypedAdjustment]) -> list[AdjustedLine]:
    """Every account with a converted balance or an adjustment, in code order: converted ± the adjustments
    (debit adds, credit takes away, as a net debit balance)."""
    debit: dict[str, Decimal] = {}
    credit: dict[str, Decimal] = {}
    for r in rows:
        debit[r.debit] = debit.get(r.debit, ZERO) + (r.amount or ZERO)
        credit[r.credit] = credit.get(r.credit, ZERO) + (r.amount or ZERO)
    codes = sorted({c for c, net in converted.items() if net} | set(debit) | set(credit))
    return [AdjustedLine(c, converted.get(c, ZERO), debit.get(c, ZERO), credit.get(c, ZERO)) for c in codes]


def adjusted_totals(lines: Iterable[AdjustedLine]) -> tuple[Decimal, ...]:
    """The six column totals of adjusted_openings (each pair balances when the openings and rows do)."""
    sums = [ZERO] * 6
    for line in lines:
        sums = [a + b for a, b in zip(sums, line.sides(), strict=True)]
    return tuple(sums)
