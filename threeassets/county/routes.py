"""全县概览: every township side by side, a township's villages, their XLSX, the county-wide alerts. Thin: the figures
are county/queries.py's, the rules county/rules.py's."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, flash, g, render_template, request, url_for
from markupsafe import Markup

from threeassets.auth.access import requires, township_view
from threeassets.core.db import db
from threeassets.core.errors import RuleError
from threeassets.core.periods import parse_day, ym_label
from threeassets.county import export
from threeassets.county.charts import hbar_chart
from threeassets.county.queries import Overview, all_township_ids, overview, township_overview
from threeassets.county.rules import ALERT_LABELS, CASH_LIMIT, CLOSE_DAY, EXPIRY_DAYS, NOTICE_DAY, WHITE_SLIP_SHARE
from threeassets.dashboard.charts import Series

bp = Blueprint("county", __name__, url_prefix="/county")
BLUEPRINTS = (bp,)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CASH_COLOR, BANK_COLOR = "#f0a04b", "#2f6fb0"
CLOSE_COLOR, NOTICE_COLOR, CASE_COLOR = "#198754", "#6f42c1", "#0d6efd"


def _as_of() -> date:
    """The day shown: ?day=YYYY-MM-DD, else today; a bad value flashes and falls back to today."""
    try:
        return parse_day(request.args.get("day"), "日期") or date.today()
    except RuleError as exc:
        flash(str(exc), "warning")
        return date.today()


def _charts(data: Overview) -> dict[str, Markup]:
    """Funds and on-time rates per row (township or village) as inline SVG."""
    rows = [r for r in data.rows if r.id]  # the township's own cases row has no funds
    labels = [r.name for r in rows]
    funds = hbar_chart([Series("库存现金", [r.figures.cash for r in rows], CASH_COLOR),
                        Series("银行存款", [r.figures.bank for r in rows], BANK_COLOR)], labels,
                       title="货币资金（余额截至所选日期所在月末）")
    rates = hbar_chart([Series("按期结账率", [r.figures.close_rate for r in rows], CLOSE_COLOR),
                        Series("按期公开率", [r.figures.notice_rate for r in rows], NOTICE_COLOR),
                        Series("按时办结率", [r.figures.case_rate for r in rows], CASE_COLOR)], labels,
                       title="按期结账、按期公开、按时办结率", percent=True)
    return {"funds": Markup(funds), "rates": Markup(rates)}  # escaped text only (dashboard.charts.text_attr)


def _links(alert) -> str:
    """Where an alert's row links to."""
    kind, *ids = alert.target
    if kind == "township":
        return url_for("county.township", township_id=ids[0])
    endpoint = {"closing": "closing.index", "disclosure": "disclosure.index", "cash": "statements.cash_journal",
                "claims": "claims.index"}.get(kind)
    if endpoint:
        return url_for(endpoint, village_id=ids[0])
    return url_for("disclosure.show", village_id=ids[0], notice_id=ids[1])


def _page(template: str, data: Overview, **context):
    """Render a county page with its charts, alerts and the rules' parameters."""
    return render_template(template, data=data, f=data.totals, charts=_charts(data), link=_links,
                           ALERT_LABELS=ALERT_LABELS, span=(ym_label(data.months[0]), ym_label(data.months[-1])),
                           rules={"close_day": CLOSE_DAY, "notice_day": NOTICE_DAY, "cash_limit": CASH_LIMIT,
                                  "white_share": (WHITE_SLIP_SHARE * 100).normalize(), "expiry": EXPIRY_DAYS},
                           **context)


def _xlsx(data: bytes, name: str) -> Response:
    """An XLSX download with a UTF-8 file name."""
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@bp.get("")
@requires("county.read")
def index():
    """全县概览: a row per township, the totals, the charts and the county-wide alerts."""
    data = overview(db.session, all_township_ids(db.session), _as_of())
    return _page("county/index.html", data)


@bp.get("/export.xlsx")
@requires("county.read")
def index_xlsx():
    """The county table and its alerts as XLSX."""
    data = overview(db.session, all_township_ids(db.session), _as_of())
    return _xlsx(export.overview_xlsx(f"全县三资监管汇总（{data.as_of.isoformat()}）", data),
                 f"全县三资汇总-{data.as_of.isoformat()}.xlsx")


@bp.get("/t/<int:township_id>")
@township_view("county.read")
def township(township_id: int):
    """A township's villages with the same columns, the township's alerts; each village opens its dashboard."""
    return _page("county/township.html", township_overview(db.session, g.township, _as_of()), township=g.township)


@bp.get("/t/<int:township_id>/export.xlsx")
@township_view("county.read")
def township_xlsx(township_id: int):
    """A township's drill-down as XLSX."""
    data = township_overview(db.session, g.township, _as_of())
    return _xlsx(export.overview_xlsx(f"{g.township.name} 各村三资监管汇总（{data.as_of.isoformat()}）", data),
                 f"{g.township.name}-各村汇总-{data.as_of.isoformat()}.xlsx")
