"""Money pages of contracts: receipts, deposits, the due-run, receivables/arrears, expiring contracts, import,
and the township's lists. Views attach to the blueprints of contracts.routes."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from threeassets.auth.access import township_view, village_view
from threeassets.contracts import books, importer, queries
from threeassets.contracts.models import Installment
from threeassets.contracts.routes import bp, ctx, load, township_bp
from threeassets.contracts.rules import parse_date
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.tenancy import get_owned
from threeassets.core.uploads import import_upload
from threeassets.orgs.settings import get_settings
from threeassets.reports.service import township_village_ids

DEPOSIT_KINDS = {"deposit": "收取履约保证金", "refund": "退还履约保证金"}


def _typed(form) -> tuple[date | None, object, dict]:
    """The date and amount of a money form, with their problems by field."""
    problems, amount = {}, None
    on = parse_date(form.get("on"))
    if on is None:
        problems["on"] = "日期格式应为 YYYY-MM-DD"
    try:
        amount = parse_amount(form.get("amount"))
    except AmountError as exc:
        problems["amount"] = str(exc)
    return on, amount, problems


def _money_page(template: str, c, values, problems=None, status: int = 200, **kw):
    """A receipt or deposit form."""
    return render_template(template, **ctx(c=c, values=values, problems=problems or {}, **kw)), status


def _open_installments(c) -> list[Installment]:
    """Installments of a contract that can still receive money."""
    return [i for i in c.installments if i.status in ("scheduled", "due", "partial")]


@bp.get("/<int:contract_id>/receipt")
@village_view("voucher.post")
def receipt_form(village_id: int, contract_id: int):
    """收款 form: an installment (default: the oldest open one), date, amount, bank or cash."""
    c = load(village_id, contract_id)
    open_ = _open_installments(c)
    chosen = request.args.get("inst", type=int) or (open_[0].id if open_ else None)
    inst = next((i for i in open_ if i.id == chosen), None)
    values = {"inst": str(chosen or ""), "on": date.today().isoformat(), "method": "bank",
              "amount": f"{inst.amount - inst.received:.2f}" if inst else ""}
    return _money_page("contracts/receipt.html", c, values, installments=open_)


@bp.post("/<int:contract_id>/receipt")
@village_view("voucher.post")
def receipt(village_id: int, contract_id: int):
    """Post a receipt (借102/101 贷112), accruing the installment first when it is not yet accrued."""
    c = load(village_id, contract_id)
    on, amount, problems = _typed(request.form)
    try:
        if problems:
            raise RuleError("请改正标红的栏目", problems)
        with transaction(db.session):
            c = load(village_id, contract_id)
            inst = get_owned(db.session, Installment, request.form.get("inst", 0, type=int), village_id)
            row = books.receive(db.session, village=g.village, contract=c, inst=inst, on=on, amount=amount,
                                method=request.form.get("method", ""), actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _money_page("contracts/receipt.html", c, request.form, exc.fields, 422,
                           installments=_open_installments(c))
    flash(f"已收款 {row.amount:,.2f} 元并生成记账凭证", "success")
    return redirect(url_for(".show", village_id=village_id, contract_id=contract_id))


@bp.get("/<int:contract_id>/deposit")
@village_view("voucher.post")
def deposit_form(village_id: int, contract_id: int):
    """履约保证金 form: receive (?kind=deposit) or refund (?kind=refund)."""
    c = load(village_id, contract_id)
    kind = request.args.get("kind") if request.args.get("kind") in DEPOSIT_KINDS else "deposit"
    left = c.deposit - c.deposit_received if kind == "deposit" else c.deposit_received
    values = {"kind": kind, "on": date.today().isoformat(), "method": "bank", "amount": f"{left:.2f}"}
    return _money_page("contracts/deposit.html", c, values, KINDS_DEP=DEPOSIT_KINDS)


@bp.post("/<int:contract_id>/deposit")
@village_view("voucher.post")
def deposit(village_id: int, contract_id: int):
    """Post a deposit receipt (借102/101 贷211) or refund (借211 贷102/101)."""
    c = load(village_id, contract_id)
    on, amount, problems = _typed(request.form)
    kind = request.form.get("kind")
    fn = books.refund_deposit if kind == "refund" else books.receive_deposit
    try:
        if problems:
            raise RuleError("请改正标红的栏目", problems)
        with transaction(db.session):
            c = load(village_id, contract_id)
            row = fn(db.session, village=g.village, contract=c, on=on, amount=amount,
                     method=request.form.get("method", ""), actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _money_page("contracts/deposit.html", c, request.form, exc.fields, 422, KINDS_DEP=DEPOSIT_KINDS)
    flash(f"{DEPOSIT_KINDS.get(kind, '收取履约保证金')} {row.amount:,.2f} 元，已生成记账凭证", "success")
    return redirect(url_for(".show", village_id=village_id, contract_id=contract_id))


@bp.post("/accrue")
@village_view("voucher.post")
def accrue(village_id: int):
    """The due-run: accrue every installment due by the date (default today) into 112."""
    on = parse_date(request.form.get("on")) or date.today()
    try:
        with transaction(db.session):
            done = books.accrue_due(db.session, village=g.village, on=on, actor=current_user)
    except RuleError as exc:
        flash(f"确认应收未完成，未写入任何数据：{exc}", "danger")
    else:
        flash(f"已确认 {len(done)} 期应收款（截至 {on}）" if done else f"截至 {on} 没有需要确认的应收款",
              "success" if done else "info")
    return redirect(url_for(".receivables", village_id=village_id))


@bp.get("/receivables")
@village_view("registers.read")
def receivables(village_id: int):
    """应收款/逾期: unpaid installments due by now or within 30 days, with days overdue."""
    today = date.today()
    overdue_only = request.args.get("overdue") == "1"
    rows = queries.receivables(db.session, [village_id], today, overdue_only)
    pending = len(books.due_installments(db.session, village_id, today))
    return render_template("contracts/receivables.html", **ctx(rows=rows, overdue_only=overdue_only,
                                                               pending=pending, soon=queries.SOON_DAYS))


@bp.get("/expiring")
@village_view("registers.read")
def expiring(village_id: int):
    """到期合同: contracts in force ending within the township's lead time."""
    days = get_settings(db.session, g.village.township_id).contract_expiry_days
    rows = queries.expiring(db.session, [village_id], date.today(), days)
    return render_template("contracts/expiring.html", **ctx(rows=rows, days=days))


