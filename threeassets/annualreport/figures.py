"""Every figure of the annual report, counted in SQL for a set of townships and a year. Read-only.

Each count has one definition here, and the list each one links to on the page filters by the same rule (the
annual report's tests count the same things again with independent queries):

- 财务公开榜: notices published in the year (`published_on` in it, state published or archived since), by the
  period's kind (month or quarter); a notice that replaces an earlier one (`supersedes_id`) is a correction.
- 党务/政务公开: kiosk notices first published in the year (`published_at`), withdrawn later or not.
- 惠农政策: policies in force in the year (active, `year_from` ≤ year ≤ `year_to`); 补贴名单: the year's subsidy
  lists put up for public notice (past the draft).
- 一体机: pages opened at the kiosk on days of the year.
- 窗口: cases received in the year; cases finished (办结 or 不予受理) in the year, and of those the ones finished
  after their promised day (windows/queries.py `late`).
- 依申请公开: inforequests/queries.py `counted`, folded by inforequests/rules.py `annual_table`.
- “三资”: the county view's definitions (county/queries.py), as of the year's last day: cash, bank, receivables
  and payables from the stored month-end balances and turnover (as the dashboards show them), the asset cards
  not disposed and acquired by then (count, cost, net), and the resources on the register.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.orgs.models import Township, Village

ZERO = Decimal("0")


@dataclass
class Notices:
    """Disclosure notices published in the year by one village (or summed)."""

    month: int = 0
    quarter: int = 0
    corrected: int = 0

    @property
    def total(self) -> int:
        return self.month + self.quarter

    def add(self, other: Notices) -> None:
        self.month += other.month
        self.quarter += other.quarter
        self.corrected += other.corrected


@dataclass
class Cases:
    """Window cases of one window (or summed) in the year."""

    received: int = 0
    finished: int = 0
    late: int = 0

    @property
    def on_time(self) -> int:
        return self.finished - self.late

    def add(self, other: Cases) -> None:
        self.received += other.received
        self.finished += other.finished
        self.late += other.late


@dataclass
class Assets:
    """The three assets at the year's end: funds (yuan, Decimal), asset cards and the resource register."""

    cash: Decimal = ZERO
    bank: Decimal = ZERO
    receivable: Decimal = ZERO
    payable: Decimal = ZERO
    cards: int = 0
    cards_cost: Decimal = ZERO
    cards_net: Decimal = ZERO
    resources: int = 0
    resource_area: Decimal = ZERO

    def add(self, other: Assets) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class Unit:
    """One row of the report's tables: a village (township report) or a township (county report)."""

    id: int
    code: str
    name: str
    township_id: int
    village_ids: list[int]
    notices: Notices = field(default_factory=Notices)
    assets: Assets = field(default_factory=Assets)


@dataclass
class Figures:
    """Everything the report counts for its townships in its year, its rows per village or per township."""

    year: int
    townships: list[Township]
    units: list[Unit]
    per_township: bool
    party_notices: int = 0
    gov_notices: int = 0
    policies: int = 0
    subsidy_lists: int = 0
    kiosk_hits: int = 0
    windows: list[tuple[int, str, Cases]] = field(default_factory=list)  # (window id, name, counts)
    requests: dict[str, dict[str, int]] = field(default_factory=dict)  # inforequests.rules.annual_table

    @property
    def villages(self) -> int:
        return sum(len(u.village_ids) for u in self.units)

    @property
    def notices(self) -> Notices:
        total = Notices()
        for u in self.units:
            total.add(u.notices)
        return total

    @property
    def cases(self) -> Cases:
        total = Cases()
        for _id, _name, c in self.windows:
            total.add(c)
        return total

    @property
    def assets(self) -> Assets:
        total = Assets()
        for u in self.units:
            total.add(u.assets)
        return total


def _year(year: int) -> tuple[date, date, datetime, datetime]:
    return date(year, 1, 1), date(year, 12, 31), datetime(year, 1, 1), datetime(year + 1, 1, 1)


def _notices(session: Session, village_ids: list[int], year: int) -> dict[int, Notices]:
    from threeassets.disclosure.models import Disclosure
    from threeassets.disclosure.published import published_in
    quarter = Disclosure.period.like("%Q%")
    rows = session.execute(
        select(Disclosure.village_id, quarter, Disclosure.supersedes_id.is_not(None), func.count())
        .where(Disclosure.village_id.in_(village_ids), *published_in(year))
        .group_by(Disclosure.village_id, quarter, Disclosure.supersedes_id.is_not(None)))
    out: dict[int, Notices] = defaultdict(Notices)
    for vid, is_quarter, corrected, n in rows:
        if is_quarter:
            out[vid].quarter += n
        else:
            out[vid].month += n
        if corrected:
            out[vid].corrected += n
    return out


