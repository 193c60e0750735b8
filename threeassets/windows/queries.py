"""Read side of the hall: the queue, the filtered case list, a case's printable data, the public lookup."""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from threeassets.auth.models import User
from threeassets.core.pagination import any_contains, search_word
from threeassets.orgs.models import Township, Village
from threeassets.orgs.settings import get_settings
from threeassets.windows import rules, workdays
from threeassets.windows.models import Case, ServiceItem, Window
from threeassets.windows.pdf import CasePrint
from threeassets.windows.rules import OPEN_STATES, State


@dataclass
class CaseFilter:
    """The case list's search form."""

    state: str = ""
    item_id: int | None = None
    window_id: int | None = None
    village_id: int | None = None
    q: str = ""  # number or applicant name
    overdue: bool = False
    mine: int | None = None  # user id: cases the user owns (首问) or handles
    year: int | None = None  # finished (办结 or 不予受理) in this year
    received: int | None = None  # received in this year
    timing: str = ""  # "late": finished after the promised day; "on_time": on or before it


FINISHED = [s.value for s in rules.FINISHED_STATES]


def finished_in(year: int) -> tuple:
    """WHERE terms: the case was finished (办结 or 不予受理) in the year (the annual report counts these)."""
    return (Case.state.in_(FINISHED), Case.finished_at >= datetime(year, 1, 1),
            Case.finished_at < datetime(year + 1, 1, 1))


def received_in(year: int) -> tuple:
    """WHERE terms: the case was received in the year."""
    return Case.received_at >= datetime(year, 1, 1), Case.received_at < datetime(year + 1, 1, 1)


def late():
    """A finished case's day came after its promised day (a case refused at intake has none: never late)."""
    return and_(Case.due_on.is_not(None), func.date(Case.finished_at) > func.date(Case.due_on))


def case_query(township_id: int, f: CaseFilter, today: date):
    """select(Case) for a township under a filter, newest first."""
    q = select(Case).where(Case.township_id == township_id)
    if f.state == "open":
        q = q.where(Case.state.in_([s.value for s in OPEN_STATES]))
    elif f.state in {s.value for s in State}:
        q = q.where(Case.state == f.state)
    for col, value in ((Case.item_id, f.item_id), (Case.window_id, f.window_id), (Case.village_id, f.village_id)):
        if value:
            q = q.where(col == value)
    if word := search_word(f.q):
        q = q.where(any_contains((Case.number, Case.applicant_name, Case.subject), word))
    if f.overdue:
        q = q.where(Case.state.in_([State.ACCEPTED, State.IN_PROGRESS]), Case.due_on < today)
    if f.mine:
        q = q.where(or_(Case.owner_id == f.mine, Case.handler_id == f.mine))
    if f.year:
        q = q.where(*finished_in(f.year))
    if f.received:
        q = q.where(*received_in(f.received))
    if f.timing == "late":
        q = q.where(Case.state.in_(FINISHED), late())
    elif f.timing == "on_time":
        q = q.where(Case.state.in_(FINISHED), ~late())
    return q.order_by(Case.received_at.desc(), Case.id.desc())


def queue(session: Session, township_id: int, window_id: int | None) -> list[Case]:
    """Open cases of a window (or of the hall): running ones by due date first, then the rest by arrival."""
    q = select(Case).where(Case.township_id == township_id, Case.state.in_([s.value for s in OPEN_STATES]))
    if window_id:
        q = q.where(Case.window_id == window_id)
    running = sql_case((Case.due_on.is_(None), 1), else_=0)
    return list(session.scalars(q.order_by(running, Case.due_on, Case.received_at).limit(500)))


def state_counts(session: Session, township_id: int, window_id: int | None) -> dict[str, int]:
    """How many cases each state holds (of a window or the hall)."""
    q = select(Case.state, func.count()).where(Case.township_id == township_id).group_by(Case.state)
    if window_id:
        q = q.where(Case.window_id == window_id)
    return dict(session.execute(q).all())


