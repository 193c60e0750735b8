"""节假日安排: the system administrator enters a year's State Council holiday notice (windows/holidays.py)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.auth.access import requires
from threeassets.core.clock import now
from threeassets.core.db import db, transaction
from threeassets.core.parse import to_int
from threeassets.windows import holidays, workdays
from threeassets.windows.routes import admin_bp as bp

WEEKDAYS = "一二三四五六日"


def _library_last_year() -> int | None:
    """The last year the calendar library carries (entered years aside)."""
    known = [y for y in range(2004, now().year + holidays.YEARS_AHEAD + 1) if workdays.library_knows(y)]
    return max(known) if known else None


def _page(year: int | None, document: str, text: str, problems: dict | None = None, status: int = 200):
    """The page: entered years, the form for one year, and that year's days as stored."""
    days = holidays.days_of(db.session, year) if year and 2004 <= year <= 9999 else []
    rows = [(d.day, WEEKDAYS[d.day.weekday()], d.name, d.working) for d in days]
    return render_template("windows/holidays.html", form=FlaskForm(), years=holidays.summaries(db.session),
                           year=year, document=document, text=text, rows=rows, problems=problems or {},
                           library_last=_library_last_year(), hint=workdays.ARRANGEMENT_HINT,
                           next_year=now().year + 1), status


@bp.get("")
@requires("calendar.manage")
def index():
    """The entered years; ?year=Y opens that year's arrangement to enter or correct it."""
    year = to_int(request.args.get("year"), lo=2004, hi=now().year + holidays.YEARS_AHEAD)
    if year is None:
        return _page(None, "", "")
    entered = db.session.get(holidays.HolidayYear, year)
    return _page(year, entered.document if entered else "",
                 holidays.as_text(holidays.days_of(db.session, year)) if entered else "")


@bp.post("")
@requires("calendar.manage")
def save():
    """Enter or replace one year's arrangement; every problem shown beside its field, nothing written."""
    form = request.form
    year = to_int(form.get("year"), lo=0, hi=9999)
    document, text = form.get("document", ""), form.get("days", "")
    try:
        with transaction(db.session):
            count = holidays.save_year(db.session, current_user, year, document, text)
    except holidays.ArrangementError as exc:
        return _page(year, document, text, exc.by_field, 400)
    workdays.refresh(force=True)
    flash(f"已保存{year}年节假日安排（{count}天）；各窗口的办结时限从现在起按此计算", "success")
    return redirect(url_for(".index", year=year))
