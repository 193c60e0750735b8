"""Contracts of a village: list, draft form, schedule, activation, end, termination, renewal, summary PDF."""
from __future__ import annotations

from datetime import date

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from threeassets.assets.models import Asset
from threeassets.auth.access import village_view
from threeassets.auth.rules import permissions_of
from threeassets.contracts import decision as dec
from threeassets.contracts import queries, rules, service
from threeassets.contracts.models import Contract
from threeassets.contracts.routes import bp, ctx, load, typed_day
from threeassets.contracts.schedule import FREQUENCY_LABELS
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError, refuse_fields
from threeassets.core.money import AmountError, parse_amount, plain
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_id, arg_page
from threeassets.core.periods import read_day
from threeassets.core.refused import NONE, refused
from threeassets.ledger.models import Account
from threeassets.resources.models import Resource
from threeassets.resources.rules import STATUS_LABELS as RESOURCE_STATUS

SUBJECT_ROWS = 4


@bp.get("")
@village_view("registers.read")
def index(village_id: int):
    """合同管理: filters above a paginated table."""
    page = paginate(db.session, queries.search(village_id, request.args), arg_page(),
                    current_app.config["PAGE_SIZE"])
    return render_template("contracts/list.html", **ctx(page=page, args=request.args))


def _options(village_id: int) -> dict:
    """Subject choices (the village's resources and assets not disposed) and income accounts."""
    resources = db.session.scalars(select(Resource).where(Resource.village_id == village_id).order_by(Resource.code))
    assets = db.session.scalars(select(Asset).where(Asset.village_id == village_id, Asset.status != "disposed")
                                .order_by(Asset.code))
    incomes = db.session.scalars(select(Account).where(
        Account.village_id == village_id, Account.is_leaf.is_(True),
        or_(*[Account.code.startswith(p) for p in rules.INCOME_PREFIXES])).order_by(Account.code))
    return {"resources": list(resources), "assets": list(assets), "incomes": list(incomes),
            "RESOURCE_STATUS": RESOURCE_STATUS}


def _refs(form) -> list[tuple[str, str]]:
    """(subject reference, let area) pairs of the form."""
    refs, areas = form.getlist("subject_ref"), form.getlist("subject_area")
    return [(ref, areas[i] if i < len(areas) else "") for i, ref in enumerate(refs)]


def _form_page(contract, values: dict, refs, problems=None, renews=None, status: int = 200,
               stale: Contract | None = None):
    """The contract form (new, edit or renewal) with values and problems; `stale`: the contract that moved on
    while the form was open (made effective, renewed meanwhile), offered instead of saving again."""
    refs = list(refs) + [("", "")] * max(0, SUBJECT_ROWS - len(refs))
    return render_template("contracts/form.html", **ctx(contract=contract, values=values, refs=refs,
                                                        problems=problems or {}, renews=renews, stale=stale,
                                                        **_options(g.village.id))), status


@bp.get("/new")
@village_view("registers.edit")
def new(village_id: int):
    """Blank contract form; ?resource= preselects a subject."""
    today = date.today().isoformat()
    values = {"kind": "contracting", "party_type": "person", "award_method": "negotiation", "frequency": "yearly",
              "signed_on": today, "starts_on": today}
    ref = arg_id("resource")
    return _form_page(None, values, [(f"resource:{ref}", "")] if ref else [])


def _create(village_id: int, renews: Contract | None):
    """Save a new (or renewal) draft from the form."""
    try:
        with transaction(db.session):
            old = load(village_id, renews.id) if renews else None
            c = service.create_draft(db.session, village=g.village, data=request.form, refs=_refs(request.form),
                                     actor=current_user, today=date.today(), renews=old)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _form_page(None, request.form, _refs(request.form), exc.fields, renews, 422)
    flash(f"合同 {c.code} 已保存为草稿：请核对收款计划和四议两公开记录后点“生效”", "success")
    return redirect(url_for(".show", village_id=village_id, contract_id=c.id))


@bp.post("/new")
@village_view("registers.edit")
def create(village_id: int):
    """Create a draft contract with its subjects, decision record and schedule."""
    return _create(village_id, None)


@bp.get("/<int:contract_id>")
@village_view("registers.read")
def show(village_id: int, contract_id: int):
    """A contract: terms, subjects, decision record, schedule, receipts and the actions its state allows."""
    return _show_page(village_id, contract_id)


