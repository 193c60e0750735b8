"""Reports from posted books: trial balance (科目余额表) and account ledger (明细账). Aggregates in SQL."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import BigInteger, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from threeassets.closing.models import PeriodBalance
from threeassets.core.db import END, IDS, START, fen
from threeassets.ledger.chart import subtree_ids
from threeassets.ledger.models import Account, AccountTurnover, Voucher, VoucherLine
from threeassets.ledger.openings.models import OpeningStart
from threeassets.ledger.rules import OPENING_VOUCHER, VoucherStatus, split_balance
from threeassets.orgs.models import Village

ZERO = Decimal("0")
TB_COLUMNS = ["account_code", "account_name", "opening_debit", "opening_credit", "period_debit",
              "period_credit", "closing_debit", "closing_credit"]


@dataclass
class TBRow:
    """One line of the trial balance; parents roll up their children."""

    code: str
    name: str
    level: int
    is_leaf: bool
    opening: Decimal = ZERO  # net debit
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        """Net debit balance at the end of the range."""
        return self.opening + self.debit - self.credit

    def cells(self) -> tuple[Decimal, ...]:
        """The six amounts of the export contract, balances on their positive side."""
        return (*split_balance(self.opening), self.debit, self.credit, *split_balance(self.closing))

    @property
    def used(self) -> bool:
        """Whether any amount is non-zero."""
        return any(self.cells())


def _turnover_query():
    """Per account code: (opening net, period debit, period credit). Per village the opening starts from the
    newest closing balance stored before START (period_balance, written at month close) and adds the monthly
    turnover after it, so reports never re-add the years before; without a stored month it is all turnover."""
    pb, at = PeriodBalance, AccountTurnover
    latest = (select(pb.village_id, func.max(pb.ym).label("ym"))
              .where(pb.village_id.in_(IDS), pb.ym < START).group_by(pb.village_id).subquery())
    nothing = literal(0, BigInteger)
    stored = (select(pb.account_id.label("aid"), fen(pb.balance).label("opening"), nothing.label("debit"),
                     nothing.label("credit"))
              .join(latest, and_(latest.c.village_id == pb.village_id, latest.c.ym == pb.ym)))
    before, inside = at.ym < START, at.ym >= START
    moves = (select(at.account_id, case((before, fen(at.debit) - fen(at.credit)), else_=0),
                    case((inside, fen(at.debit)), else_=0), case((inside, fen(at.credit)), else_=0))
             .outerjoin(latest, latest.c.village_id == at.village_id)
             .where(at.village_id.in_(IDS), at.ym <= END, at.ym > func.coalesce(latest.c.ym, 0)))
    u = union_all(stored, moves).subquery()
    return (select(Account.code, *(func.sum(c, type_=BigInteger) for c in (u.c.opening, u.c.debit, u.c.credit)))
            .join(Account, Account.id == u.c.aid).group_by(Account.code))


def _chart_query():
    """code, name, level, parent code, leaf of every account of the villages IDS, first village first."""
    parent = Account.__table__.alias("p")
    return (select(Account.code, Account.name, Account.level, parent.c.code, Account.is_leaf)
            .outerjoin(parent, parent.c.id == Account.parent_id)
            .where(Account.village_id.in_(IDS))
            .order_by(Account.village_id))


_TURNOVER, _CHART = _turnover_query(), _chart_query()


def _turnover(session: Session, village_ids, start: int, end: int):
    """Per account code: (opening net, period debit, period credit) over months start..end (_turnover_query)."""
    rows = session.execute(_TURNOVER, {"ids": list(village_ids), "start": start, "end": end})
    return {code: tuple(Decimal(int(x or 0)).scaleb(-2) for x in vals) for code, *vals in rows}


def _chart(session: Session, village_ids) -> dict[str, tuple[str, int, str | None, bool]]:
    """code → (name, level, parent code, leaf) over the villages (names of the first village win)."""
    out = {}
    for code, name, level, pcode, leaf in session.execute(_CHART, {"ids": list(village_ids)}):
        if code not in out:
            out[code] = (name, level, pcode, leaf)
        elif not leaf:
            out[code] = (out[code][0], level, pcode, False)
    return out


def trial_balance(session: Session, village_ids: list[int], start: int, end: int,
                  include_zero: bool = False) -> list[TBRow]:
    """科目余额表 for one village or many (consolidated by account code) over months start..end."""
    if not village_ids:
        return []
    chart = _chart(session, village_ids)
    rows = {code: TBRow(code, name, level, leaf) for code, (name, level, _p, leaf) in chart.items()}
    for code, (opening, debit, credit) in _turnover(session, village_ids, start, end).items():
        code_ = code
        while code_ is not None:
            r = rows[code_]
            r.opening += opening
            r.debit += debit
            r.credit += credit
            code_ = chart[code_][2]
    out = sorted(rows.values(), key=lambda r: r.code)
    return out if include_zero else [r for r in out if r.used]


def tb_totals(rows: list[TBRow]) -> tuple[Decimal, ...]:
    """Column totals over first-level rows (the 合计 line; debit and credit totals must agree)."""
    sums = [ZERO] * 6
    for r in rows:
        if r.level == 1:
            sums = [a + b for a, b in zip(sums, r.cells(), strict=True)]
    return tuple(sums)


def township_village_ids(session: Session, township_id: int) -> list[int]:
    """Ids of a township's villages."""
    return list(session.scalars(select(Village.id).where(Village.township_id == township_id)))


