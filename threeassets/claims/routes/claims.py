"""A village's claim pages: the list, the form (new, edit), a claim's page, its receipts, submit and delete."""
from __future__ import annotations

import json
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from threeassets.attachments.rules import upload_refusals
from threeassets.attachments.service import HOLD_FOR
from threeassets.auth.access import village_view
from threeassets.auth.rules import can, permissions_of
from threeassets.claims import forms, service
from threeassets.claims.models import Claim
from threeassets.claims.routes import LABELS, actions_of, bp, case_url, filtered, page_size, visible_claim
from threeassets.claims.rules import STATUS_LABELS, claim_actions, claim_refusal
from threeassets.core import clock
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.parse import to_id
from threeassets.core.tenancy import get_owned
from threeassets.ledger.chart import mnemonic, path_mnemonic
from threeassets.windows.rules import STATE_LABELS

SPARE_LINES = 3  # blank rows under the typed ones; the page's script adds more
HOLD_HOURS = int(HOLD_FOR.total_seconds() // 3600)


@bp.get("")
@village_view("claims.read")
def index(village_id: int):
    """报账申请: the village's claims, newest first, with their state and any return reason."""
    q = filtered(select(Claim).where(Claim.village_id == village_id), request.args)
    page = paginate(db.session, q.order_by(Claim.id.desc()), arg_page(), page_size())
    return render_template("claims/index.html", page=page, args=request.args, L=LABELS,
                           actions=actions_of(page.items))


def _rows(claim: Claim | None, typed=None) -> list[dict]:
    """Line rows for the form: what was typed, else the stored lines; then a few blank ones."""
    if typed is not None:
        rows = [row for _, row in forms.line_rows(typed)]
    else:
        rows = [{"purpose": ln.purpose, "account_code": ln.account_code, "amount": ln.amount, "invoice": ln.invoice}
                for ln in (claim.lines if claim else [])]
    blank = {"purpose": "", "account_code": "", "amount": "", "invoice": "vat"}
    return rows + [dict(blank, spare=n > 0) for n in range(SPARE_LINES)]  # a phone shows one blank line


def _form_page(claim: Claim | None, typed=None, problems=None, status: int = 200, *, title: str = "",
               held=(), files_note: str = "", stale: bool = False):
    """The claim form with stored or typed values, every problem listed above it (in page order) and marked at
    its field, the files held for it and the buttons the claim's state allows (a new claim is a draft); `stale`:
    the claim was sent on while the form was open, so the page offers the claim as it now is."""
    receipts = service.receipts_of(db.session, claim) if claim else []
    values = typed if typed is not None else _values(claim)
    actions = claim_actions(claim.status if claim else "draft", permissions_of(current_user.role))
    problems = problems or {}
    return render_template("claims/form.html", claim=claim, v=values, rows=_rows(claim, typed),
                           problems=problems, listed=forms.page_order(problems), problem_title=title,
                           receipts=receipts, held=held, files_note=files_note, hold_hours=HOLD_HOURS,
                           L=LABELS, actions=actions, picker_accounts=_picker_accounts(), stale=stale), status


def _picker_accounts() -> list[dict]:
    """The expense leaves a claim line may suggest, for the pinyin picker (code, name, initials)."""
    return [{"code": c, "name": n, "py": mnemonic(n), "fpy": path_mnemonic(n)}
            for c, n in service.claim_accounts(db.session, g.village.id)]


def _values(claim: Claim | None) -> dict:
    """Header values of the form from a stored claim (or the defaults of a new one)."""
    if claim is None:
        return {"payee_kind": "person", "pay_method": "bank", "occurred_on": date.today().isoformat()}
    return {k: ("" if getattr(claim, k) is None else str(getattr(claim, k))) for k in forms.TEXT_LIMITS} | {
        "payee_kind": claim.payee_kind, "pay_method": claim.pay_method, "occurred_on": str(claim.occurred_on),
        "signed_on": str(claim.signed_on or "")}


def _chosen_files() -> list[tuple[str, bytes]]:
    """(name, bytes) of every file chosen in the form's 票据文件 field."""
    return [(f.filename, f.read()) for f in request.files.getlist("receipts") if f and f.filename]


def _file_problem(asked: set[int], held, refused: list[str]) -> str | None:
    """What is wrong with the form's files: held ones no longer there (expired, or saved with a claim meanwhile)
    and every refused file chosen."""
    out = []
    if len(held) < len(asked):
        out.append(f"有 {len(asked) - len(held)} 个暂存的票据文件已失效（超过{HOLD_HOURS}小时或已随其他报账单保存），"
                   "请重新选择")
    if refused:
        out.append("；".join(refused) + "。所选文件都未保存，请重新选择")
    return "；".join(out) or None


def _problems(claim: Claim | None, data, problems: dict, files, held, today, *, submitting: bool) -> dict:
    """Every problem of the typed claim at once: what reading it found (its files included), and what the claim
    rules say of a draft — or, for 保存并提交, of a claim to submit (its receipts: stored, held and chosen)."""
    receipts = (len(service.receipts_of(db.session, claim)) if claim else 0) + len(held) + len(files)
    found = service.form_problems(db.session, village=g.village, data=data, receipts=receipts, today=today,
                                  submitting=submitting)
    return {**found, **problems}  # a field's reading problem says more than a rule about its empty value


def _came_back(claim: Claim | None, problems: dict, files, held, now, asked: set[int]):
    """The form again with every problem; the checked files chosen on it are held for its resubmission (what the
    user held before and did not keep goes)."""
    if files or held or asked:
        with transaction(db.session):
            held = service.hold_receipts(db.session, village_id=g.village.id, actor=current_user, files=files,
                                         keep=held, now=now)
    note = (f"表单有误，报账单未保存；已选的票据文件已暂存，改正后提交即可，不必重新选择（{HOLD_HOURS}小时内有效）"
            if held and "receipts" not in problems else "")
    return _form_page(claim, request.form, problems, 422, title="报账单未保存", held=held, files_note=note)


def _save(claim: Claim | None):
    """Save the typed claim with its chosen and held receipts; with 保存并提交, submit it afterwards. A claim that
    cannot even be a draft comes back with every problem at once (submission's too), nothing saved and its files
    held; a draft that cannot be submitted yet is saved, and comes back with every problem of its submission."""
    now, submitting = clock.now(), request.form.get("action") == "submit"
    data, problems = forms.parse(request.form)
    files = _chosen_files()
    asked = {i for x in request.form.getlist("held") if (i := to_id(x))}
    held = service.held_receipts(db.session, village_id=g.village.id, actor=current_user, now=now, ids=asked)
    refused = upload_refusals(files)
    if why := _file_problem(asked, held, refused):  # said, never dropped without a word
        problems["receipts"] = why
    if refused:
        files = []  # all or none: one refused file refuses the lot
    if _problems(claim, data, dict(problems), files, held, now.date(), submitting=False):
        problems = _problems(claim, data, problems, files, held, now.date(), submitting=submitting)
        return _came_back(claim, problems, files, held, now, asked)
    try:
        with transaction(db.session):
            claim = service.save(db.session, village=g.village, actor=current_user, data=data, claim=claim,
                                 today=now.date())
            service.attach_receipts(db.session, claim=claim, files=files, held=held, actor=current_user, now=now)
    except RuleError as exc:  # e.g. the claim was submitted from another page since the route's own check
        flash(str(exc), "danger")
        if claim is None or claim.id is None:
            return _form_page(None, request.form, exc.fields, 422, title="报账单未保存")
        claim = get_owned(db.session, Claim, claim.id, g.village.id)
        moved = claim_refusal(claim.status, "edit") is not None
        return _form_page(claim, request.form, exc.fields, 409 if moved else 422, title="报账单未保存", stale=moved)
    if submitting:
        return _submit(claim)
    flash(f"报账单已保存（{STATUS_LABELS[claim.status]}）", "success")
    return redirect(url_for(".show", village_id=g.village.id, claim_id=claim.id))


def _submit(claim: Claim):
    """Submit a saved claim; its problems send the village back to the form with every field marked."""
    try:
        with transaction(db.session):
            service.submit(db.session, claim=claim, village=g.village, actor=current_user, today=clock.now().date())
    except RuleError as exc:
        db.session.expire_all()
        claim = get_owned(db.session, Claim, claim.id, g.village.id)
        if not exc.fields:
            flash(str(exc), "danger")
        return _form_page(claim, None, exc.fields, 422, title="报账单已保存，但还不能提交")
    flash(f"报账单 {claim.number} 已提交，等待乡镇窗口接件", "success")
    return redirect(url_for(".show", village_id=g.village.id, claim_id=claim.id))


@bp.route("/new", methods=["GET", "POST"])
@village_view("claims.submit")
def new(village_id: int):
    """A new claim of the village (saved as a draft, or saved and submitted)."""
    if request.method == "POST":
        return _save(None)
    return _form_page(None)


def _editable(village_id: int, claim_id: int) -> Claim:
    """The village's claim, if the claim rules still let the village change it (else back to its page with
    their reason)."""
    claim = get_owned(db.session, Claim, claim_id, village_id)
    if why := claim_refusal(claim.status, "edit"):
        flash(why, "warning")
        abort(redirect(url_for(".show", village_id=village_id, claim_id=claim_id)))
    return claim


@bp.route("/<int:claim_id>/edit", methods=["GET", "POST"])
@village_view("claims.submit")
def edit(village_id: int, claim_id: int):
    """Change a draft or a returned claim. A claim sent on meanwhile (from another page) refuses the save, and
    what was typed comes back on the form with the reason (409) instead of being thrown away."""
    if request.method == "GET":
        return _form_page(_editable(village_id, claim_id))
    claim = get_owned(db.session, Claim, claim_id, village_id)
    if why := claim_refusal(claim.status, "edit"):
        flash(f"报账单未保存：{why}（该报账单已在其他页面或由其他人员处理）", "danger")
        return _form_page(claim, request.form, None, 409, title="报账单未保存", stale=True)
    return _save(claim)


@bp.get("/<int:claim_id>")
@village_view("claims.read")
def show(village_id: int, claim_id: int):
    """One claim: payee (account masked), lines, receipts, sign-offs, its window case and voucher draft, and the
    actions the claim rules give the user (a draft is missing outside the village)."""
    return _page(visible_claim(village_id, claim_id))


def _page(claim: Claim, whole_account: str | None = None):
    """The claim's page (with the payee's whole account when it was just asked for)."""
    case = service.case_of(db.session, claim)
    may_pay = can(current_user.role, "voucher.prepare") and bool(claim.payee_account)
    return render_template("claims/show.html", claim=claim, receipts=service.receipts_of(db.session, claim),
                           case=case, missing=json.loads(case.missing) if case and case.missing else [],
                           case_url=case_url, CASE_STATES=STATE_LABELS,
                           actions=claim_actions(claim.status, permissions_of(current_user.role)),
                           names=service.account_names(db.session, claim), L=LABELS, may_pay=may_pay,
                           whole_account=whole_account)


@bp.post("/<int:claim_id>/account")
@village_view("voucher.prepare")
def account(village_id: int, claim_id: int):
    """The payee's whole account number, for the agency staff who pay it: each viewing is audited."""
    claim = visible_claim(village_id, claim_id)
    with transaction(db.session):
        service.account_viewed(db.session, claim, current_user)
    return _page(claim, whole_account=claim.payee_account)


@bp.post("/<int:claim_id>/submit")
@village_view("claims.submit")
def submit(village_id: int, claim_id: int):
    """Send the claim to the township's window (the service checks the submit rule; a claim the village may no
    longer change is sent back to its page first)."""
    return _submit(_editable(village_id, claim_id))


@bp.post("/<int:claim_id>/receipts")
@village_view("claims.submit")
def upload(village_id: int, claim_id: int):
    """Add receipts to an editable claim (JPG, PNG or PDF, at most 5 MB each; all or none)."""
    claim = _editable(village_id, claim_id)
    try:
        with transaction(db.session):
            stored = service.add_receipts(db.session, claim=claim, files=request.files.getlist("receipts"),
                                          actor=current_user)
    except RuleError as exc:
        flash(f"票据未上传：{exc}", "danger")
    else:
        flash(f"已上传 {len(stored)} 个票据文件", "success")
    return redirect(url_for(".show", village_id=village_id, claim_id=claim_id))


@bp.post("/<int:claim_id>/receipts/delete")
@village_view("claims.submit")
def remove_receipt(village_id: int, claim_id: int):
    """Remove one receipt (form field attachment_id) from an editable claim."""
    claim = _editable(village_id, claim_id)
    attachment_id = to_id(request.form.get("attachment_id"))
    try:
        with transaction(db.session):
            service.remove_receipt(db.session, claim=claim, attachment_id=attachment_id, actor=current_user)
    except RuleError:
        abort(404)
    flash("票据已删除", "success")
    return redirect(url_for(".show", village_id=village_id, claim_id=claim_id))


@bp.post("/<int:claim_id>/delete")
@village_view("claims.submit")
def delete(village_id: int, claim_id: int):
    """Delete a draft claim."""
    claim = get_owned(db.session, Claim, claim_id, village_id)
    try:
        with transaction(db.session):
            service.delete(db.session, claim=claim, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "warning")
        return redirect(url_for(".show", village_id=village_id, claim_id=claim_id))
    flash("草稿已删除", "success")
    return redirect(url_for(".index", village_id=village_id))
