"""Budget entry, import and budget-vs-actual pages: one village's grid and report, the township's report and import."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.auth.access import township_view, village_view
from threeassets.budgets import export, service
from threeassets.budgets.rules import parse_entry, parse_year, section_totals
from threeassets.core import jobs, uploads
from threeassets.core.csvio import csv_text
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.periods import parse_ym, ym_label
from threeassets.orgs.service import check_rows_in_township
from threeassets.reports.service import township_village_ids

bp = Blueprint("budgets", __name__, url_prefix="/v/<int:village_id>/budgets")
township_bp = Blueprint("budgets_township", __name__, url_prefix="/t/<int:township_id>/budgets")
BLUEPRINTS = (bp, township_bp,)
MIMES = {"csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
EXTRA_ROWS = 3  # blank rows on the grid for other accounts (e.g. 151 固定资产 to be bought)


def _year() -> int:
    """The year from ?year= (default this year); a bad value flashes and falls back."""
    text = request.values.get("year")
    year = parse_year(text)
    if text and year is None:
        flash(f"年度“{text}”无效，已显示本年", "warning")
    return year or date.today().year


def _upto(year: int) -> int:
    """The last month counted (?to=YYYY-MM): this month for the current year, December for past years."""
    today = date.today()
    default = today.year * 100 + today.month if year == today.year else year * 100 + 12
    try:
        upto = parse_ym(request.args["to"]) if request.args.get("to") else default
    except RuleError as exc:
        flash(str(exc), "warning")
        return default
    if upto // 100 != year:
        flash("截止期间应在预算年度内，已调整", "warning")
        return default
    return upto


def _grid_page(year: int, values=None, problems=None, status: int = 200):
    """The entry grid with saved figures, or the figures just typed and their problems."""
    rows = service.grid(db.session, g.village.id, year)
    return render_template("budgets/grid.html", rows=rows, year=year, values=values, problems=problems or {},
                           extra=range(EXTRA_ROWS), form=FlaskForm()), status


@bp.get("")
@village_view("books.read")
def grid(village_id: int):
    """年度财务预算: the village's income and expense accounts with the year's figures."""
    return _grid_page(_year())


def _typed_rows(form) -> list[tuple[str, str, str, str]]:
    """(key, code, amount text, note) of every grid row and filled extra row of the posted form."""
    rows = [(key[7:], key[7:], form.get(key, ""), form.get("note-" + key[7:], ""))
            for key in form if key.startswith("amount-")]
    for i in range(EXTRA_ROWS):
        code = form.get(f"extra-code-{i}", "").strip()
        if code or form.get(f"extra-amount-{i}", "").strip():
            rows.append((f"extra-{i}", code, form.get(f"extra-amount-{i}", ""), form.get(f"extra-note-{i}", "")))
    return rows


@bp.post("")
@village_view("voucher.prepare")
def save(village_id: int):
    """Save the grid: the typed figures replace the village's budget for the year."""
    year = parse_year(request.form.get("year"))
    if year is None:
        flash("年度无效", "danger")
        return redirect(url_for(".grid", village_id=village_id))
    entries, problems = [], {}
    for key, code, amount, note in _typed_rows(request.form):
        entry, why = parse_entry(code, amount, note)
        problems.update({(key, f): msg for f, msg in why.items()})
        if entry is not None:
            entries.append(entry)
    if problems:  # bad cells: nothing is saved, and the chart's word on the rest comes in the same answer
        for msg in ["预算未保存：请改正标红的单元格", *service.entry_problems(db.session, village_id, entries)]:
            flash(msg, "danger")
        return _grid_page(year, request.form, problems, 422)
    try:  # set_budgets reads the chart once and refuses with its problems (BudgetError)
        with transaction(db.session):
            count = service.set_budgets(db.session, village=g.village, year=year, entries=entries, actor=current_user)
    except service.BudgetError as exc:
        for msg in exc.messages:
            flash(msg, "danger")
        return _grid_page(year, request.form, {}, 422)
    flash(f"{year}年预算已保存：{count} 个科目", "success")
    return redirect(url_for(".grid", village_id=village_id, year=year))


