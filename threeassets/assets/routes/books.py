"""The register against the books: the month's depreciation run and the reconciliation of the cards with the
posted 151/152 balances."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.assets import depreciation
from threeassets.assets.reconcile import reconciliation
from threeassets.assets.routes import LABELS, bp
from threeassets.auth.access import village_view
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.periods import parse_ym, ym_label, ym_of


def _period() -> int:
    """?period=YYYY-MM (default this month); a bad value flashes and falls back."""
    text = request.values.get("period", "")
    try:
        return parse_ym(text) if text else ym_of(date.today())
    except RuleError as exc:
        flash(str(exc), "warning")
        return ym_of(date.today())


@bp.get("/depreciation")
@village_view("registers.read")
def depreciation_preview(village_id: int):
    """计提折旧: the month's amount per card and the voucher it would post."""
    ym = _period()
    return render_template("assets/depreciation.html", p=depreciation.preview(db.session, village_id, ym),
                           period=ym_label(ym), form=FlaskForm(), L=LABELS)


@bp.post("/depreciation")
@village_view("registers.edit")
def depreciation_run(village_id: int):
    """Post the month's depreciation voucher (once per period)."""
    ym = _period()
    try:
        with transaction(db.session):
            v = depreciation.run(db.session, village=g.village, ym=ym, actor=current_user)
    except RuleError as exc:
        flash(f"未计提：{exc}", "danger")
        return redirect(url_for(".depreciation_preview", village_id=village_id, period=ym_label(ym)))
    flash(f"{ym_label(ym)} 折旧已计提：凭证 {v.label}，金额 {v.total:,.2f} 元", "success")
    return redirect(url_for(".depreciation_preview", village_id=village_id, period=ym_label(ym)))


@bp.get("/reconcile")
@village_view("registers.read")
def reconcile(village_id: int):
    """资产对账: card totals against the posted 151/152 balances at the end of a month."""
    rec = reconciliation(db.session, village_id, _period())
    return render_template("assets/reconcile.html", rec=rec, period=ym_label(rec.ym))