@township_bp.get("/expiring")
@township_view("registers.read")
def township_expiring(township_id: int):
    """全镇到期合同 across the township's villages."""
    days = get_settings(db.session, township_id).contract_expiry_days
    rows = queries.expiring(db.session, township_village_ids(db.session, township_id), date.today(), days)
    return render_template("contracts/expiring.html", **ctx(rows=rows, days=days))


@township_bp.get("/overdue")
@township_view("registers.read")
def township_overdue(township_id: int):
    """全镇逾期应收 across the township's villages, with days overdue."""
    village_ids = township_village_ids(db.session, township_id)
    rows = queries.receivables(db.session, village_ids, date.today(), overdue_only=True)
    return render_template("contracts/receivables.html", **ctx(rows=rows, overdue_only=True, pending=0,
                                                               soon=queries.SOON_DAYS))


def _import_page(status: int = 200):
    """The contracts import form."""
    return render_template("contracts/import.html", **ctx(columns=importer.COLUMNS,
                                                          optional=importer.OPTIONAL)), status


@bp.get("/import")
@village_view("registers.edit")
def import_form(village_id: int):
    """Upload contracts of this village."""
    return _import_page()


@bp.post("/import")
@village_view("registers.edit")
def import_file(village_id: int):
    """Import contracts of this village (all-or-nothing), as drafts or activated."""
    activate = request.form.get("activate") == "1"
    return import_upload(
        importer.COLUMNS,
        lambda t: importer.import_contracts(db.session, t, actor=current_user, today=date.today(), activate=activate,
                                            only_village=g.village),
        back=url_for(".import_form", village_id=village_id), next_url=url_for(".index", village_id=village_id),
        done=lambda s: f"导入完成：{s['contracts']} 份合同（{'已生效' if s['activated'] else '草稿'}）",
        form_page=_import_page)


@bp.get("/import/template.csv")
@village_view("registers.edit")
def template(village_id: int):
    """The contracts import template with one example row, UTF-8 with BOM for Excel."""
    return Response("\ufeff" + importer.template_csv(g.village.code), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=contracts-import-template.csv"})
