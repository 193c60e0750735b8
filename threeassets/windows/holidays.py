"""Entering a year's State Council holiday arrangement (节假日安排) before the calendar library carries it.

The notice comes out late in the year before; chinese_calendar learns it only in a later release. The system
administrator types the notice's days in, and from then on every clock (case deadlines, claim oversight,
statutory limits) counts with them: workdays.py reads the entered years through `load`, registered at
start-up. Entering a year again replaces its days; each save is audited with what changed. Never commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.clock import now
from threeassets.core.errors import RuleError
from threeassets.windows import workdays
from threeassets.windows.models import HolidayDay, HolidayYear

YEARS_AHEAD = 2  # a year may be entered up to this many years ahead of today


class ArrangementError(RuleError):
    """A refused arrangement, nothing written: the problems by field ("year", "document", "days") as text, a
    line of the days named by its number."""

    def __init__(self, problems: list[tuple[str, int, str]]):
        self.by_field: dict[str, list[str]] = {}
        for name, line, why in problems:
            self.by_field.setdefault(name, []).append(f"第{line}行：{why}" if line else why)
        super().__init__("；".join(why for whys in self.by_field.values() for why in whys))


@dataclass
class YearSummary:
    """One entered year as the page lists it."""

    year: int
    document: str
    entered_at: object
    entered_by: str
    days_off: int
    make_up: int


def load(session: Session) -> dict[int, dict[date, bool]]:
    """Every entered year: {year: {day: working?}} (a few dozen rows a year)."""
    years: dict[int, dict[date, bool]] = {y: {} for y in session.scalars(select(HolidayYear.year))}
    for day, year, working in session.execute(select(HolidayDay.day, HolidayDay.year, HolidayDay.working)):
        years[year][day] = working
    return years


def read_entered(engine) -> dict[int, dict[date, bool]]:
    """The entered years, read on a connection of its own (it never joins or disturbs the caller's
    transaction): what workdays.py asks for, registered in windows/hooks.py."""
    with Session(engine) as session:
        return load(session)


def summaries(session: Session) -> list[YearSummary]:
    """The entered years, newest first, with their counts."""
    from threeassets.auth.models import User
    counts = {(y, w): n for y, w, n in session.execute(
        select(HolidayDay.year, HolidayDay.working, func.count()).group_by(HolidayDay.year, HolidayDay.working))}
    rows = session.execute(select(HolidayYear, User.display_name).outerjoin(User, User.id == HolidayYear.entered_by_id)
                           .order_by(HolidayYear.year.desc()))
    return [YearSummary(y.year, y.document, y.entered_at, name or "", counts.get((y.year, False), 0),
                        counts.get((y.year, True), 0)) for y, name in rows]


def days_of(session: Session, year: int) -> list[HolidayDay]:
    """An entered year's days in date order."""
    return list(session.scalars(select(HolidayDay).where(HolidayDay.year == year).order_by(HolidayDay.day)))


def as_text(days: list[HolidayDay]) -> str:
    """An entered year written back in the form it is typed (runs of days of one holiday and kind joined)."""
    lines, run = [], []
    for d in days:
        if run and (d.name, d.working) == (run[-1].name, run[-1].working) and (d.day - run[-1].day).days == 1:
            run.append(d)
            continue
        if run:
            lines.append(_line(run))
        run = [d]
    if run:
        lines.append(_line(run))
    return "\n".join(lines)


def _line(run: list[HolidayDay]) -> str:
    """One typed line for a run of days."""
    span = run[0].day.isoformat() + (f"~{run[-1].day.isoformat()}" if len(run) > 1 else "")
    return f"{span} {run[0].name} {'班' if run[0].working else '休'}"


def save_year(session: Session, actor, year: int | None, document: str, text: str) -> int:
    """Enter (or replace) a year's arrangement; returns the number of days stored. Refuses with every problem
    by line: a year outside the library's first year and YEARS_AHEAD after today, a missing notice name, or a
    line that does not read."""
    document = (document or "").strip()  # a title: kept as typed (NFKC would turn （） into ())
    problems = []
    last = now().year + YEARS_AHEAD
    if year is None or not 2004 <= year <= last:
        raise ArrangementError([("year", 0, f"年度须在2004年至{last}年之间")])
    if not document or len(document) > 200:
        problems.append(("document", 0, "请填写发布文件（如“国务院办公厅关于…年部分节假日安排的通知”及文号），"
                                        "不超过200字"))
    days, line_problems = workdays.parse_arrangement(year, text)
    problems += [("days", line, why) for line, why in line_problems]
    if problems:
        raise ArrangementError(problems)
    before = {d.day: (d.working, d.name) for d in days_of(session, year)}
    values = {"document": document, "entered_by_id": getattr(actor, "id", None), "entered_at": now()}
    row = session.get(HolidayYear, year)
    if row is None:
        row = HolidayYear(year=year, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    session.execute(delete(HolidayDay).where(HolidayDay.year == year))
    session.add_all(HolidayDay(day=d, year=year, working=w, name=n) for d, w, n in days)
    session.flush()
    after = {d: (w, n) for d, w, n in days}
    record(session, "holiday.save", actor=actor, obj=row, detail={
        "year": year, "document": document, "days_off": sum(1 for w, _n in after.values() if not w),
        "make_up": sum(1 for w, _n in after.values() if w),
        "added": sorted(d.isoformat() for d in after.keys() - before.keys()),
        "removed": sorted(d.isoformat() for d in before.keys() - after.keys()),
        "changed": sorted(d.isoformat() for d in after.keys() & before.keys() if after[d] != before[d])})
    return len(days)
