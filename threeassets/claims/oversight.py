"""The agency head's oversight board: open cases by window, item and clerk, deadlines, monthly statistics.

Counting and grouping run in SQL. Working days need the holiday calendar, so the monthly figures are grouped
in SQL down to (window, clerk, accepted day, finished day) and only those few distinct pairs are counted
through the calendar in Python.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from threeassets.auth.models import User
from threeassets.orgs.models import Village
from threeassets.windows.models import Case, ServiceItem, Window
from threeassets.windows.workdays import add_working_days, working_days_between

OPEN = ("intake", "supplement", "accepted", "in_progress")
RUNNING = ("accepted", "in_progress")  # the promised clock runs; 补正 stops it
SOON_DAYS = 2
OPEN_LIMIT = 500  # rows of the open-case list (a township has a few dozen open cases)


@dataclass
class OpenRow:
    """Open cases of one window, item or clerk."""

    key: int
    name: str
    open: int = 0
    waiting: int = 0  # 待补正
    soon: int = 0
    overdue: int = 0


@dataclass
class StatRow:
    """A month's handled cases of one window or clerk."""

    key: int
    name: str
    done: int = 0
    rejected: int = 0
    on_time: int = 0
    days_total: int = 0

    @property
    def handled(self) -> int:
        """Cases finished either way."""
        return self.done + self.rejected

    @property
    def on_time_rate(self) -> float | None:
        """Share of completed cases finished by their promised date (None when none were completed)."""
        return self.on_time / self.done if self.done else None

    @property
    def avg_days(self) -> float | None:
        """Average working days from acceptance to completion (None when none were completed)."""
        return self.days_total / self.done if self.done else None


@dataclass
class Month:
    """A month's statistics of a township."""

    ym: str
    windows: list[StatRow] = field(default_factory=list)
    clerks: list[StatRow] = field(default_factory=list)
    total: StatRow = field(default_factory=lambda: StatRow(0, "合计"))
    satisfaction: dict[int | None, int] = field(default_factory=dict)


def soon_limit(today: date) -> date:
    """Cases due before this day are due within SOON_DAYS working days (today itself counts as 0)."""
    return add_working_days(today, SOON_DAYS + 1)


def _open_counts(today: date):
    """The four counted columns of an open-cases group."""
    running = Case.state.in_(RUNNING)
    return (func.count(),
            func.sum(case((Case.state == "supplement", 1), else_=0)),
            func.sum(case((running & (Case.due_on >= today) & (Case.due_on < soon_limit(today)), 1), else_=0)),
            func.sum(case((running & (Case.due_on < today), 1), else_=0)))


def open_by(session: Session, township_id: int, today: date, by: str) -> list[OpenRow]:
    """Open cases grouped by 'window', 'item' or 'owner' (the first-contact clerk), biggest first."""
    col, name, model = {"window": (Case.window_id, Window.name, Window), "item": (Case.item_id, ServiceItem.name,
                                                                                 ServiceItem),
                        "owner": (Case.owner_id, User.display_name, User)}[by]
    q = (select(col, name, *_open_counts(today)).join(model, model.id == col)
         .where(Case.township_id == township_id, Case.state.in_(OPEN)).group_by(col, name)
         .order_by(func.count().desc(), name))
    return [OpenRow(k, n, c, w or 0, s or 0, o or 0) for k, n, c, w, s, o in session.execute(q)]


def open_cases(session: Session, township_id: int) -> list:
    """Every open case with its window, item, clerk and village names, earliest promised date first."""
    q = (select(Case, Window.name, ServiceItem.name, User.display_name, Village.name)
         .join(Window, Window.id == Case.window_id).join(ServiceItem, ServiceItem.id == Case.item_id)
         .join(User, User.id == Case.owner_id).outerjoin(Village, Village.id == Case.village_id)
         .where(Case.township_id == township_id, Case.state.in_(OPEN))
         .order_by(Case.due_on.is_(None), Case.due_on, Case.id).limit(OPEN_LIMIT))
    return list(session.execute(q))


