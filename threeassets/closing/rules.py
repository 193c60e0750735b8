"""Pure closing rules: month order, what blocks a close, which month may close next, year-end voucher lines."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from threeassets.core.periods import months_of, ym_label
from threeassets.ledger.rules import LedgerError

ZERO = Decimal("0")
OPEN, CLOSED = "open", "closed"
LIST_MAX = 8  # numbers named in a message before "等N个"


class ClosingError(LedgerError):
    """A month or year cannot be closed or reopened; the message says everything that is wrong."""


def _labels(numbers: list[int]) -> str:
    """记-0003、记-0005 … with at most LIST_MAX named."""
    named = "、".join(f"记-{n:04d}" for n in numbers[:LIST_MAX])
    return named + (f" 等{len(numbers)}个" if len(numbers) > LIST_MAX else "")


def number_problems(numbers: list[int], last: int) -> list[str]:
    """Posted numbers of a month must be exactly 1..last, each once (last = the month's counter)."""
    seen = Counter(numbers)
    problems = []
    dup = sorted(n for n, c in seen.items() if c > 1)
    if dup:
        problems.append(f"凭证号重复：{_labels(dup)}")
    missing = sorted(set(range(1, last + 1)) - set(seen))
    if missing:
        problems.append(f"凭证号不连续，缺少 {_labels(missing)}")
    beyond = sorted(n for n in seen if n < 1 or n > last)
    if beyond:
        problems.append(f"凭证号超出本月编号 1–{last}：{_labels(beyond)}")
    return problems


def order_problems(ym: int, earlier: dict[int, str]) -> list[str]:
    """Months close in order: no earlier period may be open, and every earlier year with books must be
    year-closed (its December closed). `earlier` maps the village's periods before ym to their status."""
    problems = []
    still_open = sorted(m for m, status in earlier.items() if status != CLOSED)
    if still_open:
        problems.append(f"之前的期间 {'、'.join(ym_label(m) for m in still_open[:LIST_MAX])} 尚未结账"
                        + (f" 等{len(still_open)}个" if len(still_open) > LIST_MAX else ""))
    years = sorted({m // 100 for m in earlier if m // 100 < ym // 100})
    unclosed = [y for y in years if earlier.get(y * 100 + 12) != CLOSED]
    if unclosed:
        problems.append(f"{'、'.join(str(y) for y in unclosed)} 年尚未年结")
    return problems


@dataclass(frozen=True)
class MonthCounts:
    """Vouchers of one month by state."""

    drafts: int = 0
    reviewed: int = 0
    posted: int = 0


def content_problems(counts: MonthCounts, numbers: list[int], last: int) -> list[str]:
    """What inside the month blocks its close: drafts, reviewed-unposted vouchers, broken numbering."""
    problems = []
    if counts.drafts:
        problems.append(f"有 {counts.drafts} 张凭证未审核")
    if counts.reviewed:
        problems.append(f"有 {counts.reviewed} 张凭证已审核未记账")
    return problems + number_problems(numbers, last)


def timing_problems(ym: int, today_ym: int) -> list[str]:
    """A month that has not begun cannot close (closing it would lock every earlier month without books)."""
    return [f"{ym_label(ym)} 尚未开始"] if ym > today_ym else []


def refusal(ym: int, problems: list[str], what: str = "结账") -> str:
    """One sentence naming every problem: '2024-05 不能结账：有 2 张凭证未审核；2024-04 尚未结账'."""
    return f"{ym_label(ym)} 不能{what}：" + "；".join(problems)


def next_closable(year: int, statuses: dict[int, str], blocked: bool = False) -> int | None:
    """The month of `year` the 结账 button is for: the first open period (months without books are skipped),
    unless an earlier year blocks or that month is December (closed by 年结)."""
    if blocked:
        return None
    for ym in months_of(year):
        if statuses.get(ym) == OPEN:
            return ym if ym % 100 != 12 else None
    return None


def year_closable(year: int, statuses: dict[int, str], blocked: bool = False) -> bool:
    """Whether 年结 may be offered: nothing earlier blocks, January–November are not open, December not closed."""
    months = months_of(year)
    return (not blocked and all(statuses.get(ym) != OPEN for ym in months[:11])
            and statuses.get(months[11]) != CLOSED)


@dataclass(frozen=True)
class Balance:
    """A leaf account's net debit balance (debit − credit)."""

    account_id: int
    code: str
    name: str
    net: Decimal


Line = tuple[int, str, Decimal, Decimal]  # (account id, summary, debit, credit)


def _zeroing(b: Balance, summary: str) -> Line:
    """The line that brings a balance to zero: a debit balance is credited, a credit balance debited."""
    return (b.account_id, summary, -b.net if b.net < 0 else ZERO, b.net if b.net > 0 else ZERO)


def closing_lines(income_expense: list[Balance], target_id: int) -> list[Line]:
    """结转本年收益: zero every income and expense leaf into 本年收益; the target gets the income total on the
    credit side and the expense total on the debit side (zero balances make no line)."""
    lines = [_zeroing(b, f"结转{b.name}") for b in sorted(income_expense, key=lambda x: x.code) if b.net]
    to_credit = sum((ln[2] for ln in lines), ZERO)  # income accounts debited → 本年收益 credited
    to_debit = sum((ln[3] for ln in lines), ZERO)
    if to_credit:
        lines.append((target_id, "结转本年收入", ZERO, to_credit))
    if to_debit:
        lines.append((target_id, "结转本年支出", to_debit, ZERO))
    return lines


def carry_lines(sources: list[tuple[Balance, str]], target_id: int) -> list[Line]:
    """Move each source balance into the target account: a zeroing line and its mirror on the target."""
    lines: list[Line] = []
    for b, summary in sources:
        if b.net and b.account_id != target_id:
            zero = _zeroing(b, summary)
            lines += [zero, (target_id, summary, zero[3], zero[2])]
    return lines


def voucher_total(lines: list[Line]) -> Decimal:
    """Debit total of generated lines (equal to the credit total by construction)."""
    return sum((ln[2] for ln in lines), ZERO)