def _show_page(village_id: int, contract_id: int, refused=NONE, status: int = 200, schedule_typed=None):
    """The contract's page; after a refused 解除 or schedule, drawn again with the form as typed (422)."""
    from threeassets.contracts.models import Receipt
    c = load(village_id, contract_id)
    receipts = db.session.scalars(select(Receipt).where(Receipt.village_id == village_id,
                                                        Receipt.contract_id == c.id).order_by(Receipt.id))
    renewed_by = queries.renewal_of(db.session, c)
    renews = db.session.get(Contract, c.renews_id) if c.renews_id else None
    income = db.session.scalar(select(Account.full_name).where(Account.village_id == village_id,
                                                               Account.code == c.income_account))
    facts, mine = service.facts_of(c, renewed=renewed_by is not None), permissions_of(current_user.role)
    return render_template("contracts/show.html", **ctx(
        c=c, decision=dec.decision_of(db.session, c), receipts=list(receipts), renewed_by=renewed_by,
        renews=renews, subjects=_subject_rows(c), income_name=income or "",
        actions=rules.contract_actions(facts, mine),
        inst_actions={i.id: rules.installment_actions(facts, service.installment_facts(i), mine)
                      for i in c.installments},
        refused=refused, terminate_reason_max=rules.TERMINATE_REASON_MAX, schedule_typed=schedule_typed)), status


def _subject_rows(c: Contract) -> list[tuple[str, object, object]]:
    """(kind label, row, let area) of a contract's subjects."""
    out = []
    for s in c.subjects:
        row = db.session.get(Resource, s.resource_id) if s.resource_id else db.session.get(Asset, s.asset_id)
        out.append(("资源" if s.resource_id else "资产", row, s.area_mu))
    return out


def _values(c: Contract) -> dict[str, str]:
    """A contract's fields as form values."""
    values = {f: ("" if getattr(c, f) is None else str(getattr(c, f))) for f in service.HEADER}
    values.update(note=c.note or "", total_price=plain(c.total_price), deposit=plain(c.deposit))
    values.update(dec.form_values(dec.decision_of(db.session, c)))
    return values


def _subject_refs(c: Contract) -> list[tuple[str, str]]:
    """A contract's subjects as form references."""
    return [(f"resource:{s.resource_id}" if s.resource_id else f"asset:{s.asset_id}",
             plain(s.area_mu) if s.area_mu is not None else "") for s in c.subjects]


@bp.get("/<int:contract_id>/edit")
@village_view("registers.edit")
def edit(village_id: int, contract_id: int):
    """The edit form of a draft."""
    c = load(village_id, contract_id)
    if rules.contract_refusal(service.facts_of(c), "edit"):
        flash("只有草稿合同可以修改", "warning")
        return redirect(url_for(".show", village_id=village_id, contract_id=c.id))
    return _form_page(c, _values(c) | {"frequency": "yearly"}, _subject_refs(c))


@bp.post("/<int:contract_id>/edit")
@village_view("registers.edit")
def update(village_id: int, contract_id: int):
    """Save an edited draft."""
    c = load(village_id, contract_id)
    try:
        with transaction(db.session):
            c = load(village_id, contract_id)
            service.update_draft(db.session, village=g.village, contract=c, data=request.form,
                                 refs=_refs(request.form), actor=current_user, today=date.today())
    except RuleError as exc:
        flash(str(exc), "danger")
        c = load(village_id, contract_id)  # made effective meanwhile (another page): saving again cannot help
        moved = rules.contract_refusal(service.facts_of(c), "edit") is not None
        return _form_page(c, request.form, _refs(request.form), exc.fields, None, 409 if moved else 422,
                          stale=c if moved else None)
    flash("已保存", "success")
    return redirect(url_for(".show", village_id=village_id, contract_id=contract_id))


def _act(village_id: int, contract_id: int, fn, done: str, typed: tuple[str, tuple[str, ...]] | None = None,
         problems=None, **kw):
    """Run a lifecycle action in one transaction; a refusal is flashed and nothing is written. A form with
    typed fields, typed = (its key on the page, its fields) (解除), comes back on the page as typed after a
    refusal (422); `problems` are the typed fields' own, found before the action."""
    load(village_id, contract_id)
    try:
        refuse_fields(problems or {})
        with transaction(db.session):
            fn(db.session, village=g.village, contract=load(village_id, contract_id), actor=current_user, **kw)
    except RuleError as exc:
        flash(str(exc), "danger")
        if typed:
            form, names = typed
            return _show_page(village_id, contract_id, refused(form, request.form, names, exc.fields), 422)
    else:
        flash(done, "success")
    return redirect(url_for(".show", village_id=village_id, contract_id=contract_id))


@bp.post("/<int:contract_id>/activate")
@village_view("registers.edit")
def activate(village_id: int, contract_id: int):
    """生效: checks the decision record, the schedule and overlaps; the subjects become let."""
    return _act(village_id, contract_id, service.activate, "合同已生效，标的状态已更新为已发包/出租")


@bp.post("/<int:contract_id>/end")
@village_view("registers.edit")
def end(village_id: int, contract_id: int):
    """到期终止 (on or after the end date)."""
    return _act(village_id, contract_id, service.end, "合同已到期终止，标的已退回台账", on=date.today())


