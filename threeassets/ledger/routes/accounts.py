"""The chart of accounts of one village: browse, the entry page's account list, add and delete sub-accounts."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from threeassets.auth.access import village_view
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.forms import say_refused
from threeassets.core.tenancy import get_owned
from threeassets.ledger import chart
from threeassets.ledger.forms import SubAccountForm
from threeassets.ledger.models import Account
from threeassets.ledger.routes import bp


@bp.get("/accounts")
@village_view("books.read")
def accounts(village_id: int):
    """The village's chart of accounts as a tree, with sub-account management."""
    return _page(village_id, SubAccountForm())


def _page(village_id: int, form: SubAccountForm, status: int = 200):
    """The chart; after a refused 增设明细科目, drawn again with the form as typed and its problems (422)."""
    return render_template("ledger/accounts.html", accounts=chart.accounts_of(db.session, village_id),
                           form=form, categories=chart.CATEGORY_LABELS), status


@bp.get("/accounts.json")
@village_view("books.read")
def accounts_json(village_id: int):
    """Leaf accounts for the voucher entry picker: code, full name, pinyin initials of the account (py) and of
    its full path (fpy, so yhck offers every 银行存款 sub-account)."""
    rows = db.session.execute(select(Account.code, Account.full_name, Account.mnemonic).where(
        Account.village_id == village_id, Account.is_leaf.is_(True)).order_by(Account.code))
    return jsonify([{"code": c, "name": n, "py": m, "fpy": chart.path_mnemonic(n)} for c, n, m in rows])


@bp.post("/accounts")
@village_view("accounts.edit")
def account_add(village_id: int):
    """Add a sub-account under an account."""
    form = SubAccountForm()
    if not form.validate_on_submit():
        say_refused("明细科目未增设：", form)
        return _page(village_id, form, 422)
    try:
        with transaction(db.session):
            parent = get_owned(db.session, Account, form.parent_id.data, village_id)
            acc = chart.add_sub_account(db.session, village_id=village_id, parent=parent,
                                        suffix=form.suffix.data, name=form.name.data, actor=current_user)
    except RuleError as exc:
        flash(f"明细科目未增设：{exc}", "danger")
        return _page(village_id, form, 422)
    flash(f"已新增科目 {acc.code} {acc.full_name}", "success")
    return redirect(url_for(".accounts", village_id=village_id) + f"#a{form.parent_id.data}")


@bp.post("/accounts/<int:account_id>/delete")
@village_view("accounts.edit")
def account_delete(village_id: int, account_id: int):
    """Delete an unused sub-account."""
    try:
        with transaction(db.session):
            acc = get_owned(db.session, Account, account_id, village_id)
            chart.delete_account(db.session, account=acc, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
    else:
        flash("科目已删除", "success")
    return redirect(url_for(".accounts", village_id=village_id))
