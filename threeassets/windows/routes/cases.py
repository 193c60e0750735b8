"""Staff pages that read cases: the hall queue, the case list, a case with its timeline, its printed papers."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Response, abort, current_app, g, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from threeassets.auth.access import township_view
from threeassets.auth.rules import permissions_of
from threeassets.core.csvio import csv_text
from threeassets.core.db import db
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page, arg_year
from threeassets.core.parse import to_int
from threeassets.core.public import MISSING, public_base
from threeassets.windows import catalogue, pdf, queries, rules, workdays
from threeassets.windows.routes import back_to_case, bp, load_case
from threeassets.windows.rules import State
from threeassets.windows.service import facts_of, missing_list, missing_of, not_applicable_of

LOOKAHEAD_DAYS = 60  # the hall warns when deadlines this far ahead fall in a year without published holidays
CSV_COLUMNS = ["number", "item", "window", "village", "applicant", "state", "received_on", "accepted_on",
               "due_on", "finished_on", "satisfaction"]


def _hall_window() -> int | None:
    """The window the clerk sits at: ?window= (remembered in the session per township), else all windows."""
    key = f"hall_window_{g.township.id}"
    if "window" in request.args:
        session[key] = to_int(request.args["window"])
    return session.get(key)


def flags(case, today: date) -> dict:
    """Overdue / due-soon / paused flags of a case for list rows."""
    return {"overdue": rules.is_overdue(case.state, case.due_on, today),
            "soon": rules.due_soon(case.state, case.due_on, today),
            "paused": case.state == State.SUPPLEMENT and case.accepted_on is not None}


@bp.get("")
@township_view("cases.handle")
def hall(township_id: int):
    """服务大厅: my window's open cases by state, due dates, overdue in red."""
    window_id = _hall_window()
    windows = catalogue.windows_of(db.session, township_id, active_only=True)
    if window_id not in {w.id for w in windows}:
        window_id = None
    today = date.today()
    cases = queries.queue(db.session, township_id, window_id)
    by_state = {s: [c for c in cases if c.state == s] for s in rules.OPEN_STATES}
    return render_template("windows/hall.html", windows=windows, window_id=window_id, by_state=by_state,
                           counts=queries.state_counts(db.session, township_id, window_id), today=today,
                           flags={c.id: flags(c, today) for c in cases}, labels=queries.labels(db.session, township_id),
                           STATE_LABELS=rules.STATE_LABELS,
                           warning=workdays.fallback_notice(today, today + timedelta(days=LOOKAHEAD_DAYS)))


def _filter() -> queries.CaseFilter:
    """The list's filter from the query string."""
    a = request.args
    say = a.get("format") != "csv"  # a download shows no page to say it on
    return queries.CaseFilter(state=a.get("state", ""), item_id=to_int(a.get("item")),
                              window_id=to_int(a.get("window")), village_id=to_int(a.get("village")),
                              q=a.get("q", "")[:50], overdue=a.get("overdue") == "1",
                              mine=current_user.id if a.get("mine") == "1" else None,
                              year=arg_year("year", label="办结年度", say=say),
                              received=arg_year("received", label="受理年度", say=say),
                              timing=a.get("timing", "") if a.get("timing") in ("late", "on_time") else "")


@bp.get("/cases")
@township_view("cases.handle")
def cases(township_id: int):
    """办件查询: every case of the township with filters, paginated; CSV export."""
    f, today = _filter(), date.today()
    stmt = queries.case_query(township_id, f, today)
    labels = queries.labels(db.session, township_id)
    if request.args.get("format") == "csv":
        return _csv(db.session.scalars(stmt.limit(20000)), labels)
    page = paginate(db.session, stmt, arg_page(), current_app.config["PAGE_SIZE"])
    return render_template("windows/cases.html", page=page, f=f, labels=labels, today=today,
                           flags={c.id: flags(c, today) for c in page.items}, STATE_LABELS=rules.STATE_LABELS,
                           SATISFACTION=rules.SATISFACTION)


