"""The township settings page: thresholds, lead times, supervision phone and the 四议两公开 rule table."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.auth.access import township_view
from threeassets.core.db import db, transaction
from threeassets.core.money import fmt
from threeassets.decisions.rules import STEP_ORDER, STEPS
from threeassets.orgs.settings import get_settings
from threeassets.settings import service
from threeassets.settings.rules import parse_settings, rule_rows

bp = Blueprint("settings", __name__, url_prefix="/t/<int:township_id>/settings")
BLUEPRINTS = (bp,)
BLANK_ROWS = 2  # empty rule rows offered for new amount bands


def _saved_form() -> tuple[dict, list]:
    """Field texts and rule rows (amount text, steps) of the saved settings."""
    saved = service.snapshot(get_settings(db.session, g.township.id))
    fields = {f: str(saved[f]) for f in service.FIELDS}
    fields["large_cash_threshold"] = fmt(saved["large_cash_threshold"])
    fields["disclosure_group_threshold"] = fmt(saved["disclosure_group_threshold"])
    rows = [(i, fmt(Decimal(r["min_amount"])), list(r["steps"])) for i, r in enumerate(saved["decision_rules"])]
    return fields, rows


def _render(fields: dict, rows: list, problems: dict, status: int = 200):
    """The settings page with the given texts, rule rows (index, amount text, steps) and problems."""
    start = max((i for i, _t, _s in rows), default=-1) + 1
    rows = rows + [(start + n, "", []) for n in range(BLANK_ROWS)]
    return render_template("settings/edit.html", fields=fields, rows=rows, problems=problems, steps=STEPS,
                           step_order=STEP_ORDER, form=FlaskForm()), status


@bp.get("")
@township_view("township.reports")
def edit(township_id: int):
    """参数设置: everyone who reads the township's reports sees them; the agency head may change them."""
    fields, rows = _saved_form()
    return _render(fields, rows, {})


@bp.post("")
@township_view("settings.edit")
def save(township_id: int):
    """Validate and store the settings; problems are shown on the form and nothing is written."""
    values, problems = parse_settings(request.form)
    if problems:
        fields = {f: request.form.get(f, "") for f in service.FIELDS}
        rows = rule_rows(request.form)
        flash("参数未保存：请改正标红的项目", "danger")
        return _render(fields, rows, problems, 422)
    with transaction(db.session):
        service.save_settings(db.session, township_id, values, actor=current_user)
    flash("参数已保存", "success")
    return redirect(url_for(".edit", township_id=township_id))
