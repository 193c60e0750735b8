"""The county's figures, read in SQL: one aggregate query per kind of figure over all the villages of the
townships asked for, grouped by village (a few rows per village whatever the length of its books), then summed
into townships. Balances come from the stored month-end balances plus the monthly turnover after them, never
from voucher lines. Read only.

`township_figures(session, township_ids, as_of)` is the function other features (the annual report) reuse.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, and_, case, func, select, union_all
from sqlalchemy.orm import Session

from threeassets.alerts.models import Alert
from threeassets.alerts.rules import OPEN_INSTALLMENT
from threeassets.assets.models import Asset
from threeassets.claims.models import Claim, ClaimLine
from threeassets.claims.rules import PROPER_INVOICES
from threeassets.closing.models import PeriodBalance
from threeassets.contracts.models import Contract, Installment
from threeassets.core.db import fen
from threeassets.core.periods import add_months, ym_of
from threeassets.county import rules
from threeassets.county.rules import CountyAlert, Figures, NoticeFact
from threeassets.dashboard.rules import BANK, CASH, INTERNAL, PAYABLE, RECEIVABLE
from threeassets.disclosure.models import Disclosure
from threeassets.ledger.models import Account, AccountTurnover, Period
from threeassets.ledger.openings.models import OpeningStart
from threeassets.orgs.models import Township, Village
from threeassets.resources.models import Resource
from threeassets.windows.models import Case

ROOTS = (CASH, BANK, *RECEIVABLE, INTERNAL, *PAYABLE)  # first-level codes of the balances (2023 chart)
FEN = Decimal("0.01")


@dataclass
class Row:
    """A township's or a village's row: who it is and its figures."""

    id: int
    code: str
    name: str
    figures: Figures
    township_id: int = 0


@dataclass
class Overview:
    """What the county page shows: a row per township, their sum, the window of months and the alerts."""

    as_of: date
    months: list[int]
    rows: list[Row]
    totals: Figures
    alerts: list[CountyAlert] = field(default_factory=list)


def _yuan(value) -> Decimal:
    """Integer fen (a SUM) to Decimal yuan."""
    return (Decimal(int(value or 0)) * FEN).quantize(FEN)


def _scope(township_ids: list[int]):
    """The villages of the townships (id, township id)."""
    return select(Village.id, Village.township_id).where(Village.township_id.in_(township_ids))


# ---------------------------------------------------------------- balances

def balances(session: Session, township_ids: list[int], end: int) -> dict[int, tuple[Decimal, ...]]:
    """village id → (cash, bank, receivables, payables) at the end of month `end` (YYYYMM).

    Per village the newest stored month-end balance at or before `end` (period_balance, written when a month is
    closed) plus the turnover of the months after it; only the leaf accounts under the first-level accounts
    read (a sub-account's code extends its parent's, ledger.chart.add_sub_account), each joined through the
    primary keys of the two tables. 113 内部往来 counts leaf by leaf: a debit balance is a receivable, a credit
    balance a payable (资产负债表 lines 3 and 32)."""
    pb, at = PeriodBalance, AccountTurnover
    newest = (select(func.max(pb.ym)).where(pb.village_id == Village.id, pb.ym <= end)
              .correlate(Village).scalar_subquery())
    vil = (select(Village.id.label("vid"), func.coalesce(newest, 0).label("base"))
           .where(Village.township_id.in_(township_ids)).subquery("vil"))
    root = func.substr(Account.code, 1, 3)
    leaf = (select(Account.id.label("aid"), vil.c.vid, vil.c.base, root.label("root"))
            .join(vil, vil.c.vid == Account.village_id)
            .where(root.in_(ROOTS), Account.is_leaf).cte("county_leaf"))
    stored = (select(leaf.c.vid, leaf.c.aid, leaf.c.root, fen(pb.balance).label("net"))
              .join(pb, and_(pb.village_id == leaf.c.vid, pb.ym == leaf.c.base, pb.account_id == leaf.c.aid)))
    moves = (select(leaf.c.vid, leaf.c.aid, leaf.c.root, (fen(at.debit) - fen(at.credit)).label("net"))
             .join(at, and_(at.village_id == leaf.c.vid, at.account_id == leaf.c.aid, at.ym > leaf.c.base,
                            at.ym <= end)))
    u = union_all(stored, moves).subquery("u")
    key = case((u.c.root == INTERNAL, u.c.aid), else_=0)
    per_leaf = (select(u.c.vid, u.c.root, func.sum(u.c.net, type_=BigInteger).label("net"))
                .group_by(u.c.vid, u.c.root, key).subquery("per_leaf"))
    net, r = per_leaf.c.net, per_leaf.c.root
    internal = r == INTERNAL
    q = (select(per_leaf.c.vid,
                func.sum(case((r == CASH, net), else_=0)),
                func.sum(case((r == BANK, net), else_=0)),
                func.sum(case((r.in_(RECEIVABLE), net), (internal & (net > 0), net), else_=0)),
                func.sum(case((r.in_(PAYABLE), -net), (internal & (net < 0), -net), else_=0)))
         .group_by(per_leaf.c.vid))
    return {vid: tuple(_yuan(x) for x in rest) for vid, *rest in session.execute(q)}


# ---------------------------------------------------------------- registers

def registers(session: Session, township_ids: list[int], as_of: date) -> dict[int, dict[str, object]]:
    """village id → asset cards (count, cost, net), resources (count, area), contracts ending within
    EXPIRY_DAYS, overdue installments (count, still owed): one grouped query per register."""
    out: dict[int, dict[str, object]] = defaultdict(dict)
    ids = _scope(township_ids).with_only_columns(Village.id)
    q = (select(Asset.village_id, func.count(), func.sum(fen(Asset.original_cost)),
                func.sum(fen(Asset.original_cost) - fen(Asset.accumulated_depreciation)))
         .where(Asset.village_id.in_(ids), Asset.status != "disposed", Asset.acquired_on <= as_of)
         .group_by(Asset.village_id))
    for vid, n, cost, net in session.execute(q):
        out[vid].update(assets=n, assets_cost=_yuan(cost), assets_net=_yuan(net))
    q = (select(Resource.village_id, func.count(), func.sum(fen(Resource.area_mu)))
         .where(Resource.village_id.in_(ids)).group_by(Resource.village_id))
    for vid, n, area in session.execute(q):
        out[vid].update(resources=n, resources_area=_yuan(area))
    q = (select(Contract.village_id, func.count())
         .where(Contract.village_id.in_(ids), Contract.status == "active", Contract.ends_on >= as_of,
                Contract.ends_on <= as_of + timedelta(days=rules.EXPIRY_DAYS))
         .group_by(Contract.village_id))
    for vid, n in session.execute(q):
        out[vid]["expiring"] = n
    q = (select(Installment.village_id, func.count(), func.sum(fen(Installment.amount) - fen(Installment.received)))
         .where(Installment.village_id.in_(ids), Installment.status.in_(OPEN_INSTALLMENT),
                Installment.due_on < as_of, Installment.received < Installment.amount)
         .group_by(Installment.village_id))
    for vid, n, owed in session.execute(q):
        out[vid].update(overdue=n, overdue_amount=_yuan(owed))
    return out


# ---------------------------------------------------------------- closes and notices

def starts(session: Session, township_ids: list[int]) -> dict[int, int | None]:
    """village id → its first month on the system: the opening balances' start, else its first month of books
    (None: no books yet, nothing is due)."""
    first = (select(func.min(Period.ym)).where(Period.village_id == Village.id).correlate(Village).scalar_subquery())
    q = (select(Village.id, func.coalesce(OpeningStart.start_ym, first))
         .outerjoin(OpeningStart, OpeningStart.village_id == Village.id)
         .where(Village.township_id.in_(township_ids)))
    return {vid: (int(start) if start else None) for vid, start in session.execute(q)}


def _day(value) -> date:
    """A datetime (or SQLite's ISO text) as its day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def closes(session: Session, township_ids: list[int], months: list[int]) -> dict[int, dict[int, date]]:
    """village id → {closed month of the window: the day it was closed}."""
    ids = _scope(township_ids).with_only_columns(Village.id)
    q = (select(Period.village_id, Period.ym, Period.closed_at)
         .where(Period.village_id.in_(ids), Period.status == "closed", Period.ym >= months[0],
                Period.ym <= months[-1], Period.closed_at.is_not(None)))
    out: dict[int, dict[int, date]] = defaultdict(dict)
    for vid, ym, at in session.execute(q):
        out[vid][ym] = _day(at)
    return out


def notices(session: Session, township_ids: list[int], months: list[int]) -> dict[int, dict[str, NoticeFact]]:
    """village id → {period: its published notice folded (first posting, any version shown too short)} for the
    months of the window and their quarters."""
    periods = sorted({rules.period_text(m) for m in months} | {rules.quarter_text(m) for m in months})
    ids = _scope(township_ids).with_only_columns(Village.id)
    d = Disclosure
    q = (select(d.village_id, d.period, d.id, d.published_on, d.display_until, d.archived_at, d.superseded_by_id)
         .where(d.village_id.in_(ids), d.period.in_(periods), d.status.in_(("published", "archived")),
                d.published_on.is_not(None))
         .order_by(d.village_id, d.period, d.published_on, d.id))
    out: dict[int, dict[str, NoticeFact]] = defaultdict(dict)
    for vid, period, nid, posted, until, archived, superseded in session.execute(q):
        short = rules.display_short(_day(posted), until and _day(until), archived and _day(archived),
                                    superseded is not None)
        first = out[vid].get(period)
        out[vid][period] = (NoticeFact(vid, period, nid, _day(posted), short) if first is None else
                            NoticeFact(vid, period, first.notice_id, first.posted_on, first.short or short))
    return out


# ---------------------------------------------------------------- the hall, claims, stored alerts

def _window_bounds(months: list[int]) -> tuple[datetime, datetime]:
    """[first instant of the window's first month, first instant after its last)."""
    after = add_months(months[-1], 1)
    return datetime(months[0] // 100, months[0] % 100, 1), datetime(after // 100, after % 100, 1)


def cases(session: Session, township_ids: list[int], months: list[int], by: str) -> dict[int, tuple[int, int, int]]:
    """township id (by "township") or village id (by "village"; None for cases filed for no village) →
    (completed, rejected, completed on time) of the service-hall cases finished in the window."""
    start, end = _window_bounds(months)
    col = Case.township_id if by == "township" else Case.village_id
    fin = func.date(Case.finished_at)
    q = (select(col, func.sum(case((Case.state == "done", 1), else_=0)),
                func.sum(case((Case.state == "rejected", 1), else_=0)),
                func.sum(case(((Case.state == "done") & (fin <= Case.due_on), 1), else_=0)))
         .where(Case.township_id.in_(township_ids), Case.state.in_(("done", "rejected")),
                Case.finished_at >= start, Case.finished_at < end)
         .group_by(col))
    return {k: (int(a or 0), int(b or 0), int(c or 0)) for k, a, b, c in session.execute(q)}


def open_alerts(session: Session, township_ids: list[int], by: str) -> dict[int, int]:
    """township id or village id → stored alerts still open (待处理), as the alert lists count them."""
    col = Alert.township_id if by == "township" else Alert.village_id
    q = (select(col, func.count()).where(Alert.township_id.in_(township_ids), Alert.resolved_at.is_(None),
                                         Alert.acknowledged_at.is_(None)).group_by(col))
    return dict(session.execute(q).all())


def white_slips(session: Session, township_ids: list[int], months: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """village id → (白条 amount, total amount) of the lines of its claims accepted for payment whose expense
    happened in the window."""
    ids = _scope(township_ids).with_only_columns(Village.id)
    start, end = _window_bounds(months)
    white = case((ClaimLine.invoice.not_in(sorted(PROPER_INVOICES)), fen(ClaimLine.amount)), else_=0)
    q = (select(Claim.village_id, func.sum(white), func.sum(fen(ClaimLine.amount)))
         .join(ClaimLine, and_(ClaimLine.claim_id == Claim.id, ClaimLine.village_id == Claim.village_id))
         .where(Claim.village_id.in_(ids), Claim.status == "accepted", Claim.occurred_on >= start.date(),
                Claim.occurred_on < end.date())
         .group_by(Claim.village_id))
    return {vid: (_yuan(w), _yuan(t)) for vid, w, t in session.execute(q)}


# ---------------------------------------------------------------- putting it together

@dataclass
class _Facts:
    """Everything read for the villages of some townships."""

    months: list[int]
    villages: list[tuple[int, int, str, str]]  # id, township id, code, name
    figures: dict[int, Figures]
    open_months: dict[int, list[int]]
    late_notices: dict[int, list[int]]
    short_notices: dict[int, list[NoticeFact]]
    slips: dict[int, tuple[Decimal, Decimal]]


def _facts(session: Session, township_ids: list[int], as_of: date) -> _Facts:
    """Read every figure of every village of the townships (one query per kind) and fold them per village."""
    months = rules.report_months(as_of)
    villages = [tuple(r) for r in session.execute(
        select(Village.id, Village.township_id, Village.code, Village.name)
        .where(Village.township_id.in_(township_ids)).order_by(Village.code))]
    money = balances(session, township_ids, ym_of(as_of))
    regs = registers(session, township_ids, as_of)
    begun, closed, posted = starts(session, township_ids), closes(session, township_ids, months), \
        notices(session, township_ids, months)
    out = _Facts(months, villages, {}, {}, {}, {}, white_slips(session, township_ids, months))
    for vid, _tid, _code, _name in villages:
        f = Figures(villages=1, **regs.get(vid, {}))
        f.cash, f.bank, f.receivables, f.payables = money.get(vid, (rules.ZERO,) * 4)
        f.closes_due, f.closes_on_time, out.open_months[vid] = rules.close_counts(months, begun.get(vid),
                                                                                  closed.get(vid, {}))
        n = rules.notice_counts(months, begun.get(vid), posted.get(vid, {}), as_of)
        f.notices_due, f.notices_on_time, f.notices_posted, f.notices_displayed = n.due, n.on_time, n.posted, \
            n.displayed
        out.late_notices[vid], out.short_notices[vid] = n.late, n.short
        out.figures[vid] = f
    return out


def _with_hall(figures: Figures, hall: tuple[int, int, int] | None, alerts: int | None) -> Figures:
    """A row's figures with its service-hall cases and open stored alerts."""
    figures.cases_done, figures.cases_rejected, figures.cases_on_time = hall or (0, 0, 0)
    figures.open_alerts = alerts or 0
    return figures


def _township_rows(session: Session, township_ids: list[int], facts: _Facts) -> list[Row]:
    """A row per township: the sum of its villages, with the township's cases and open alerts."""
    towns = list(session.execute(select(Township.id, Township.code, Township.name)
                                 .where(Township.id.in_(township_ids)).order_by(Township.code)))
    sums = {tid: Figures() for tid, _c, _n in towns}
    for vid, tid, _code, _name in facts.villages:
        sums[tid].add(facts.figures[vid])
    hall, stored = cases(session, township_ids, facts.months, "township"), open_alerts(session, township_ids,
                                                                                      "township")
    return [Row(tid, code, name, _with_hall(sums[tid], hall.get(tid), stored.get(tid)), tid)
            for tid, code, name in towns]


def township_figures(session: Session, township_ids: list[int], as_of: date) -> list[Row]:
    """A row per township (in code order) with its figures as of a day: balances at the end of the day's month,
    registers as they stand, and the flows (closes, notices, cases) of the 12 months whose due day has passed
    (county.rules.report_months). docs/county.md defines each figure."""
    if not township_ids:
        return []
    return _township_rows(session, list(township_ids), _facts(session, list(township_ids), as_of))


TOWNSHIP_OWN = "乡镇本级（未关联村的办件）"


def _village_rows(session: Session, township_id: int, facts: _Facts) -> list[Row]:
    """A row per village of one township, and a last row for the hall's cases filed for no village (only when
    there are some), so the rows add up to the township's row."""
    hall = cases(session, [township_id], facts.months, "village")
    stored = open_alerts(session, [township_id], "village")
    rows = [Row(vid, code, name, _with_hall(facts.figures[vid], hall.get(vid), stored.get(vid)), tid)
            for vid, tid, code, name in facts.villages]
    if None in hall:
        rows.append(Row(0, "", TOWNSHIP_OWN, _with_hall(Figures(), hall[None], 0), township_id))
    return rows


def village_figures(session: Session, township_id: int, as_of: date) -> list[Row]:
    """A row per village of one township (in code order), with the same figures as township_figures; the hall's
    cases count for the village they were filed for, those filed for none on a last row (id 0)."""
    return _village_rows(session, township_id, _facts(session, [township_id], as_of))


def _alerts(facts: _Facts, names: dict[int, str]) -> list[CountyAlert]:
    """The county's rules over the facts read (docs/county.md, County-wide alerts)."""
    out: list[CountyAlert] = []
    late_by_town: dict[int, dict[int, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for vid, tid, _code, name in facts.villages:
        for ym in facts.open_months[vid]:
            late_by_town[tid][ym].append((vid, name))
        f = facts.figures[vid]
        out += rules.late_notice_alerts(tid, vid, name, facts.late_notices[vid])
        out += rules.short_display_alerts(tid, name, facts.short_notices[vid])
        out += rules.cash_alert(tid, vid, name, f.cash)
        white, whole = facts.slips.get(vid, (rules.ZERO, rules.ZERO))
        out += rules.white_slip_alert(tid, vid, name, white, whole)
    for tid, months in late_by_town.items():
        out += rules.late_close_alerts(tid, names[tid], dict(months))
    return out


def overview(session: Session, township_ids: list[int], as_of: date) -> Overview:
    """The county page: a row per township, the totals row (their sum) and the county-wide alerts."""
    facts = _facts(session, township_ids, as_of)
    rows = _township_rows(session, township_ids, facts)
    order = {r.id: i for i, r in enumerate(rows)}
    alerts = rules.sort_alerts(_alerts(facts, {r.id: r.name for r in rows}), order)
    return Overview(as_of, facts.months, rows, rules.total(r.figures for r in rows), alerts)


def township_overview(session: Session, township: Township, as_of: date) -> Overview:
    """One township's drill-down: a row per village, the totals row (their sum) and the township's alerts."""
    facts = _facts(session, [township.id], as_of)
    rows = _village_rows(session, township.id, facts)
    alerts = rules.sort_alerts(_alerts(facts, {township.id: township.name}), {township.id: 0})
    return Overview(as_of, facts.months, rows, rules.total(r.figures for r in rows), alerts)


def all_township_ids(session: Session) -> list[int]:
    """Every township (the county supervisor's scope is all)."""
    return list(session.scalars(select(Township.id).order_by(Township.code)))
