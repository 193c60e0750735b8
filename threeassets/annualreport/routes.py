"""年度报告 pages: a township's report (its head writes the texts and finalises it) and the county's (the county
supervisor's); every figure on the page links to the list it was counted from; PDF and Word downloads."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.annualreport import build, rules, service
from threeassets.annualreport.document import heading
from threeassets.auth.access import may_open, requires, township_view, visible_townships
from threeassets.auth.rules import can
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.parse import to_int

bp = Blueprint("annualreport", __name__, url_prefix="/t/<int:township_id>/annual-report")
county_bp = Blueprint("annualreport_county", __name__, url_prefix="/county/annual-report")
BLUEPRINTS = (bp, county_bp)
MIMES = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def _year() -> int:
    """The asked year (default: last year, the one a report is written for early in the next)."""
    return to_int(request.args.get("year") or request.form.get("year"), lo=rules.YEAR_MIN,
                  hi=rules.YEAR_MAX) or date.today().year - 1


def _url(endpoint: str, **values) -> str | None:
    """The address of a list, or None when the user's role may not open it (no link then)."""
    return url_for(endpoint, **values) if may_open(endpoint) else None


def township_links(township_id: int, year: int):
    """link(what, **where) → the list a township report's figure was counted from (None: not for this user)."""
    first, last = f"{year}-01", f"{year}-12"

    def link(what: str, unit=None, **where) -> str | None:
        if what == "notices":
            return _url("disclosure.index", village_id=unit.id, published=year)
        if what == "unit":
            return _url("dashboard.village", village_id=unit.id)
        if what == "notices_all":
            return _url("disclosure_township.index", township_id=township_id)
        if what == "balances":
            return (_url("reports.village_tb", village_id=unit.id, **{"from": first, "to": last}) if unit
                    else _url("reports.township_tb", township_id=township_id, **{"from": first, "to": last}))
        if what == "resources":
            return _url("resources.index", village_id=unit.id) if unit else None
        if what == "cards":
            return _url("assets.index", village_id=unit.id) if unit else None
        if what == "kiosk_notices":
            return _url("kiosk.notices", township_id=township_id, year=year, **where)
        if what == "policies":
            return _url("policies.index", township_id=township_id, year=year, status="active")
        if what == "subsidy_lists":
            return _url("subsidies.index", township_id=township_id, year=year, state="noticed")
        if what == "kiosk_hits":
            return _url("kiosk.usage", township_id=township_id, start=f"{year}-01-01", end=f"{year}-12-31")
        if what == "cases":
            args = {k: v for k, v in (("window", where.get("window")), ("timing", where.get("timing"))) if v}
            if "timing" in where:  # finished in the year (办结 or 不予受理)
                return _url("windows.cases", township_id=township_id, year=year, **args)
            return _url("windows.cases", township_id=township_id, received=year, **args)
        if what == "requests":
            col = where["col"]
            return _url("inforequests.requests", township_id=township_id, year=year, row=where["row"],
                           **({"requester": col} if col != "total" else {}))
        return None
    return link


def county_links(year: int):
    """link(what, **where) for the county report: each township's row opens that township's report."""
    def link(what: str, unit=None, **_where) -> str | None:
        if unit is not None and what in ("unit", "notices", "balances", "resources", "cards"):
            return _url("annualreport.page", township_id=unit.id, year=year)
        return None
    return link


def _township_report(year: int, links=None):
    return build.township_report(db.session, g.township, year, links)


def _county_report(year: int, links=None):
    ids = [t.id for t in visible_townships(db.session, current_user)]
    return build.county_report(db.session, ids, year, links)


def _page(report, row, year: int, *, editable: bool, urls: dict, problems: dict | None = None,
          typed: dict | None = None, status: int = 200):
    """The report page; a refusal comes back with what was typed (typed), and a report made final meanwhile (another
    tab) shows the typed texts without the buttons that could only be refused again (409, stale)."""
    stale = typed is not None and row is not None and row.status == "final"
    status = 409 if stale else status
    texts = service.texts_of(row)
    values = typed or {"overview": texts.overview, "problems": texts.problems, "plans": texts.plans,
                       "other": texts.other, **{f"{p}.{o}": str(texts.review.get(p, {}).get(o, 0))
                                                for p in rules.PARTS for o in rules.OUTCOMES}}
    return render_template("annualreport/page.html", report=report, row=row, year=year, editable=editable,
                           urls=urls, values=values, problems=problems or {}, heading=heading, parts=rules.PARTS,
                           outcomes=rules.OUTCOMES, form=FlaskForm(), stale=stale,
                           years=range(date.today().year, date.today().year - 6, -1)), status


def _file(data: bytes, name: str, fmt: str) -> Response:
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(data, mimetype=MIMES[fmt],
                    headers={"Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}"})


def _write(do, back: str, message: str):
    """Run one write in a transaction: (redirect, None), or (None, the refusal) flashed for the page to show."""
    try:
        with transaction(db.session):
            do()
    except RuleError as exc:
        flash(str(exc), "danger")
        return None, exc
    flash(message, "success")
    return redirect(back), None


