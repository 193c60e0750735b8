"""Staff page of the kiosk's use counts: per day and section, per item, over a date range; XLSX export."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote

from flask import Response, flash, g, render_template, request

from threeassets.auth.access import township_view
from threeassets.core import clock
from threeassets.core.db import db
from threeassets.core.periods import PeriodError, parse_day
from threeassets.kiosk import counting, rules
from threeassets.kiosk.export import usage_xlsx
from threeassets.kiosk.routes import bp

DEFAULT_DAYS, MAX_DAYS = 30, 400


LABELS = {"start": "开始日期", "end": "结束日期"}


def _day(name: str, notes: list[str]) -> date | None:
    """?name= as a date (any form core.periods reads) within the years the system keeps, else None; a typed value
    that is not one is said in notes."""
    try:
        day = parse_day(request.args.get(name), LABELS[name])
    except PeriodError as exc:
        notes.append(str(exc))
        return None
    if day and not rules.MIN_DATE <= day <= rules.MAX_DATE:
        notes.append(f"{LABELS[name]}应在{rules.MIN_DATE.year}年至{rules.MAX_DATE.year}年之间")
        return None
    return day


def _range(say: bool = True) -> tuple[date, date]:
    """The asked date range: the last 30 days by default, at most 400 days, start before end; what of the asked
    range was not taken is said on the page (say)."""
    notes: list[str] = []
    end = _day("end", notes) or clock.now().date()
    start = _day("start", notes) or end - timedelta(days=DEFAULT_DAYS - 1)
    replaced = bool(notes)  # a typed date not taken: the page says which range it shows instead
    if start > end:
        start, end = end, start
        notes.append("开始日期晚于结束日期，已对调")
    if start < end - timedelta(days=MAX_DAYS - 1):
        start = end - timedelta(days=MAX_DAYS - 1)
        notes.append(f"一次最多查询{MAX_DAYS}天，已显示 {start.isoformat()} 至 {end.isoformat()}")
    elif replaced:
        notes.append(f"已显示 {start.isoformat()} 至 {end.isoformat()}")
    if say and notes:
        flash("；".join(notes), "warning")
    return start, end


@bp.get("/usage")
@township_view("kiosk.read")
def usage(township_id: int):
    """How the kiosk was used: pages opened per day and section, and per item (policy, notice, village …)."""
    start, end = _range()
    data = counting.usage(db.session, township_id, start, end)
    return render_template("kiosk/staff/usage.html", data=data, names=counting.item_names(db.session, data.items),
                           sections=rules.SECTIONS, item_label=rules.item_label)


@bp.get("/usage.xlsx")
@township_view("kiosk.read")
def usage_export(township_id: int):
    """The same counts as a workbook."""
    start, end = _range(say=False)
    data = counting.usage(db.session, township_id, start, end)
    body = usage_xlsx(g.township.name, data, counting.item_names(db.session, data.items))
    name = f"{g.township.name}-触摸屏使用情况-{start.isoformat()}-{end.isoformat()}.xlsx"
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
