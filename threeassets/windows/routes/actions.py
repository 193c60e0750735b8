"""Staff pages that change cases: intake (接件) and every move of a case. One transaction per request."""
from __future__ import annotations

from flask import flash, g, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.auth.access import township_view
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.parse import to_id, to_int
from threeassets.windows import catalogue, queries, rules, service
from threeassets.windows.models import ServiceItem, Window
from threeassets.windows.routes import back_to_case, bp, load_case, refused
from threeassets.windows.routes.cases import case_page

FIELDS = ("applicant_name", "applicant_phone", "applicant_id_no", "village_id", "subject")
NOT_APPLICABLE = "na"  # the value of a conditional material's 不适用 choice


def _item(township_id: int, item_id) -> ServiceItem | None:
    """An active item of the township by id, or None."""
    item = db.session.get(ServiceItem, item_id) if item_id else None
    return item if item is not None and item.township_id == township_id and item.active else None


def _intake_page(item, values: dict, problems: dict, status: int = 200):
    """The intake form, for an item (its checklist) or for choosing one."""
    items = catalogue.items_of(db.session, g.township.id, active_only=True)
    labels = queries.labels(db.session, g.township.id)
    return render_template("windows/intake.html", items=items, svc=item, values=values, problems=problems,
                           labels=labels, form=FlaskForm(),
                           subject_hint=catalogue.subject_placeholder(item) if item else ""), status


@bp.get("/intake")
@township_view("cases.handle")
def intake_form(township_id: int):
    """接件登记: choose the service item, then fill in the applicant and tick the materials brought."""
    item = _item(township_id, to_int(request.args.get("item")))
    if request.args.get("item") and item is None:
        flash("请选择本乡镇在用的服务事项", "warning")
    return _intake_page(item, {}, {})


def _mark(form, key: str) -> rules.Mark:
    """One checklist row as posted: `recv-<key>` is a checkbox (a 必交 material: received or not) or, for a
    conditional one, a choice of received (y), not applicable (na) or missing (empty); `orig-<key>` ticks the
    original seen."""
    value = form.get(f"recv-{key}")
    if value == NOT_APPLICABLE:
        return rules.Mark(not_applicable=True)
    got = value not in (None, "")
    return rules.Mark(received=got, original_seen=got and f"orig-{key}" in form)


def _marks(item: ServiceItem, form) -> dict[str, rules.Mark]:
    """The checklist as marked on the intake form: material name → its mark."""
    return {m.name: _mark(form, m.seq) for m in item.materials}


def _extra_missing(form) -> list[str]:
    """Further missing materials typed one per line (things not on the item's checklist)."""
    return [x.strip() for x in form.get("other_missing", "").splitlines() if x.strip()]


def _after_intake(case, then: str, form) -> str:
    """Accept at once, or hand over the one-time notice, or only register; returns the flash message."""
    if then == "accept":
        service.accept(db.session, case, current_user)
        return f"已受理，办件编号 {case.number}，承诺办结日期 {case.due_on:%Y-%m-%d}。请打印受理回执。"
    if then == "notify":
        missing = service.missing_of(case) + _extra_missing(form)
        service.notify_missing(db.session, case, current_user, missing)  # (intake_problems refused an empty one)
        return f"已登记，办件编号 {case.number}。请打印一次性告知书交申请人（共 {len(missing)} 项需补正）。"
    return f"已登记，办件编号 {case.number}"


@bp.post("/intake")
@township_view("cases.handle")
def intake_save(township_id: int):
    """Register the case (the clerk becomes its first-contact owner) and accept or notify as asked."""
    form = request.form
    item = _item(township_id, to_int(form.get("item_id")))
    values = {k: form.get(k, "") for k in FIELDS}
    if item is None:
        return _intake_page(None, values, {"item_id": "请选择服务事项"}, 422)
    typed = dict(values, marks={m.seq: _mark(form, m.seq) for m in item.materials},
                 other_missing=form.get("other_missing", ""))
    problems = service.intake_problems(  # every problem at once, before anything is written
        db.session, township=g.township, item=item, applicant_name=values["applicant_name"],
        applicant_phone=values["applicant_phone"], applicant_id_no=values["applicant_id_no"],
        village_id=to_int(values["village_id"]), then=form.get("then", "register"), materials=_marks(item, form),
        extra_missing=_extra_missing(form), subject=values["subject"])
    if problems:
        flash(service.not_registered(problems), "danger")
        return _intake_page(item, typed, problems, 422)
    try:
        with transaction(db.session):
            case = service.intake(
                db.session, township=g.township, item=item, actor=current_user,
                applicant_name=values["applicant_name"], applicant_phone=values["applicant_phone"],
                applicant_id_no=values["applicant_id_no"], village_id=to_int(values["village_id"]),
                subject=values["subject"], materials=_marks(item, form))
            message = _after_intake(case, form.get("then", "register"), form)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _intake_page(_item(township_id, item.id), typed, exc.fields, 422)
    return back_to_case(case.id, message)


