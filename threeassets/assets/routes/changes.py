"""Changes of a card: transfer, revaluation, disposal with its 四议两公开 record, and the head's approval."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.assets import disposal, service
from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.routes import LABELS, bp
from threeassets.assets.rules import card_refusal, disposal_problems
from threeassets.auth.access import village_view
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.parse import length_problems, to_int, too_long
from threeassets.core.periods import read_day
from threeassets.core.tenancy import get_owned
from threeassets.decisions.rules import STEPS, DecisionInput
from threeassets.orgs.settings import decision_rules, get_settings

DECISION_DATES = ("proposal_on", "committees_on", "members_on", "resolution_on", "notice_from", "notice_to",
                  "result_notice_on")
DECISION_COUNTS = ("votes_for", "votes_against", "votes_abstain", "attendees")


def _on(v: dict, problems: dict) -> date | None:
    """The action's date (v["on"]), not after today; its problem in words (an impossible day named as such) goes
    into problems, and then None."""
    on, why = read_day(v.get("on"))
    if why or on is None or on > date.today():
        problems["on"] = why or "请填写不晚于今天的日期"
        return None
    return on


def _action_page(template: str, a: Asset, values: dict, problems: dict, status: int = 200, **extra):
    """One of the card's action forms with typed values and problems."""
    return render_template(f"assets/{template}.html", a=a, v=values, problems=problems, L=LABELS,
                           form=FlaskForm(), today=date.today().isoformat(), **extra), status


def card_closed(a: Asset, action: str) -> str | None:
    """Why the card's rules refuse the action now (disposed of, a disposal waiting), before anything typed is read:
    a form is not offered then, and one sent from a page opened before comes back without its button (409)."""
    return card_refusal(service.facts_of(a, service.pending_of(db.session, a) is not None), action)


def _back_to_card(a: Asset, why: str):
    """To the card, with the reason its form is not offered."""
    flash(why, "warning")
    return redirect(url_for(".show", village_id=a.village_id, asset_id=a.id))


@bp.route("/<int:asset_id>/transfer", methods=["GET", "POST"])
@village_view("registers.edit")
def transfer(village_id: int, asset_id: int):
    """变动: location, custodian, use or status of a card (no voucher)."""
    a = get_owned(db.session, Asset, asset_id, village_id)
    why = card_closed(a, "transfer")
    if request.method == "GET":
        return _back_to_card(a, why) if why else _action_page(
            "transfer", a, {"on": date.today().isoformat(), "status": a.status, "purpose": a.purpose,
                            "location": a.location, "custodian": a.custodian}, {})
    v, problems = request.form.to_dict(), {}
    if why:
        flash(why, "danger")
        return _action_page("transfer", a, v, {}, 409, stale=True)
    on = _on(v, problems)
    if v.get("status") not in ("in_use", "leased", "idle"):
        problems["status"] = "请选择状态"
    if v.get("purpose") not in LABELS["PURPOSE"]:
        problems["purpose"] = "请选择用途"
    problems |= length_problems({"location": (v.get("location"), 200, "存放地点"),
                                 "custodian": (v.get("custodian"), 50, "保管人")})
    if not problems:
        try:
            with transaction(db.session):
                service.transfer(db.session, village=g.village, asset=a, on=on, status=v["status"],
                                 purpose=v["purpose"], location=v.get("location", "").strip(),
                                 custodian=v.get("custodian", "").strip(), actor=current_user, note=v.get("note", ""))
            flash("资产变动已登记", "success")
            return redirect(url_for(".show", village_id=village_id, asset_id=a.id))
        except RuleError as exc:
            flash(str(exc), "danger")
            problems = exc.fields
    return _action_page("transfer", a, v, problems, 422)


@bp.route("/<int:asset_id>/revalue", methods=["GET", "POST"])
@village_view("registers.edit")
def revalue(village_id: int, asset_id: int):
    """评估: set the net book value to an appraised value, posting the difference."""
    a = get_owned(db.session, Asset, asset_id, village_id)
    why = card_closed(a, "revalue")
    if request.method == "GET":
        return _back_to_card(a, why) if why else _action_page("revalue", a, {"on": date.today().isoformat()}, {})
    v = request.form.to_dict()
    if why:
        flash(why, "danger")
        return _action_page("revalue", a, v, {}, 409, stale=True)
    problems, appraised = {}, None
    on = _on(v, problems)
    try:
        appraised = parse_amount(v.get("appraised"))
        if appraised is None:
            problems["appraised"] = "请填写评估价值"
    except AmountError as exc:
        problems["appraised"] = str(exc)
    if not problems:
        try:
            with transaction(db.session):
                row = service.revalue(db.session, village=g.village, asset=a, on=on, appraised=appraised,
                                      actor=current_user, note=v.get("note", ""))
            flash(f"评估调整已记账：{'增值' if row.amount > 0 else '减值'} {abs(row.amount):,.2f} 元", "success")
            return redirect(url_for(".show", village_id=village_id, asset_id=a.id))
        except RuleError as exc:
            flash(str(exc), "danger")
            problems = getattr(exc, "fields", {})
    return _action_page("revalue", a, v, problems, 422)


