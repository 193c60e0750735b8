"""The books: 总账 (general ledger), 明细账 and the cash/bank journals, 收支明细表 (income and expense detail).

Monthly figures come from reports.service.trial_balance; journals list the posted lines of one account through
reports.service.account_ledger and add 本日合计 / 本月合计 / 本年累计 lines (statements.rules.book_rows).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.periods import months_between, prev_ym, year_start
from threeassets.ledger.chart import standard_chart
from threeassets.ledger.models import Account, AccountTurnover
from threeassets.ledger.openings.models import OpeningStart
from threeassets.reports.service import account_ledger, first_kept_month, trial_balance
from threeassets.statements.rules import ZERO, BookRow, book_rows, ledger_months
from threeassets.statements.service import close_moves, movements

JOURNAL_ROOTS = {"cash": "101", "bank": "102"}
JOURNAL_TITLES = {"cash": "现金日记账", "bank": "银行存款日记账", "ledger": "明细账"}


@dataclass
class LedgerAccount:
    """总账 of one first-level account for a year up to a month."""

    code: str
    name: str
    opening: Decimal
    months: list[tuple[int, BookRow, BookRow]] = field(default_factory=list)
    carried: BookRow | None = None  # 建账前本年累计: a village that came onto the system after January
    carried_ym: int | None = None  # its start month

    @property
    def opening_row(self) -> BookRow:
        """The 上年结转 line."""
        return BookRow("opening", None, "上年结转", ZERO, ZERO, self.opening)


def _top_codes(session: Session, village_ids: list[int]) -> dict[int, str]:
    """Each account id → the code of its first-level ancestor (by parent links)."""
    rows = session.execute(select(Account.id, Account.parent_id, Account.code)
                           .where(Account.village_id.in_(village_ids))).all()
    parent = {aid: pid for aid, pid, _c in rows}
    code = {aid: c for aid, _p, c in rows}
    top: dict[int, str] = {}
    for aid in parent:
        path, cur = [], aid
        while cur not in top and parent[cur] is not None:
            path.append(cur)
            cur = parent[cur]
        found = top.get(cur, code[cur])
        for p in (*path, cur):
            top[p] = found
    return top


def monthly_moves(session: Session, village_ids: list[int], start: int, end: int) -> dict[str, dict[int, list]]:
    """Debit and credit per first-level code and month in start..end, read once from the monthly turnover."""
    top = _top_codes(session, village_ids)
    t = AccountTurnover
    out: dict[str, dict[int, list]] = {}
    for aid, ym, debit, credit in session.execute(
            select(t.account_id, t.ym, t.debit, t.credit)
            .where(t.village_id.in_(village_ids), t.ym.between(start, end))):
        acc = out.setdefault(top[aid], {}).setdefault(ym, [ZERO, ZERO])
        acc[0] += debit
        acc[1] += credit
    return out


def general_ledger(session: Session, village_ids: list[int], ym: int, code: str | None = None) -> list[LedgerAccount]:
    """总账: each used first-level account (or just `code`) with 上年结转 and, per month of the year up to ym,
    本月合计 and 本年累计 with the balance and its side."""
    start = year_start(ym)
    whole = [r for r in trial_balance(session, village_ids, start, ym) if r.level == 1 and (not code or r.code == code)]
    moves = monthly_moves(session, village_ids, start, ym)
    first = _first_month(session, village_ids, start, ym)
    out = []
    for r in whole:
        acct = LedgerAccount(r.code, r.name, r.opening)
        per_month = moves.get(r.code, {})
        before = [per_month.get(m, (ZERO, ZERO)) for m in months_between(start, prev_ym(first))] if first > start \
            else []
        ytd = (sum((d for d, _c in before), ZERO), sum((c for _d, c in before), ZERO))
        carried = r.opening + ytd[0] - ytd[1]
        if first > start:
            acct.carried = BookRow("carried", None, "建账前本年累计", ytd[0], ytd[1], carried)
            acct.carried_ym = first
        moves_ = [(m, *per_month.get(m, (ZERO, ZERO))) for m in months_between(first, ym)]
        acct.months = ledger_months(carried, moves_, ytd)
        out.append(acct)
    return out


def _first_month(session: Session, village_ids: list[int], start: int, ym: int) -> int:
    """The first month the 总账 lists: January, or for one village that came onto the system later in the year
    its start month (the months before hold only the year's turnover so far, shown as one line)."""
    if len(village_ids) != 1:
        return start
    begun = session.scalar(select(OpeningStart.start_ym).where(OpeningStart.village_id == village_ids[0]))
    return begun if begun is not None and start < begun <= ym else start


@dataclass
class Journal:
    """A 日记账 or 明细账 of one account (children included) over a range of months."""

    kind: str  # cash | bank | ledger
    code: str
    name: str
    start: int
    end: int
    rows: list[BookRow]
    closing: Decimal

    @property
    def title(self) -> str:
        """现金日记账 / 银行存款日记账 / 明细账."""
        return JOURNAL_TITLES[self.kind]

    @property
    def has_entries(self) -> bool:
        """Whether any posted line falls in the range."""
        return any(r.kind == "entry" for r in self.rows)


def is_under(account: Account, root: str) -> bool:
    """Whether an account is the root code or one of its descendants (by parent links)."""
    node = account
    while node is not None:
        if node.code == root:
            return True
        node = node.parent
    return False


def _ytd_before(session: Session, village_id: int, code: str, start: int) -> tuple[Decimal, Decimal]:
    """Debit and credit of the account from January up to the month before start (zero in January)."""
    if start == year_start(start):
        return ZERO, ZERO
    rows = trial_balance(session, [village_id], year_start(start), prev_ym(start))
    row = next((r for r in rows if r.code == code), None)
    return (row.debit, row.credit) if row else (ZERO, ZERO)


def journal(session: Session, village_id: int, account: Account, start: int, end: int, kind: str) -> Journal:
    """The account's posted lines in date order with running balance; journals add 本日合计 after each day. A
    village that came onto the system inside the range is read from its start month (期初余额 there)."""
    start = first_kept_month(session, village_id, start, end)
    opening, entries, closing = account_ledger(session, village_id, account, start, end)
    first_day = date(start // 100, start % 100, 1)
    rows = book_rows(opening, first_day, entries, _ytd_before(session, village_id, account.code, start),
                     daily=kind in ("cash", "bank"))
    return Journal(kind, account.code, account.full_name or account.name, start, end, rows, closing)


@dataclass
class DetailRow:
    """A line of the 收支明细表: an income or expense account (or sub-account) with its amounts."""

    code: str
    name: str
    level: int
    current: Decimal
    year_to_date: Decimal


@dataclass
class IncomeExpenseDetail:
    """收支明细表 of a month: income and expense accounts with sub-accounts, totals and the difference."""

    ym: int
    income: list[DetailRow]
    expense: list[DetailRow]

    def total(self, rows: list[DetailRow]) -> tuple[Decimal, Decimal]:
        """(本月, 本年累计) over the first-level rows."""
        top = [r for r in rows if r.level == 1]
        return sum((r.current for r in top), ZERO), sum((r.year_to_date for r in top), ZERO)

    @property
    def totals(self) -> dict[str, tuple[Decimal, Decimal]]:
        """收入合计, 支出合计 and 收支差额 (= 本年收益 of the income statement)."""
        inc, exp = self.total(self.income), self.total(self.expense)
        return {"收入合计": inc, "支出合计": exp, "收支差额": (inc[0] - exp[0], inc[1] - exp[1])}


def income_expense_detail(session: Session, village_ids: list[int], ym: int) -> IncomeExpenseDetail:
    """收支明细表: every income and expense account of the chart, and each used sub-account, with 本月数 and
    本年累计数 (year-close lines left out, as in the income statement)."""
    start = year_start(ym)
    ytd = trial_balance(session, village_ids, start, ym, include_zero=True)
    month = trial_balance(session, village_ids, ym, ym) if ym != start else ytd
    close_ytd, close_month, _leaf = close_moves(session, village_ids, start, ym)
    mv_year, mv_month = movements(ytd, close_ytd), movements(month, close_month)
    category = {r["code"]: r["category"] for r in standard_chart()}
    out: dict[str, list[DetailRow]] = {"income": [], "expense": []}
    top = None
    for r in ytd:  # sorted by code: a sub-account follows its first-level account
        if r.level == 1:
            top = r.code
        kind = category.get(top or "")
        if kind not in out or (r.level > 1 and not r.used):
            continue
        sign = -1 if kind == "income" else 1
        current, to_date = (sign * mv.get(r.code, ZERO) for mv in (mv_month, mv_year))
        out[kind].append(DetailRow(r.code, r.name, r.level, current or ZERO, to_date or ZERO))
    return IncomeExpenseDetail(ym, out["income"], out["expense"])