def _save_and_finalise(township_id: int | None, year: int) -> None:
    if _typed() is not None:
        service.save(db.session, township_id, year, request.form, actor=current_user)
    service.finalise(db.session, township_id, year, actor=current_user)


# ---- a township's report -------------------------------------------------------------------------------------

def _typed() -> dict | None:
    """What was typed into the texts form (kept on a refusal), or None after a button without the form."""
    return dict(request.form) if "problems" in request.form else None


def _township_urls(township_id: int, year: int) -> dict:
    return {name: url_for(f"annualreport.{name}", township_id=township_id, year=year)
            for name in ("page", "save", "finalise", "reopen", "pdf", "docx")}


@bp.get("")
@township_view("annualreport.read")
def page(township_id: int):
    """年度报告 of the township for ?year= (default last year), its figures linked to their lists."""
    year = _year()
    report, row = _township_report(year, township_links(township_id, year))
    return _page(report, row, year, editable=can(current_user.role, "annualreport.write"),
                 urls=_township_urls(township_id, year))


def _township_write(do, message: str):
    year = _year()
    back = url_for("annualreport.page", township_id=g.township.id, year=year)
    done, refusal = _write(lambda: do(year), back, message)
    if done is not None:
        return done
    report, row = _township_report(year, township_links(g.township.id, year))
    return _page(report, row, year, editable=True, urls=_township_urls(g.township.id, year),
                 problems=refusal.fields, typed=_typed(), status=422)


@bp.post("/save")
@township_view("annualreport.write")
def save(township_id: int):
    """Save the texts the head wrote."""
    return _township_write(lambda y: service.save(db.session, township_id, y, request.form, actor=current_user),
                           "年度报告已保存")


@bp.post("/finalise")
@township_view("annualreport.write")
def finalise(township_id: int):
    """保存并定稿: the typed texts (when the form came with them) are saved first."""
    return _township_write(lambda y: _save_and_finalise(township_id, y), "年度报告已定稿")


@bp.post("/reopen")
@township_view("annualreport.write")
def reopen(township_id: int):
    """撤回定稿."""
    return _township_write(lambda y: service.reopen(db.session, township_id, y, actor=current_user),
                           "已撤回定稿，可以继续修改")


def _township_file(fmt: str):
    year = _year()
    report, _row = _township_report(year)
    return _file(build.render(report, fmt), f"{g.township.name}{year}年度报告.{fmt}", fmt)


@bp.get("/report.pdf")
@township_view("annualreport.read")
def pdf(township_id: int):
    """The report as PDF (opens in the browser)."""
    return _township_file("pdf")


@bp.get("/report.docx")
@township_view("annualreport.read")
def docx(township_id: int):
    """The report as a Word document (downloads)."""
    return _township_file("docx")


# ---- the county's report -------------------------------------------------------------------------------------

def _county_urls(year: int) -> dict:
    return {name: url_for(f"annualreport_county.county_{name}", year=year)
            for name in ("page", "save", "finalise", "reopen", "pdf", "docx")}


@county_bp.get("")
@requires("county.read")
def county_page():
    """The county's 年度报告: every township side by side, each row opening that township's report."""
    year = _year()
    report, row = _county_report(year, county_links(year))
    return _page(report, row, year, editable=can(current_user.role, "annualreport.county_write"),
                 urls=_county_urls(year))


def _county_write(do, message: str):
    year = _year()
    done, refusal = _write(lambda: do(year), url_for("annualreport_county.county_page", year=year), message)
    if done is not None:
        return done
    report, row = _county_report(year, county_links(year))
    return _page(report, row, year, editable=True, urls=_county_urls(year), problems=refusal.fields,
                 typed=_typed(), status=422)


@county_bp.post("/save")
@requires("annualreport.county_write")
def county_save():
    """Save the county report's texts."""
    return _county_write(lambda y: service.save(db.session, None, y, request.form, actor=current_user),
                         "年度报告已保存")


@county_bp.post("/finalise")
@requires("annualreport.county_write")
def county_finalise():
    """保存并定稿 of the county report."""
    return _county_write(lambda y: _save_and_finalise(None, y), "年度报告已定稿")


@county_bp.post("/reopen")
@requires("annualreport.county_write")
def county_reopen():
    """撤回定稿 of the county report."""
    return _county_write(lambda y: service.reopen(db.session, None, y, actor=current_user), "已撤回定稿，可以继续修改")


def _county_file(fmt: str):
    year = _year()
    report, _row = _county_report(year)
    return _file(build.render(report, fmt), f"全县{year}年度报告.{fmt}", fmt)


@county_bp.get("/report.pdf")
@requires("county.read")
def county_pdf():
    """The county report as PDF."""
    return _county_file("pdf")


@county_bp.get("/report.docx")
@requires("county.read")
def county_docx():
    """The county report as a Word document."""
    return _county_file("docx")