def _decision(v: dict, problems: dict) -> DecisionInput:
    """The decision record typed on the disposal form; bad dates and counts are noted."""
    fields = {"subject": v.get("subject", "").strip(), "remarks": v.get("remarks", "").strip() or None}
    for k in DECISION_DATES:
        fields[k], why = read_day(v.get(k))
        if why:
            problems[k] = why
    for k in DECISION_COUNTS:
        text = v.get(k, "").strip()
        fields[k] = to_int(text)
        if text and fields[k] is None:
            problems[k] = "应为非负整数"
    return DecisionInput(**fields)


def _dispose_page(a: Asset, v: dict, problems: dict, status: int = 200, stale: bool = False):
    """The disposal form with the township's 四议两公开 rules."""
    net = a.original_cost - a.accumulated_depreciation
    _amount, steps = disposal.required_for(db.session, g.village, a, net)
    return _action_page("dispose", a, v, problems, status, net=net, steps=steps, STEPS=STEPS,
                        rules=decision_rules(get_settings(db.session, g.village.township_id)), stale=stale)


@bp.route("/<int:asset_id>/dispose", methods=["GET", "POST"])
@village_view("registers.edit")
def dispose(village_id: int, asset_id: int):
    """处置: sale, auction or write-off with its decision record; large ones wait for the head's approval."""
    a = get_owned(db.session, Asset, asset_id, village_id)
    why = card_closed(a, "dispose")
    if request.method == "GET":
        return _back_to_card(a, why) if why else _dispose_page(
            a, {"on": date.today().isoformat(), "method": "sale", "receipt": "bank", "subject": f"处置{a.name}"}, {})
    v, problems = request.form.to_dict(), {}
    if why:
        flash(why, "danger")
        return _dispose_page(a, v, {}, 409, stale=True)
    try:
        proceeds = parse_amount(v.get("proceeds"))
    except AmountError as exc:
        proceeds, problems["proceeds"] = None, str(exc)
    typed_on, why = read_day(v.get("on"))
    if why:
        problems["on"] = why
    problems.update({k: why for k, why in disposal_problems(v.get("method", ""), typed_on, proceeds,
                                                            a.acquired_on, date.today()).items()
                     if k not in problems})
    decision = _decision(v, problems)
    problems |= length_problems({"counterparty": (v.get("counterparty"), 100, "受让方"),
                                 "subject": (v.get("subject"), 200, "决策事项")})
    on = None if "on" in problems else typed_on  # the typed fields, the decision record, the month: at once
    problems |= {k: why for k, why in disposal.problems(db.session, g.village, a, on, proceeds, decision).items()
                 if k not in problems}
    if problems:
        if "decision" not in problems:  # the missing steps have their own notice above the form
            flash("处置未办理：" + (problems["on"] if set(problems) == {"on"} else "请改正标红的项目"), "danger")
        return _dispose_page(a, v, problems, 422)
    try:
        with transaction(db.session):
            row = disposal.submit(db.session, village=g.village, asset=a, decision=decision, actor=current_user,
                                  d=disposal.DisposalInput(v["method"], on, proceeds,
                                                           v.get("receipt", "bank"), v.get("counterparty", "").strip(),
                                                           v.get("note", "")))
    except RuleError as exc:
        fields = getattr(exc, "fields", {})
        if "decision" not in fields:  # the missing steps have their own notice above the form
            flash(str(exc), "danger")
        return _dispose_page(a, v, fields, 422)
    waiting = "处置已提交，待中心主任审批后记账（录入人不审批自己录入的处置）"
    flash(waiting if row.status == "pending" else "处置已完成并记账", "success")
    return redirect(url_for(".show", village_id=village_id, asset_id=a.id))


@bp.post("/changes/<int:change_id>/approve")
@village_view("disposal.approve")
def approve(village_id: int, change_id: int):
    """The head approves a pending disposal: its vouchers are posted."""
    row = get_owned(db.session, AssetChange, change_id, village_id)
    try:
        with transaction(db.session):
            disposal.approve(db.session, village=g.village, row=row, actor=current_user)
        flash("处置已审批并记账", "success")
    except RuleError as exc:
        flash(f"未审批：{exc}", "danger")
    return redirect(url_for(".show", village_id=village_id, asset_id=row.asset_id))


@bp.post("/changes/<int:change_id>/reject")
@village_view("disposal.approve")
def reject(village_id: int, change_id: int):
    """The head sends a pending disposal back; nothing is posted."""
    row = get_owned(db.session, AssetChange, change_id, village_id)
    note = request.form.get("note", "").strip()
    try:
        if why := too_long(note, 200, "退回说明"):
            raise RuleError(why, {"note": why})
        with transaction(db.session):
            disposal.reject(db.session, village=g.village, row=row, actor=current_user, note=note)
        flash("处置申请已退回", "success")
    except RuleError as exc:
        flash(f"未退回：{exc}", "danger")
    return redirect(url_for(".show", village_id=village_id, asset_id=row.asset_id))
