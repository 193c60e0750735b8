"""Month and year close pages of a village: the year's months, 结账, 反结账 (agency head), 年结. Thin."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from threeassets.auth.access import village_view
from threeassets.auth.rules import permissions_of
from threeassets.closing.rules import closes_from, period_actions
from threeassets.closing.service import REASON_MAX, close_period, reopen_period, year_overview
from threeassets.closing.yearend import close_year
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.parse import to_int
from threeassets.core.periods import YEAR_MAX, YEAR_MIN, parse_ym, ym_label, ym_of
from threeassets.core.refused import NONE, refused

bp = Blueprint("closing", __name__, url_prefix="/v/<int:village_id>/closing")
BLUEPRINTS = (bp,)


def _year(text: str | None) -> int:
    """A year from a query or form value; this year when missing or nonsense."""
    return to_int(text, date.today().year, lo=YEAR_MIN, hi=YEAR_MAX)


def _run(fn, done) -> RuleError | None:
    """Run one closing service in a transaction and flash its outcome, done(result), or the refusal (which names
    every problem), which it returns."""
    try:
        with transaction(db.session):
            result = fn()
    except RuleError as exc:
        flash(str(exc), "danger")
        return exc
    flash(done(result), "success")
    return None


def _back(village_id: int, year: int):
    """Back to the year's closing page."""
    return redirect(url_for(".index", village_id=village_id, year=year))


def _period() -> int | None:
    """The form's period (YYYY-MM), or None after flashing why it is wrong."""
    try:
        return parse_ym(request.form.get("period", ""))
    except RuleError as exc:
        flash(str(exc), "danger")
        return None


@bp.get("")
@village_view("books.read")
def index(village_id: int):
    """月结/年结: the year's twelve months with status, who closed them, what still blocks them and, per month,
    the actions the closing rules allow this person."""
    return _page(village_id, _year(request.args.get("year")))


def _page(village_id: int, year: int, refused=NONE, status: int = 200):
    """The year's closing page; after a refused 反结账, drawn again with the reason as typed (422)."""
    rows, blocked = year_overview(db.session, village_id, year)
    mine = permissions_of(current_user.role)
    actions = {r.ym: period_actions(r.facts, mine) for r in rows}
    return render_template("closing/index.html", year=year, rows=rows, blocked=blocked, actions=actions,
                           today_ym=ym_of(date.today()), closes_from=closes_from(ym_of(date.today()), date.today()),
                           reason_max=REASON_MAX, refused=refused), status


@bp.post("/close")
@village_view("period.close")
def close(village_id: int):
    """结账 one month."""
    ym = _period()
    if ym is not None:
        _run(lambda: close_period(db.session, g.village, ym, current_user),
             lambda n: f"{ym_label(ym)} 已结账，保存了 {n} 个科目的期末余额")
    return _back(village_id, ym // 100 if ym else date.today().year)


@bp.post("/reopen")
@village_view("period.reopen")
def reopen(village_id: int):
    """反结账 one month, with a reason (agency head only)."""
    ym = _period()
    if ym is None:
        return _back(village_id, date.today().year)
    refusal = _run(lambda: reopen_period(db.session, g.village, ym, current_user, request.form.get("reason", "")),
                   lambda _n: f"{ym_label(ym)} 已反结账，其后各月保存的期末余额已作废，重新结账时重算")
    if refusal is not None:
        return _page(village_id, ym // 100, refused("reopen-" + ym_label(ym), request.form, ["reason"],
                                                    refusal.fields), 422)
    return _back(village_id, ym // 100)


def _made(result) -> str:
    """The generated vouchers of a year close, as a clerk reads them."""
    return "生成并记账凭证 " + "、".join(result.vouchers) if result.vouchers else "本年无损益，未生成凭证"


@bp.post("/year")
@village_view("period.close")
def year_close(village_id: int):
    """年结: close income and expense, carry the result to 收益分配, close December."""
    year = _year(request.form.get("year"))
    _run(lambda: close_year(db.session, g.village, year, current_user),
         lambda r: f"{year} 年已年结：{_made(r)}，本年收益 {r.net_result:,.2f}；{year}-12 已结账，{year + 1}-01 已开账")
    return _back(village_id, year)