def _csv(rows, labels) -> Response:
    """The filtered list as CSV (UTF-8 with BOM so Excel opens it)."""
    body = csv_text(CSV_COLUMNS, ([c.number, labels["items"].get(c.item_id, ""), labels["windows"].get(c.window_id, ""),
                                   labels["villages"].get(c.village_id, ""), c.applicant_name,
                                   rules.STATE_LABELS[State(c.state)], c.received_at.date(), c.accepted_on,
                                   c.due_on, c.finished_at.date() if c.finished_at else "", c.satisfaction or ""]
                                  for c in rows), lineterminator="\r\n")
    return Response(("\ufeff" + body).encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=cases-{g.township.code}.csv"})


@bp.get("/cases/<int:case_id>")
@township_view("cases.handle")
def case(township_id: int, case_id: int):
    """办件详情: applicant, checklist, promised date, timeline, and the moves and papers the case rules give the
    user (rules.case_actions)."""
    return case_page(load_case(case_id))


def case_page(c, move: str = "", typed=None, problems: dict | None = None, status: int = 200):
    """The case page; after a refused move (`move`), that move's form comes back open as typed, each problem at
    its field (422). Called only from views behind township_view."""
    today = date.today()
    people = queries.names(db.session, [c.owner_id, c.handler_id] + [e.actor_id for e in c.events])
    labels = queries.labels(db.session, c.township_id)
    missing = missing_of(c)
    return render_template(
        "windows/case.html", case=c, people=people, labels=labels, today=today, flags=flags(c, today),
        actions=rules.case_actions(facts_of(c), permissions_of(current_user.role)), form=FlaskForm(),
        missing_now=missing, incomplete=rules.incomplete(missing), notified=missing_list(c),
        excused=not_applicable_of(c), move=move, typed=MultiDict() if typed is None else typed, problems=problems or {},
        STATE_LABELS=rules.STATE_LABELS, PAPERS=rules.PAPERS,
        ACTION_LABELS=rules.ACTION_LABELS, SATISFACTION=rules.SATISFACTION,
        windows=[w for w in catalogue.windows_of(db.session, c.township_id, active_only=True) if w.id != c.window_id],
        warning=workdays.fallback_notice(c.accepted_on, c.due_on),
        used=used_days(c, today)), status


def used_days(c, today: date) -> int | None:
    """Working days of the promised time used so far (the 补正 pauses not counted); None before acceptance."""
    if c.accepted_on is None:
        return None
    end = c.paused_on or (c.finished_at.date() if c.finished_at else today)
    return max(0, workdays.working_days_between(c.accepted_on, end) - c.paused_days)


def _paper(case_id: int, render, stem: str, qr: bool = True) -> Response:
    """A printed paper of the case as an inline PDF; 404 while the case rules say it has none of this kind. A
    paper with the lookup QR code is refused (back to the case page) while no public address is configured."""
    c = load_case(case_id)
    if rules.case_refusal(facts_of(c), f"{stem}_pdf"):
        abort(404)
    base = public_base()
    if qr and not base:
        return back_to_case(case_id, MISSING, "danger")
    event = _source_event(c, stem)
    lookup_url = base + url_for("windows_public.lookup") if base else ""
    data = queries.print_data(db.session, c, lookup_url=lookup_url,
                              issued_on=event.at.date() if event else None,
                              clerk_id=event.actor_id if event else None)
    return Response(render(data), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename={stem}-{c.number}.pdf"})


def _source_event(c, stem: str):
    """The event that produced the paper: a reprint carries its date and the clerk who signed it."""
    action = {"notice": "notify", "receipt": "accept", "rejection": "reject"}[stem]
    events = [e for e in c.events if e.action == action]
    return events[-1] if events else None


@bp.get("/cases/<int:case_id>/notice.pdf")
@township_view("cases.handle")
def notice_pdf(township_id: int, case_id: int):
    """一次性告知书 of the last 补正 notice."""
    return _paper(case_id, pdf.render_notice, "notice")


@bp.get("/cases/<int:case_id>/receipt.pdf")
@township_view("cases.handle")
def receipt_pdf(township_id: int, case_id: int):
    """受理回执 with the case number and the promised completion date."""
    return _paper(case_id, pdf.render_receipt, "receipt")


@bp.get("/cases/<int:case_id>/rejection.pdf")
@township_view("cases.handle")
def rejection_pdf(township_id: int, case_id: int):
    """不予受理（退回）通知书 with its reason."""
    return _paper(case_id, pdf.render_rejection, "rejection", qr=False)  # prints no lookup address
