"""Pages of requests for disclosure (依申请公开) under /t/<township_id>/info-requests: the list (with the annual
report's filters), registering a request, a request with its clock, history and allowed steps, and its papers.

The window clerk and the agency head handle requests (inforequests.handle); the county supervisor reads them
(inforequests.read). One transaction per request; a refused step is flashed and nothing is written.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.auth.access import township_view
from threeassets.auth.rules import permissions_of
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.parse import to_int
from threeassets.core.periods import read_day
from threeassets.inforequests import queries, rules, service
from threeassets.inforequests.rules import State
from threeassets.windows import workdays

bp = Blueprint("inforequests", __name__, url_prefix="/t/<int:township_id>/info-requests")
BLUEPRINTS = (bp,)
FIELDS = ("channel", "requester_kind", "requester_name", "requester_id_no", "contact", "address", "content",
          "delivery", "received_on", "village_id")


def _load(request_id: int):
    """The township's request (g.township set by township_view) or 404."""
    req = service.get_request(db.session, g.township.id, request_id)
    if req is None:
        abort(404)
    return req


def _filter() -> queries.RequestFilter:
    """The list's filters from the query string (?year=2026&outcome=withheld&requester=person …)."""
    a = request.args
    return queries.RequestFilter(state=a.get("state", ""), outcome=a.get("outcome", ""),
                                 year=to_int(a.get("year"), lo=2000, hi=2999), row=a.get("row", ""),
                                 requester=a.get("requester", ""), overdue=a.get("overdue") == "1",
                                 q=a.get("q", "")[:50])


def flags(req, today: date) -> dict:
    """The clock of a request for list rows and its page: overdue, working days left, waiting for 补正."""
    running = req.state == State.HANDLING
    left = None
    if running:
        left = workdays.working_days_between(today, req.due_on) if today <= req.due_on else \
            -workdays.working_days_between(req.due_on, today)
    return {"overdue": rules.overdue(req.state, req.due_on, today), "left": left,
            "waiting": req.state == State.CORRECTION, "soon": running and left is not None and 0 <= left <= 3}


@bp.get("")
@township_view("inforequests.read")
def requests(township_id: int):
    """依申请公开: the township's requests with filters, paginated."""
    f, today = _filter(), date.today()
    page = paginate(db.session, queries.request_query(township_id, f, today), arg_page(),
                    current_app.config["PAGE_SIZE"])
    return render_template("inforequests/list.html", page=page, f=f, today=today,
                           flags={r.id: flags(r, today) for r in page.items}, R=rules,
                           ROW_LABELS=ROW_LABELS, years=range(today.year, today.year - 6, -1))


ROW_LABELS = {"business": "本年度办理的全部申请", "new": "本年新收", "carried_in": "上年结转",
              "total": "本年已答复", "carried_out": "结转下年度继续办理"}


def _form_page(values: dict, problems: dict, status: int = 200):
    """The registration form with what was typed and the problems beside their fields."""
    return render_template("inforequests/new.html", values=values, problems=problems, R=rules,
                           villages=queries.villages(db.session, g.township.id), form=FlaskForm()), status


@bp.get("/new")
@township_view("inforequests.handle")
def new(township_id: int):
    """登记申请: the requester, what is asked, how and when it arrived."""
    return _form_page({"received_on": date.today().isoformat(), "channel": "in_person", "requester_kind": "person"},
                      {})


@bp.post("/new")
@township_view("inforequests.handle")
def create(township_id: int):
    """Register the request; every problem is shown beside its field and nothing is written."""
    form = request.form
    values = {k: form.get(k, "") for k in FIELDS}
    received, why = read_day(values["received_on"], "收到日期")
    problems = {"received_on": why} if why else {}
    try:
        if problems:
            raise RuleError("申请登记有误：" + problems["received_on"], fields=problems)
        with transaction(db.session):
            req = service.receive(
                db.session, township=g.township, actor=current_user, channel=values["channel"],
                requester_kind=values["requester_kind"], requester_name=values["requester_name"],
                requester_id_no=values["requester_id_no"], contact=values["contact"], address=values["address"],
                content=values["content"], delivery=values["delivery"], received_on=received,
                village_id=to_int(values["village_id"]))
    except RuleError as exc:
        flash(str(exc), "danger")
        return _form_page(values, {**problems, **exc.fields}, 422)
    flash(f"已登记，编号 {req.number}，答复期限 {req.due_on:%Y-%m-%d}", "success")
    return redirect(url_for(".show", township_id=township_id, request_id=req.id))


@bp.get("/<int:request_id>")
@township_view("inforequests.read")
def show(township_id: int, request_id: int):
    """A request: requester, content, the clock (due date, working days left, overdue), the steps the rules allow
    this user now (rules.request_actions), its papers and its history."""
    return _show_page(request_id)