@bp.post("/<int:contract_id>/terminate")
@village_view("registers.edit")
def terminate(village_id: int, contract_id: int):
    """解除 on a date with a reason; future installments are cancelled."""
    on, problems = typed_day(request.form, "on", "解除日期")
    problems |= rules.terminate_problems(request.form.get("reason"))  # every problem of the form at once
    return _act(village_id, contract_id, service.terminate, "合同已解除", ("terminate", ("on", "reason")), problems,
                on=on, reason=request.form.get("reason"))


@bp.post("/<int:contract_id>/delete")
@village_view("registers.edit")
def delete(village_id: int, contract_id: int):
    """Delete a draft."""
    load(village_id, contract_id)
    try:
        with transaction(db.session):
            service.delete_draft(db.session, village=g.village, contract=load(village_id, contract_id),
                                 actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return redirect(url_for(".show", village_id=village_id, contract_id=contract_id))
    flash("草稿已删除", "success")
    return redirect(url_for(".index", village_id=village_id))


def _renew_refusal(c: Contract) -> str | None:
    """Why the contract may not be renewed (its state, a renewal already made), or None."""
    return rules.contract_refusal(service.facts_of(c, renewed=queries.renewal_of(db.session, c) is not None),
                                  "renew")


@bp.get("/<int:contract_id>/renew")
@village_view("registers.edit")
def renew_form(village_id: int, contract_id: int):
    """The renewal form: party and subjects carried over, starting after the old term."""
    c = load(village_id, contract_id)
    if why := _renew_refusal(c):
        flash(why, "warning")
        return redirect(url_for(".show", village_id=village_id, contract_id=c.id))
    values = service.renewal_values(c) | {"frequency": "yearly"}
    return _form_page(None, values, _subject_refs(c), renews=c)


@bp.post("/<int:contract_id>/renew")
@village_view("registers.edit")
def renew(village_id: int, contract_id: int):
    """Create the renewal draft (the old contract becomes 已续签 when the renewal takes effect)."""
    c = load(village_id, contract_id)
    if why := _renew_refusal(c):  # renewed or ended meanwhile: the typed form comes back with the reason
        flash(f"续签未保存：{why}", "danger")
        return _form_page(None, request.form, _refs(request.form), None, c, 409, stale=c)
    return _create(village_id, c)


def _schedule_rows(form) -> tuple[list[tuple[date, object]], list[str], list[tuple[str, str, str, str]]]:
    """(due date, amount) rows typed on the schedule page, their problems, and every posted row as typed with its
    problem and the box it is at (due, amount, why, "due_on" or "amount") to show again after a refusal."""
    rows, problems, typed = [], [], []
    for n, (d, a) in enumerate(zip(form.getlist("due_on"), form.getlist("amount"), strict=False), start=1):
        why, at = "", "due_on"
        if d.strip() or a.strip():
            day, why = read_day(d, f"第{n}行到期日")
            if not why:
                try:
                    amount = parse_amount(a)
                except AmountError as exc:
                    why, at = f"第{n}行金额：{exc}", "amount"
                else:
                    if day is None or amount is None:
                        why, at = f"第{n}行：请填写到期日和金额", "due_on" if day is None else "amount"
                    else:
                        rows.append((day, amount))
        if why:
            problems.append(why)
        typed.append((d, a, why, at))
    return rows, problems, typed


@bp.post("/<int:contract_id>/schedule")
@village_view("registers.edit")
def schedule(village_id: int, contract_id: int):
    """Save the edited schedule of a draft, or regenerate equal installments (?frequency=); a refusal shows the
    rows as typed, each problem at its row (422)."""
    from threeassets.contracts.schedule import generate
    load(village_id, contract_id)
    rows, problems, typed = _schedule_rows(request.form)
    freq = request.form.get("frequency")
    try:
        if problems and freq not in FREQUENCY_LABELS:
            raise RuleError("收款计划未保存：" + "；".join(problems))
        with transaction(db.session):
            c = load(village_id, contract_id)
            if freq in FREQUENCY_LABELS:
                rows = generate(c.starts_on, c.ends_on, c.total_price, freq)
            service.save_schedule(db.session, village=g.village, contract=c, rows=rows, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _show_page(village_id, contract_id, status=422,
                          schedule_typed=None if freq in FREQUENCY_LABELS else typed)
    flash("收款计划已保存", "success")
    return redirect(url_for(".show", village_id=village_id, contract_id=contract_id) + "#schedule")


@bp.get("/<int:contract_id>/summary.pdf")
@village_view("registers.read")
def pdf(village_id: int, contract_id: int):
    """The printable contract summary (合同摘要)."""
    from threeassets.contracts.pdf import render_summary, summary_data
    c = load(village_id, contract_id)
    data = summary_data(db.session, g.village, c)
    return Response(render_summary(data), mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename=contract-{c.code}.pdf"})