def _act(case_id: int, do, message: str, move: str = ""):
    """Run one move on the case in a transaction; a refused move writes nothing and is flashed. A move with typed
    text (`move`: its action) comes back on the case page as typed, each problem at its field; the others go back
    to the case page."""
    try:
        with transaction(db.session):
            case = load_case(case_id)
            do(case)
    except RuleError as exc:
        if not move:
            return refused(exc, case_id)
        flash(str(exc), "danger")
        return case_page(load_case(case_id), move, request.form, exc.fields, 422)
    return back_to_case(case_id, message)


@bp.post("/cases/<int:case_id>/materials")
@township_view("cases.handle")
def materials(township_id: int, case_id: int):
    """登记材料: mark what the applicant brought (received, original seen) and which conditional materials do not
    apply to the case (不适用)."""
    form = request.form
    marks = {to_id(k[5:]): _mark(form, k[5:]) for k in form if k.startswith("recv-") and to_id(k[5:])}
    return _act(case_id, lambda c: service.record_materials(db.session, c, current_user, marks), "材料登记已保存")


@bp.post("/cases/<int:case_id>/notify")
@township_view("cases.handle")
def notify(township_id: int, case_id: int):
    """一次性告知: every missing material (ticked rows plus typed lines) on one notice."""
    missing = request.form.getlist("missing") + _extra_missing(request.form)
    return _act(case_id, lambda c: service.notify_missing(db.session, c, current_user, missing),
                "已出具一次性告知书，请打印交申请人", "notify")


@bp.post("/cases/<int:case_id>/accept")
@township_view("cases.handle")
def accept(township_id: int, case_id: int):
    """受理: the promised clock starts; print the receipt."""
    return _act(case_id, lambda c: service.accept(db.session, c, current_user), "已受理，请打印受理回执")


@bp.post("/cases/<int:case_id>/resume")
@township_view("cases.handle")
def resume(township_id: int, case_id: int):
    """补正材料已收齐: an accepted case runs again, its promised date pushed by the pause."""
    return _act(case_id, lambda c: service.resume(db.session, c, current_user), "补正材料已收齐，继续办理")


@bp.post("/cases/<int:case_id>/start")
@township_view("cases.handle")
def start(township_id: int, case_id: int):
    """开始办理: the user becomes the case's handler."""
    return _act(case_id, lambda c: service.start(db.session, c, current_user), "已开始办理")


@bp.post("/cases/<int:case_id>/transfer")
@township_view("cases.handle")
def transfer(township_id: int, case_id: int):
    """转办 to another window; the first-contact owner stays accountable."""
    window = db.session.get(Window, to_int(request.form.get("window_id")) or 0)
    note = request.form.get("note", "")

    def do(case):
        if window is None or window.township_id != township_id:
            raise RuleError("请选择要转办的窗口", fields={"window_id": "请选择窗口"})
        service.transfer(db.session, case, current_user, window, note)
    return _act(case_id, do, f"已转至{window.name}" if window else "", "transfer")


@bp.post("/cases/<int:case_id>/complete")
@township_view("cases.handle")
def complete(township_id: int, case_id: int):
    """办结 with the result and, when given, the applicant's satisfaction."""
    result, rating = request.form.get("result", ""), to_int(request.form.get("satisfaction"))
    return _act(case_id, lambda c: service.complete(db.session, c, current_user, result, rating), "已办结",
                "complete")


@bp.post("/cases/<int:case_id>/rate")
@township_view("cases.handle")
def rate(township_id: int, case_id: int):
    """满意度评价 of a completed case."""
    rating = to_int(request.form.get("satisfaction"))
    return _act(case_id, lambda c: service.rate(db.session, c, current_user, rating), "满意度已登记", "rate")


@bp.post("/cases/<int:case_id>/reject")
@township_view("cases.handle")
def reject(township_id: int, case_id: int):
    """不予受理 / 退回 with the reason; print the notice."""
    reason = request.form.get("reason", "")
    return _act(case_id, lambda c: service.reject(db.session, c, current_user, reason),
                "已不予受理（退回），请打印通知书交申请人", "reject")