def _show_page(request_id: int, step: str = "", typed=None, problems: dict | None = None, status: int = 200):
    """The request's page; `step` names an action refused just now, whose form comes back open as typed, each
    problem at its field."""
    req, today = _load(request_id), date.today()
    people = queries.names(db.session, [req.created_by_id, req.answered_by_id] + [e.actor_id for e in req.events])
    return render_template(
        "inforequests/show.html", req=req, people=people, today=today, flags=flags(req, today), R=rules,
        actions=rules.request_actions(service.facts_of(req), permissions_of(current_user.role)), form=FlaskForm(),
        village=queries.villages(db.session, g.township.id).get(req.village_id),
        clock=rules.clock(req.received_on, req.corrected_on, req.extension_days),
        bases={code: rules.default_basis(code) for code in rules.OUTCOMES},
        warning=workdays.fallback_notice(req.received_on, req.due_on),
        step=step, typed=typed or {}, problems=problems or {}), status


def _day(name: str = "on") -> date | None:
    """A date typed on an action's form (blank: today); an unreadable one is refused in words."""
    day, why = read_day(request.form.get(name))
    if why:
        raise RuleError(why, fields={name: why})
    return day


def _act(request_id: int, do, message: str, step: str):
    """Run one step on the request in a transaction. A refused step is flashed, nothing is written, and its form
    comes back as typed (422) — never emptied."""
    try:
        with transaction(db.session):
            do(_load(request_id))
    except RuleError as exc:
        flash(str(exc), "danger")
        return _show_page(request_id, step, request.form, exc.fields, 422)
    flash(message, "success")
    return redirect(url_for(".show", township_id=g.township.id, request_id=request_id))


@bp.post("/<int:request_id>/correction")
@township_view("inforequests.handle")
def ask_correction(township_id: int, request_id: int):
    """告知补正: what to make clear and by when; print the notice."""
    form = request.form
    return _act(request_id, lambda r: service.ask_correction(
        db.session, r, current_user, form.get("correction_note", ""), _day(), _day("correction_deadline")),
        "已告知补正，请打印补正告知书交（寄）申请人；收到补正后答复期限重新计算", "ask_correction")


@bp.post("/<int:request_id>/corrected")
@township_view("inforequests.handle")
def corrected(township_id: int, request_id: int):
    """收到补正: the clock counts again from that day."""
    return _act(request_id, lambda r: service.corrected(db.session, r, current_user, _day(),
                                                        request.form.get("note", "")),
                "已登记收到补正，答复期限自收到补正之日起重新计算", "corrected")


@bp.post("/<int:request_id>/extend")
@township_view("inforequests.handle")
def extend(township_id: int, request_id: int):
    """延期答复: days and reason; print the notice."""
    form = request.form
    days = to_int(form.get("extension_days"), lo=-1000, hi=1000)
    return _act(request_id, lambda r: service.extend(db.session, r, current_user, days,
                                                     form.get("extension_reason", ""), _day()),
                "已延期答复，请打印延期答复告知书交（寄）申请人", "extend")


@bp.post("/<int:request_id>/answer")
@township_view("inforequests.handle")
def answer(township_id: int, request_id: int):
    """答复 of one kind with its content or reason and its legal basis; print the answer."""
    form = request.form
    return _act(request_id, lambda r: service.answer(db.session, r, current_user, form.get("outcome", ""),
                                                     form.get("answer_text", ""), form.get("answer_basis", ""),
                                                     _day()),
                "已答复，请打印答复书交（寄）申请人", "answer")


@bp.post("/<int:request_id>/lapse")
@township_view("inforequests.handle")
def lapse(township_id: int, request_id: int):
    """逾期未补正: the request is taken as given up (其他处理)."""
    return _act(request_id, lambda r: service.lapse(db.session, r, current_user, _day()),
                "已按申请人逾期未补正办结，不再处理该申请", "lapse")


PAPER_EVENTS = {"answer": "answer", "correction": "ask_correction", "extension": "extend"}


def _paper(request_id: int, kind: str, render) -> Response:
    """A printed paper as an inline PDF, dated and signed as the step that produced it; 404 while the request's
    rules say it has none of this kind."""
    req = _load(request_id)
    if rules.request_refusal(service.facts_of(req), f"{kind}_pdf"):
        abort(404)
    events = [e for e in req.events if e.action == PAPER_EVENTS[kind]]
    event = events[-1] if events else None
    data = queries.print_data(db.session, req, issued_on=event.day if event else None,
                              clerk_id=event.actor_id if event else None)
    return Response(render(data), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename={kind}-{req.year}-{req.seq}.pdf"})


@bp.get("/<int:request_id>/answer.pdf")
@township_view("inforequests.read")
def answer_pdf(township_id: int, request_id: int):
    """政府信息公开申请答复书."""
    from threeassets.inforequests.pdf import render_answer
    return _paper(request_id, "answer", render_answer)


@bp.get("/<int:request_id>/correction.pdf")
@township_view("inforequests.read")
def correction_pdf(township_id: int, request_id: int):
    """补正告知书."""
    from threeassets.inforequests.pdf import render_correction
    return _paper(request_id, "correction", render_correction)


@bp.get("/<int:request_id>/extension.pdf")
@township_view("inforequests.read")
def extension_pdf(township_id: int, request_id: int):
    """延期答复告知书."""
    from threeassets.inforequests.pdf import render_extension
    return _paper(request_id, "extension", render_extension)
