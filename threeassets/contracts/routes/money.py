"""Money of a village's contracts: receipts against installments, deposits and their refunds, the due-run."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from threeassets.auth.access import village_view
from threeassets.contracts import books
from threeassets.contracts.models import Installment
from threeassets.contracts.routes import bp, ctx, load, typed_day
from threeassets.contracts.routes.lists import receivables_page
from threeassets.contracts.rules import OPEN_INSTALLMENT
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError, refuse_fields
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.params import arg_id
from threeassets.core.parse import to_id
from threeassets.core.refused import refused
from threeassets.core.tenancy import get_owned

DEPOSIT_KINDS = {"deposit": "收取履约保证金", "refund": "退还履约保证金"}


def _typed(form) -> tuple[date | None, object, dict]:
    """The date and amount of a money form, with their problems by field."""
    amount = None
    on, problems = typed_day(form)
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
    return [i for i in c.installments if i.status in OPEN_INSTALLMENT]


@bp.get("/<int:contract_id>/receipt")
@village_view("voucher.post")
def receipt_form(village_id: int, contract_id: int):
    """收款 form: an installment (default: the oldest open one), date, amount, bank or cash."""
    c = load(village_id, contract_id)
    open_ = _open_installments(c)
    chosen = arg_id("inst") or (open_[0].id if open_ else None)
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
            inst = get_owned(db.session, Installment, to_id(request.form.get("inst")) or 0, village_id)
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
    """The due-run: accrue every installment due by the date typed (the page offers today) into 112."""
    on, problems = typed_day(request.form, "on", "截至日期")
    try:
        refuse_fields(problems)
        with transaction(db.session):
            done = books.accrue_due(db.session, village=g.village, on=on, actor=current_user)
    except RuleError as exc:
        flash(f"确认应收未完成，未写入任何数据：{exc}", "danger")
        return receivables_page(village_id, refused("accrue", request.form, ["on"], exc.fields), 422)
    flash(f"已确认 {len(done)} 期应收款（截至 {on}）" if done else f"截至 {on} 没有需要确认的应收款",
          "success" if done else "info")
    return redirect(url_for(".receivables", village_id=village_id))