@dataclass
class LedgerEntry:
    """One line of an account ledger with the running balance after it."""

    voucher_id: int
    date: object
    label: str
    summary: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


def first_kept_month(session: Session, village_id: int, start: int, end: int) -> int:
    """The first month of a range that the village's books keep line by line: its start month when it came onto
    the system inside the range (the months before hold only the opening figures, as turnover), else start."""
    begun = session.scalar(select(OpeningStart.start_ym).where(OpeningStart.village_id == village_id))
    return begun if begun is not None and start < begun <= end else start


def account_ledger(session: Session, village_id: int, account: Account, start: int, end: int):
    """明细账: opening balance, posted lines of the account (and its children) in order, running balance. A range
    that begins before the village came onto the system begins at its start month (see first_kept_month)."""
    start = first_kept_month(session, village_id, start, end)
    ids = subtree_ids(session, village_id, account.id)
    opening_raw = session.scalar(
        select(func.coalesce(func.sum(AccountTurnover.debit - AccountTurnover.credit, type_=BigInteger), 0))
        .where(AccountTurnover.village_id == village_id, AccountTurnover.account_id.in_(ids),
               AccountTurnover.ym < start))
    opening = Decimal(int(opening_raw or 0)).scaleb(-2)
    q = (select(Voucher.id, Voucher.voucher_date, Voucher.number, VoucherLine.summary, VoucherLine.debit,
                VoucherLine.credit)
         .join(Voucher, Voucher.id == VoucherLine.voucher_id)
         .where(VoucherLine.village_id == village_id, VoucherLine.account_id.in_(ids),
                Voucher.village_id == village_id, Voucher.status == VoucherStatus.POSTED,
                Voucher.ym.between(start, end), Voucher.kind != OPENING_VOUCHER)
         .order_by(Voucher.voucher_date, Voucher.ym, Voucher.number, VoucherLine.line_no))
    balance, entries = opening, []
    for vid, day, number, summary, debit, credit in session.execute(q):
        balance += debit - credit
        entries.append(LedgerEntry(vid, day, f"记-{number:04d}", summary, debit, credit, balance))
    return opening, entries, balance


@dataclass
class LedgerRow:
    """A printed line of 明细账: an entry, or one of its 期初余额 / 本月合计 / 本年累计 / 期末余额 lines."""

    kind: str  # open | entry | month | year | close
    date: object
    label: str
    summary: str
    debit: Decimal
    credit: Decimal
    balance: Decimal
    voucher_id: int | None = None


def ledger_rows(opening: Decimal, entries: list[LedgerEntry], start: int, end: int,
                ytd_before: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))) -> list[LedgerRow]:
    """明细账 as accountants print it: after each month's entries a 本月合计 line and a 本年累计 line (the year's
    debit and credit so far, from January: ytd_before holds the months of start's year before start), between the
    期初余额 and 期末余额 lines. Pure: the entries come in date order with their running balance."""
    zero = Decimal(0)
    rows = [LedgerRow("open", _ym_text(start), "", "期初余额", zero, zero, opening)]
    year_d, year_c = ytd_before
    year, balance = start // 100, opening
    by_month: dict[int, list[LedgerEntry]] = {}
    for e in entries:
        by_month.setdefault(e.date.year * 100 + e.date.month, []).append(e)
    for ym in sorted(by_month):
        if ym // 100 != year:
            year, year_d, year_c = ym // 100, zero, zero
        month = by_month[ym]
        rows += [LedgerRow("entry", e.date, e.label, e.summary, e.debit, e.credit, e.balance, e.voucher_id)
                 for e in month]
        month_d, month_c = sum((e.debit for e in month), zero), sum((e.credit for e in month), zero)
        year_d, year_c, balance = year_d + month_d, year_c + month_c, month[-1].balance
        rows.append(LedgerRow("month", _ym_text(ym), "", "本月合计", month_d, month_c, balance))
        rows.append(LedgerRow("year", _ym_text(ym), "", "本年累计", year_d, year_c, balance))
    rows.append(LedgerRow("close", _ym_text(end), "", "期末余额", zero, zero, balance))
    return rows


def _ym_text(ym: int) -> str:
    return f"{ym // 100}-{ym % 100:02d}"


def year_before(session: Session, village_id: int, account: Account, start: int) -> tuple[Decimal, Decimal]:
    """The account's (and its sub-accounts') debit and credit from January of start's year to the month before it
    (the carried 建账前本年累计 included): where the 本年累计 lines begin."""
    if start % 100 == 1:
        return Decimal(0), Decimal(0)
    ids = subtree_ids(session, village_id, account.id)
    d, c = session.execute(
        select(func.coalesce(func.sum(AccountTurnover.debit, type_=BigInteger), 0),
               func.coalesce(func.sum(AccountTurnover.credit, type_=BigInteger), 0))
        .where(AccountTurnover.village_id == village_id, AccountTurnover.account_id.in_(ids),
               AccountTurnover.ym.between(start // 100 * 100 + 1, start - 1))).one()
    return Decimal(int(d)).scaleb(-2), Decimal(int(c)).scaleb(-2)