FLAG_LABELS = {"overdue": "超期", "soon": "临期", "on_time": "按期", "waiting": "补正中（停止计时）",
               "intake": "待受理"}


def flag(case, today: date, limit: date) -> str:
    """Where an open case stands against its promise: overdue, soon, on_time, waiting (补正) or intake."""
    if case.state == "supplement":
        return "waiting"
    if case.due_on is None:
        return "intake"
    if case.due_on < today:
        return "overdue"
    return "soon" if case.due_on < limit else "on_time"


def month_bounds(ym: str) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of 'YYYY-MM'."""
    y, m = int(ym[:4]), int(ym[5:7])
    return datetime(y, m, 1), datetime(y + m // 12, m % 12 + 1, 1)


def _day(value) -> date | None:
    """func.date() answers a date on PostgreSQL and an ISO string on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _finished_groups(session: Session, township_id: int, ym: str):
    """(window, owner, state, accepted_on, finished day, count, on time) of the month's finished cases."""
    start, end = month_bounds(ym)
    fin = func.date(Case.finished_at)
    q = (select(Case.window_id, Case.owner_id, Case.state, Case.accepted_on, fin, func.count(),
                func.sum(case(((Case.state == "done") & (fin <= Case.due_on), 1), else_=0)))
         .where(Case.township_id == township_id, Case.state.in_(("done", "rejected")),
                Case.finished_at >= start, Case.finished_at < end)
         .group_by(Case.window_id, Case.owner_id, Case.state, Case.accepted_on, fin))
    return session.execute(q).all()


def _add(row: StatRow, state: str, accepted: date | None, finished: date | None, n: int, on_time: int) -> None:
    """Count n cases finished in one state on one (accepted, finished) pair."""
    if state == "rejected":
        row.rejected += n
        return
    row.done += n
    row.on_time += on_time or 0
    if accepted and finished:
        row.days_total += n * working_days_between(accepted, finished)


def _names(session: Session, model, col, ids) -> dict[int, str]:
    """id → display name for a few windows or users."""
    if not ids:
        return {}
    return dict(session.execute(select(model.id, col).where(model.id.in_(ids))).all())


def month_stats(session: Session, township_id: int, ym: str) -> Month:
    """Cases finished in a month, per window and per clerk, with on-time rate, average days, satisfaction."""
    out = Month(ym)
    windows: dict[int, StatRow] = {}
    clerks: dict[int, StatRow] = {}
    for window_id, owner_id, state, accepted, fin, n, on_time in _finished_groups(session, township_id, ym):
        fin = _day(fin)
        for rows, key in ((windows, window_id), (clerks, owner_id)):
            _add(rows.setdefault(key, StatRow(key, "")), state, accepted, fin, n, on_time)
        _add(out.total, state, accepted, fin, n, on_time)
    wnames = _names(session, Window, Window.name, list(windows))
    cnames = _names(session, User, User.display_name, list(clerks))
    for rows, names in ((windows, wnames), (clerks, cnames)):
        for row in rows.values():
            row.name = names.get(row.key, "?")
    out.windows = sorted(windows.values(), key=lambda r: (-r.handled, r.name))
    out.clerks = sorted(clerks.values(), key=lambda r: (-r.handled, r.name))
    out.satisfaction = satisfaction(session, township_id, ym)
    return out


def satisfaction(session: Session, township_id: int, ym: str) -> dict[int | None, int]:
    """Completed cases of the month by satisfaction level (None = not rated)."""
    start, end = month_bounds(ym)
    q = (select(Case.satisfaction, func.count()).where(
        Case.township_id == township_id, Case.state == "done", Case.finished_at >= start, Case.finished_at < end)
        .group_by(Case.satisfaction))
    counts: dict[int | None, int] = defaultdict(int)
    for level, n in session.execute(q):
        counts[level] += n
    return dict(counts)
