"""Dashboards of a village and of a township."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from threeassets.auth.access import township_view, village_view, visible_townships, visible_villages
from threeassets.auth.rules import Role, can
from threeassets.core.db import db
from threeassets.core.errors import RuleError
from threeassets.core.periods import parse_ym, ym_label, ym_of
from threeassets.dashboard.charts import Series, bar_chart, line_chart
from threeassets.dashboard.rules import Trend, month_labels
from threeassets.dashboard.service import dashboard
from threeassets.orgs.models import Village

bp = Blueprint("dashboard", __name__)
BLUEPRINTS = (bp,)
INCOME_COLOR, EXPENSE_COLOR, BALANCE_COLOR = "#2f6fb0", "#f0a04b", "#198754"


def home():
    """Landing page: the villages (and townships) the user may open."""
    role = current_user.role
    if role == Role.COUNTY_SUPERVISOR:
        # The county's supervisor oversees every township: the county's view is his home (county/routes.py).
        return redirect(url_for("county.index"))
    villages = visible_villages(db.session, current_user)
    if can(role, "cases.handle") and not can(role, "books.read"):
        # A window clerk keeps no books: the service hall of the township is the clerk's home.
        halls = visible_townships(db.session, current_user)
        if len(halls) == 1:
            return redirect(url_for("windows.hall", township_id=halls[0].id))
    # Only roles that may open the consolidated views get the township shortcuts (a village
    # accountant also carries a township id, but goes straight to the one village).
    townships = visible_townships(db.session, current_user) if can(role, "township.reports") else []
    if len(villages) == 1 and not townships:
        return redirect(url_for("dashboard.village", village_id=villages[0].id))
    return render_template("home.html", villages=villages, townships=townships)


# The landing page keeps its short endpoint name, "home", which every page's header links to.
bp.record_once(lambda state: state.app.add_url_rule("/", "home", login_required(home)))


def _end_month(args) -> int:
    """The month the dashboard is as of: ?ym=YYYY-MM, else this month; bad input flashes and defaults."""
    today = ym_of(date.today())
    if not args.get("ym"):
        return today
    try:
        return parse_ym(args["ym"])
    except RuleError as exc:
        flash(str(exc), "warning")
        return today


def _charts(trend: Trend) -> dict[str, Markup]:
    """The two trend charts as inline SVG."""
    return dict(_drawn(tuple(trend.months), tuple(trend.income), tuple(trend.expense), tuple(trend.cash_bank)))


@lru_cache(maxsize=256)
def _drawn(months: tuple, income: tuple, expense: tuple, cash_bank: tuple) -> dict[str, Markup]:
    """The charts of one trend, drawn once per process: a chart is a function of its figures, which change only
    when the books do, and drawing both cost about a tenth of the page (bench/README.md, staff pages)."""
    labels = month_labels(list(months))
    bars = bar_chart([Series("收入", list(income), INCOME_COLOR), Series("支出", list(expense), EXPENSE_COLOR)],
                     labels, title="近12个月收入与支出")
    line = line_chart([Series("月末现金及银行存款", list(cash_bank), BALANCE_COLOR)], labels,
                      title="近12个月月末现金及银行存款余额")
    return {"bars": Markup(bars), "line": Markup(line)}  # built from escaped text only (charts.text_attr)


def _page(template: str, ids: list[int], end: int, **context):
    """Render a dashboard template with the figures, the charts and the month shown."""
    data = dashboard(db.session, ids, end)
    return render_template(template, data=data, f=data.totals, charts=_charts(data.trend), ym=ym_label(end),
                           year=end // 100, month=end % 100, **context)


@bp.get("/v/<int:village_id>/dashboard")
@village_view("books.read")
def village(village_id: int):
    """首页概览 of one village: balances, the month and the year so far, work waiting, 12-month trends."""
    return _page("dashboard/village.html", [village_id], _end_month(request.args), village=g.village)


@bp.get("/t/<int:township_id>/dashboard")
@township_view("township.reports")
def township(township_id: int):
    """全镇概览: the township's totals, a row per village and the summed trends."""
    villages = list(db.session.scalars(select(Village).where(Village.township_id == township_id)
                                       .order_by(Village.code)))
    return _page("dashboard/township.html", [v.id for v in villages], _end_month(request.args),
                 township=g.township, villages=villages)
