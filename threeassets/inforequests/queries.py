"""Read side of requests for disclosure: the annual report's count, the filtered list, a request's printable data.

`counted` and the list's filters are the annual report's: every cell of rules.annual_table (a row × a requester
kind) is a list filter (`RequestFilter(year=…, row=…, requester=…)`), so the report can link each number to the
requests it counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import Session

from threeassets.auth.models import User
from threeassets.core.pagination import any_contains, search_word
from threeassets.inforequests import rules
from threeassets.inforequests.models import InfoRequest
from threeassets.inforequests.pdf import RequestPrint
from threeassets.inforequests.rules import Counted, State
from threeassets.orgs.models import Township, Village
from threeassets.orgs.settings import get_settings
from threeassets.windows.models import Window
from threeassets.windows.queries import mask_phone

# The annual table's rows that are not an outcome: rules.annual_table's "new", "carried_in", "total" (answered in
# the year) and "carried_out"; "business" is every request the table counts for the year.
ROWS = ("business", "new", "carried_in", "total", "carried_out")


def counted(session: Session, township_ids: list[int] | None, year: int) -> list[Counted]:
    """What rules.annual_table needs of the requests of these townships (None: every township) that are the year's
    business: received by its end and not answered before it began. Filtered in SQL; one row per request."""
    q = (select(InfoRequest.requester_kind, InfoRequest.received_on, InfoRequest.answered_on, InfoRequest.outcome)
         .where(_year_rows(year, "business")))
    if township_ids is not None:
        q = q.where(InfoRequest.township_id.in_(township_ids)) if township_ids else q.where(false())
    return [Counted(kind, received, answered, outcome) for kind, received, answered, outcome in session.execute(q)]


def _year_rows(year: int, row: str):
    """The SQL condition of one of ROWS for a year (what rules.annual_table counts in that row)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    received, answered = InfoRequest.received_on, InfoRequest.answered_on
    business = and_(received <= last, or_(answered.is_(None), answered >= first))
    return {
        "business": business,
        "new": and_(received >= first, received <= last),
        "carried_in": and_(received < first, or_(answered.is_(None), answered >= first)),
        "total": and_(business, answered <= last),
        "carried_out": and_(received <= last, or_(answered.is_(None), answered > last)),
    }[row]


@dataclass
class RequestFilter:
    """The list's filters, as the query string gives them (every one optional)."""

    state: str = ""  # one of State
    outcome: str = ""  # an outcome code (withheld_4) or a group code (withheld); with a year: answered in it
    year: int | None = None
    row: str = ""  # one of ROWS (with a year; default "business" when the year comes without an outcome)
    requester: str = ""  # one of Requester
    overdue: bool = False  # the answer clock runs and its due date has passed
    q: str = ""  # number, requester or content


def request_query(township_id: int, f: RequestFilter, today: date):
    """select(InfoRequest) of a township under a filter, newest first."""
    q = select(InfoRequest).where(InfoRequest.township_id == township_id)
    if f.state in {s.value for s in State}:
        q = q.where(InfoRequest.state == f.state)
    if f.outcome in rules.OUTCOMES:
        q = q.where(InfoRequest.outcome == f.outcome)
    elif f.outcome in {g for g, _t in rules.GROUPS}:
        q = q.where(InfoRequest.outcome.in_([c for c, o in rules.OUTCOMES.items() if o.group_code == f.outcome]))
    if f.year is not None:
        row = f.row if f.row in ROWS else ("total" if f.outcome else "business")
        q = q.where(_year_rows(f.year, row))
    if f.requester in {r.value for r in rules.Requester}:
        q = q.where(InfoRequest.requester_kind == f.requester)
    if f.overdue:
        q = q.where(InfoRequest.state == State.HANDLING, InfoRequest.due_on < today)
    if word := search_word(f.q):
        q = q.where(any_contains((InfoRequest.number, InfoRequest.requester_name, InfoRequest.content), word))
    return q.order_by(InfoRequest.received_on.desc(), InfoRequest.id.desc())


def names(session: Session, ids) -> dict[int, str]:
    """Display names of users by id (one query)."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def villages(session: Session, township_id: int) -> dict[int, str]:
    """The township's villages by id, in code order."""
    return dict(session.execute(select(Village.id, Village.name).where(Village.township_id == township_id)
                                .order_by(Village.code)).all())


def mask_id(id_no: str) -> str:
    """340104********1234: an ID number or code with its middle hidden on printed papers."""
    return id_no[:6] + "*" * (len(id_no) - 10) + id_no[-4:] if len(id_no) > 10 else id_no


def agency_name(township: Township) -> str:
    """The organ that answers: the township government (第四条: its 政府信息公开工作机构 does the work)."""
    return f"{township.name}人民政府"


def _phone(session: Session, township_id: int) -> str:
    """The phone printed for questions: the hall's 综合受理 window's, else the township's supervision phone."""
    phone = session.scalar(select(Window.phone).where(Window.township_id == township_id, Window.code == "ZH"))
    return phone or get_settings(session, township_id).supervision_phone


def print_data(session: Session, req: InfoRequest, issued_on: date | None = None,
               clerk_id: int | None = None) -> RequestPrint:
    """The printable data of a request's papers, signed by clerk_id (default: whoever answered, else registered)."""
    township = session.get(Township, req.township_id)
    who = names(session, [clerk_id, req.answered_by_id, req.created_by_id])
    outcome = rules.OUTCOMES.get(req.outcome or "")
    contact = mask_phone(req.contact) if req.contact.replace("-", "").isdigit() else req.contact
    return RequestPrint(
        agency=agency_name(township), number=req.number, requester=req.requester_name,
        requester_kind=rules.REQUESTER_LABELS[rules.Requester(req.requester_kind)], id_no=mask_id(req.requester_id_no),
        contact=contact, address=req.address, channel=rules.CHANNEL_LABELS[rules.Channel(req.channel)],
        received_on=req.received_on, content=req.content, issued_on=issued_on or date.today(),
        clerk=who.get(clerk_id) or who.get(req.answered_by_id) or who.get(req.created_by_id, ""),
        phone=_phone(session, req.township_id), corrected_on=req.corrected_on,
        group=outcome.group_code if outcome else "", outcome=outcome.label if outcome else "",
        answer_text=req.answer_text or "", basis=req.answer_basis or "", correction_note=req.correction_note or "",
        correction_deadline=req.correction_deadline, extension_days=req.extension_days,
        extension_reason=req.extension_reason or "", due_on=req.due_on,
        due_before=rules.clock(req.received_on, req.corrected_on).due if req.extension_days else None)