def _report(ids: list[int], title: str, stem: str, scope: dict):
    """Budget vs actual page or download for some villages."""
    year = _year()
    upto = _upto(year)
    rows = service.budget_vs_actual(db.session, ids, year, upto)
    subtitle = f"{year}年预算，实际数截至 {ym_label(upto)}"
    fmt = request.args.get("format")
    if fmt in MIMES:
        data = (("\ufeff" + export.bva_csv(rows)).encode("utf-8") if fmt == "csv"
                else export.bva_xlsx(rows, title, subtitle))
        return Response(data, mimetype=MIMES[fmt],
                        headers={"Content-Disposition": f"attachment; filename={stem}-{year}.{fmt}"})
    return render_template("budgets/report.html", rows=rows, totals=section_totals(rows), title=title,
                           subtitle=subtitle, year=year, upto=ym_label(upto), **scope)


@bp.get("/report")
@village_view("books.read")
def report(village_id: int):
    """预算执行情况 of one village: budget, actual to date, variance, percentage executed."""
    return _report([village_id], f"{g.village.name} 预算执行情况", f"budget-{g.village.code}", {"village": g.village})


@township_bp.get("")
@township_view("township.reports")
def township_report(township_id: int):
    """预算执行情况 of a whole township (its villages consolidated by account code)."""
    ids = township_village_ids(db.session, township_id)
    return _report(ids, f"{g.township.name} 预算执行情况（汇总）", f"budget-{g.township.code}",
                   {"township": g.township})


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: the file's budgets, every village of it within the uploader's township."""
    check_rows_in_township(session, table, ask.township_id)
    return service.import_budgets(session, table, actor=ask.actor)


IMPORT = uploads.register(uploads.ImportKind(
    "import.budgets", "导入预算", service.IMPORT_COLUMNS, _run_import,
    done=lambda s: f"导入完成：{s['villages']} 个村，{s['budgets']} 份年度预算，{s['rows']} 行"))


def _import_page(status: int = 200):
    """The budget import form, with the township's recent imports."""
    recent = jobs.recent(db.session, (IMPORT.kind,), township_id=g.township.id)
    return render_template("budgets/import.html", form=FlaskForm(), columns=service.IMPORT_COLUMNS, recent=recent,
                           limits_text=uploads.limits_text(IMPORT)), status


@township_bp.get("/import")
@township_view("voucher.prepare")
def import_form(township_id: int):
    """Upload budgets for the township's villages."""
    return _import_page()


@township_bp.post("/import")
@township_view("voucher.prepare")
@uploads.upload_limit(IMPORT.limits.bytes)
def import_file(township_id: int):
    """Queue a budget file as an import job (all-or-nothing); every village-year in the file is replaced."""
    return uploads.submit(IMPORT, township_id=township_id, actor=current_user, form_page=_import_page,
                          job_url=lambda job_id: url_for(".import_job", township_id=township_id, job_id=job_id))


uploads.job_routes(township_bp, IMPORT, rule="/import/jobs/<int:job_id>", guard=township_view("voucher.prepare"),
                   links=lambda township_id: uploads.JobLinks(
                       url_for(".import_form", township_id=township_id),
                       crumbs=[("导入预算", url_for(".import_form", township_id=township_id))]))


@township_bp.get("/import/template.csv")
@township_view("voucher.prepare")
def template(township_id: int):
    """The budget import template: header and example rows, UTF-8 with BOM for Excel."""
    code = g.township.villages[0].code if g.township.villages else "V001"
    year = date.today().year
    body = csv_text(service.IMPORT_COLUMNS + ["note"], (
        [code, year, acc, amount, note] for acc, amount, note in
        (("501", "120000.00", "土地发包及厂房出租"), ("503", "80000.00", "转移支付"), ("513", "30000.00", ""),
         ("514", "50000.00", "村道维修"))))
    return Response("\ufeff" + body, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=budget-import-template.csv"})