def names(session: Session, ids) -> dict[int, str]:
    """Display names of users by id (one query)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def labels(session: Session, township_id: int) -> dict[str, dict[int, str]]:
    """Item, window and village names of a township, for list pages (three small queries)."""
    return {
        "items": dict(session.execute(select(ServiceItem.id, ServiceItem.name)
                                      .where(ServiceItem.township_id == township_id)).all()),
        "windows": dict(session.execute(select(Window.id, Window.name).where(Window.township_id == township_id)
                                        .order_by(Window.seq, Window.code)).all()),
        "villages": dict(session.execute(select(Village.id, Village.name).where(Village.township_id == township_id)
                                         .order_by(Village.code)).all()),
    }


def mask_phone(phone: str) -> str:
    """A phone number on printed papers with its middle hidden: a mobile as 138****5678, a landline with its area
    code kept (0551-****1201), anything short as its head and ****."""
    area, dash, number = phone.rpartition("-")
    if dash and area and len(number) > 4:
        return f"{area}-****{number[-4:]}"
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else phone[:-4] + "****" if len(phone) > 4 else phone


def print_data(session: Session, case: Case, lookup_url: str = "", issued_on: date | None = None,
               clerk_id: int | None = None) -> CasePrint:
    """The printable data of a case's papers; clerk_id signs them (default: the handler, else the owner)."""
    township = session.get(Township, case.township_id)
    village = session.get(Village, case.village_id) if case.village_id else None
    who = names(session, [clerk_id, case.owner_id, case.handler_id])
    return CasePrint(
        agency=f"{township.name}农村集体“三资”代理服务中心", number=case.number, item=case.item.name,
        window=case.window.name, window_phone=case.window.phone, applicant=case.applicant_name,
        phone=mask_phone(case.applicant_phone), village=village.name if village else "", subject=case.subject,
        received_on=case.received_at.date(),
        clerk=who.get(clerk_id) or who.get(case.handler_id) or who.get(case.owner_id, ""),
        issued_on=issued_on or date.today(), days_limit=case.item.days_limit,
        missing=_missing(case), materials=[(m.name, m.copies, m.original_seen) for m in case.checklist if m.received],
        not_applicable=[(m.name, rules.excused_reason(m.applies_when, m.decided_by)) for m in case.checklist
                        if m.conditional and m.not_applicable],
        accepted_on=case.accepted_on, due_on=case.due_on, reason=case.reject_reason or "",
        supervision_phone=get_settings(session, case.township_id).supervision_phone,
        calendar_warning=workdays.fallback_notice(case.accepted_on, case.due_on), lookup_url=lookup_url)


def _missing(case: Case) -> list[str]:
    """The last one-time notice's list."""
    from threeassets.windows.service import missing_list
    return missing_list(case)


@dataclass
class PublicStatus:
    """What the public lookup shows: nothing that names or reaches the applicant beyond a masked surname."""

    number: str
    item: str
    applicant: str
    state: str
    received_on: date
    accepted_on: date | None
    due_on: date | None
    finished: bool
    finished_on: date | None
    paused: bool
    calendar_warning: str | None


def public_status(session: Session, number: str, tail: str) -> PublicStatus | None:
    """A case by its number and the applicant's phone tail; None for any mismatch (the caller says the same)."""
    number, tail = (number or "").strip(), (tail or "").strip()
    if not number or len(number) > 48 or len(tail) != 4 or not tail.isdigit():
        return None
    # Frozen: the number as printed, or typed in lower case, finds its case (tests/integration/test_frozen_formats.py).
    case = session.scalar(select(Case).where(Case.number.in_({number, number.upper()})))
    real = rules.phone_tail(case.applicant_phone) if case is not None else "----"
    if case is None or not hmac.compare_digest(real, tail):
        return None
    done = case.state in (State.DONE, State.REJECTED)
    return PublicStatus(
        number=case.number, item=case.item.name, applicant=rules.mask_name(case.applicant_name),
        state=rules.STATE_LABELS[State(case.state)], received_on=case.received_at.date(),
        accepted_on=case.accepted_on, due_on=case.due_on, finished=done,
        finished_on=case.finished_at.date() if done and case.finished_at else None,
        paused=case.state == State.SUPPLEMENT, calendar_warning=workdays.fallback_notice(case.accepted_on,
                                                                                          case.due_on))
