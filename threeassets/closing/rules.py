"""Pure closing rules: month order, what blocks a close, who may close, year-close or reopen a month, year-end
voucher lines."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from threeassets.core.periods import month_end, months_of, ym_label, ym_of
from threeassets.core.workflow import Workflow, permitted
from threeassets.ledger.rules import LIST_MAX, LedgerError, number_problems

ZERO = Decimal("0")
OPEN, CLOSED = "open", "closed"


class ClosingError(LedgerError):
    """A month or year cannot be closed or reopened; the message says everything that is wrong."""


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


def closes_from(ym: int, today: date) -> date | None:
    """The day from which the month may close: its last day, while that is still to come; None once it may."""
    last = month_end(ym)
    return last if today < last else None


def timing_problems(ym: int, today: date, what: str = "结账") -> list[str]:
    """A month closes from its last day on: one that has not begun would lock every earlier month without books,
    and one under way would refuse the vouchers of its remaining days."""
    if ym > ym_of(today):
        return [f"{ym_label(ym)} 尚未开始"]
    if last := closes_from(ym, today):
        return [f"{ym_label(ym)} 尚未结束，{last.month} 月 {last.day} 日起可{what}"]
    return []


def refusal(ym: int, problems: list[str], what: str = "结账") -> str:
    """One sentence naming every problem: '2024-05 不能结账：有 2 张凭证未审核；2024-04 尚未结账'."""
    return f"{ym_label(ym)} 不能{what}：" + "；".join(problems)


# The life of a month: open while vouchers are written; 结账 (or 年结 for December) closes it; 反结账 opens it again.
STATE_LABELS = {OPEN: "未结账", CLOSED: "已结账"}
ACTIONS = ("close", "year_close", "reopen")
ACTION_LABELS = {"close": "结账", "year_close": "年结", "reopen": "反结账"}
PERIOD_FLOW = Workflow({(OPEN, "close"): CLOSED, (OPEN, "year_close"): CLOSED, (CLOSED, "reopen"): OPEN},
                       "期间{state}，不能{action}", STATE_LABELS, ACTION_LABELS)
# The permission (auth.rules.PERMISSIONS) each action needs.
ACTION_PERMISSION = {"close": "period.close", "year_close": "period.close", "reopen": "period.reopen"}
# A move the table refuses, said of the month ({ym}) or its year ({year}).
STATE_REFUSALS = {"close": "{ym} 已结账",
                  "year_close": "{year} 年已年结；如需调整，请由中心主任对 {ym} 反结账后重新年结",
                  "reopen": "{ym} 未结账，无需反结账"}


@dataclass(frozen=True)
class PeriodFacts:
    """What the rules of closing, year-closing and reopening a month need to know about it."""

    ym: int
    status: str | None  # None: no books that month yet (no period row)
    today: date
    earlier: Mapping[int, str] = field(default_factory=dict)  # the village's periods before ym → their status
    inside: tuple[str, ...] = ()  # what inside the month blocks a close (content_problems); known when closing


def period_refusal(facts: PeriodFacts, action: str) -> str | None:
    """Why the month may not be closed (结账), year-closed (年结, December) or reopened (反结账): its state, and for a
    close every problem at once (not begun, unfinished vouchers, earlier months or years open) in one sentence;
    None when the rules allow it. The services refuse with this sentence; the page offers only what it allows."""
    label = ym_label(facts.ym)
    if action == "close" and facts.ym % 100 == 12:
        return f"{label} 是年末月份，请执行年结（结转本年收益后结账）"
    if action == "year_close" and facts.ym % 100 != 12:
        return f"{label} 不是年末月份，年结在 12 月办理"
    state = facts.status or OPEN  # a month without books is open: the first voucher or a close opens its period
    if not PERIOD_FLOW.allows(state, action):
        sentence = STATE_REFUSALS.get(action)
        return sentence.format(ym=label, year=facts.ym // 100) if sentence else PERIOD_FLOW.why_not(state, action)
    if action == "reopen":
        return None
    problems = (timing_problems(facts.ym, facts.today, ACTION_LABELS[action]) + list(facts.inside)
                + order_problems(facts.ym, dict(facts.earlier)))
    return refusal(facts.ym, problems, ACTION_LABELS[action]) if problems else None


def year_facts(year: int, statuses: Mapping[int, str], before: Mapping[int, str], today: date) -> list[PeriodFacts]:
    """The facts of each month of a year as the closing page sees them (nothing inside looked at): its status
    (`statuses`, months without books missing) and every earlier period: those before the year (`before`), then
    the year's earlier months."""
    earlier, out = dict(before), []
    for ym in months_of(year):
        status = statuses.get(ym)
        out.append(PeriodFacts(ym, status, today, dict(earlier)))
        if status is not None:
            earlier[ym] = status
    return out


def period_actions(facts: PeriodFacts, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on the month, in ACTIONS order. 结账 is offered for a
    month with books only: an empty month has nothing to close (asked for by name, as the CLI does, it closes)."""
    offered = [a for a in ACTIONS if a != "close" or facts.status is not None]
    return permitted(offered, permissions, ACTION_PERMISSION, lambda a: period_refusal(facts, a))


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