def _kiosk(session: Session, township_ids: list[int], year: int) -> tuple[int, int, int]:
    from threeassets.kiosk.models import KioskCount, KioskNotice
    from threeassets.kiosk.service import published_in
    first, last, _start, _end = _year(year)
    kinds = dict(session.execute(
        select(KioskNotice.kind, func.count()).where(KioskNotice.township_id.in_(township_ids), *published_in(year))
        .group_by(KioskNotice.kind)).all())
    hits = session.scalar(select(func.coalesce(func.sum(KioskCount.hits), 0)).where(
        KioskCount.township_id.in_(township_ids), KioskCount.day.between(first, last)))
    return kinds.get("party", 0), kinds.get("gov", 0), int(hits)


def _subsidies(session: Session, township_ids: list[int], year: int) -> tuple[int, int]:
    """Policies in force in the year, and subsidy lists of the year put up for public notice: the counts of the
    staff lists' own queries under the filters the report links to."""
    from threeassets.subsidies.service import NOTICED, batch_query, policy_list_query
    policies = lists = 0
    for tid in township_ids:
        policies += session.scalar(select(func.count()).select_from(
            policy_list_query(tid, year=year, status="active").subquery()))
        lists += session.scalar(select(func.count()).select_from(
            batch_query(tid, year=year, state=NOTICED).subquery()))
    return policies, lists


def _cases(session: Session, township_ids: list[int], year: int) -> list[tuple[int, str, Cases]]:
    from threeassets.windows.models import Case, Window
    from threeassets.windows.queries import finished_in, late, received_in
    names = {w.id: w.name for w in session.scalars(select(Window).where(Window.township_id.in_(township_ids)))}
    counts: dict[int, Cases] = defaultdict(Cases)
    received = select(Case.window_id, func.count()).where(Case.township_id.in_(township_ids), *received_in(year))
    for wid, n in session.execute(received.group_by(Case.window_id)):
        counts[wid].received = n
    late_count = func.sum(sql_case((late(), 1), else_=0))
    finished = select(Case.window_id, func.count(), late_count).where(Case.township_id.in_(township_ids),
                                                                      *finished_in(year))
    for wid, n, n_late in session.execute(finished.group_by(Case.window_id)):
        counts[wid].finished, counts[wid].late = n, int(n_late or 0)
    return sorted(((wid, names.get(wid, ""), c) for wid, c in counts.items()), key=lambda r: (r[1], r[0]))


def _assets(session: Session, township_ids: list[int], year: int) -> dict[int, Assets]:
    """village id → its three assets at the year's end, by the county view's queries (one definition)."""
    from threeassets.county.queries import balances, registers
    out: dict[int, Assets] = defaultdict(Assets)
    for vid, (cash, bank, receivable, payable) in balances(session, township_ids, year * 100 + 12).items():
        a = out[vid]
        a.cash, a.bank, a.receivable, a.payable = cash, bank, receivable, payable
    for vid, reg in registers(session, township_ids, date(year, 12, 31)).items():
        a = out[vid]
        a.cards, a.cards_cost = reg.get("assets", 0), reg.get("assets_cost", ZERO)
        a.cards_net = reg.get("assets_net", ZERO)
        a.resources, a.resource_area = reg.get("resources", 0), reg.get("resources_area", ZERO)
    return out


def _units(session: Session, townships: list[Township], per_township: bool) -> list[Unit]:
    villages = session.execute(select(Village.id, Village.code, Village.name, Village.township_id)
                               .where(Village.township_id.in_([t.id for t in townships]))
                               .order_by(Village.township_id, Village.code)).all()
    if not per_township:
        return [Unit(vid, code, name, tid, [vid]) for vid, code, name, tid in villages]
    units = {t.id: Unit(t.id, t.code, t.name, t.id, []) for t in townships}
    for vid, _code, _name, tid in villages:
        units[tid].village_ids.append(vid)
    return list(units.values())


def compile_figures(session: Session, township_ids: list[int], year: int, *, per_township: bool = False) -> Figures:
    """The figures of the given townships for a year; rows per village, or per township (the county's)."""
    from threeassets.inforequests.queries import counted
    from threeassets.inforequests.rules import annual_table
    townships = list(session.scalars(select(Township).where(Township.id.in_(township_ids)).order_by(Township.code)))
    ids = [t.id for t in townships]
    units = _units(session, townships, per_township)
    village_ids = [v for u in units for v in u.village_ids]
    notices, assets = _notices(session, village_ids, year), _assets(session, ids, year)
    for u in units:
        for vid in u.village_ids:
            u.notices.add(notices.get(vid, Notices()))
            u.assets.add(assets.get(vid, Assets()))
    party, gov, hits = _kiosk(session, ids, year)
    policies, lists = _subsidies(session, ids, year)
    return Figures(year, townships, units, per_township, party_notices=party, gov_notices=gov, policies=policies,
                   subsidy_lists=lists, kiosk_hits=hits, windows=_cases(session, ids, year),
                   requests=annual_table(year, counted(session, ids, year)))
