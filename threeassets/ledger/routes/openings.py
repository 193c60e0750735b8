"""期初余额: a village's opening balances as a keyboard grid, its template to download and fill, and its upload."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from threeassets.auth.access import village_view
from threeassets.core import uploads
from threeassets.core.csvio import csv_text
from threeassets.core.db import db, transaction
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.periods import PeriodError, parse_ym, ym_label
from threeassets.core.refused import NONE, refused
from threeassets.core.xlsx import Sheet, workbook
from threeassets.ledger.models import Voucher
from threeassets.ledger.openings import service
from threeassets.ledger.openings.importer import COLUMN_LABELS, COLUMNS, import_openings
from threeassets.ledger.openings.rules import (
    ADJUSTMENT_KINDS,
    FIELDS,
    ZERO,
    OpeningFigures,
    balance_problems,
    on_side,
    totals,
)
from threeassets.ledger.routes import bp
from threeassets.orgs.models import Village

EXTRA_ROWS = 3  # blank rows for sub-accounts made on the spot (112001 张三)
KEYS = {"year_debit": "yd", "year_credit": "yc", "ytd_debit": "td", "ytd_credit": "tc"}  # field → form prefix
FIELD_OF_COLUMN = {"account_code": "code", "account_name": "name"}
MIMES = {"csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _suggested_start(village_id: int) -> int:
    """A start for a village without one: the month of its earliest voucher, else January of this year."""
    early = db.session.scalar(select(func.min(Voucher.ym)).where(Voucher.village_id == village_id))
    return early or date.today().year * 100 + 1


def _page(start_ym: int, values=None, problems=None, status: int = 200, refused=NONE):
    vid = g.village.id
    start = service.start_of(db.session, vid)
    rows = service.grid(db.session, vid)
    leaves = [r.figures for r in rows if r.account.is_leaf]
    sums = totals(leaves)
    return render_template(
        "ledger/openings.html", rows=rows, start=start, start_text=ym_label(start_ym),
        start_label=f"{start.start_ym // 100}年{start.start_ym % 100}月" if start else "", january=start_ym % 100 == 1,
        locked=service.start_locked(db.session, vid), sums=sums, balance=balance_problems(leaves),
        on_side=on_side, keys=KEYS, values=values, problems=problems or {}, extra=range(EXTRA_ROWS),
        columns=[(c, COLUMN_LABELS[c]) for c in COLUMNS], limits_text=uploads.limits_text(IMPORT),
        adjustments=service.adjustment_list(db.session, vid), kinds=ADJUSTMENT_KINDS, refused=refused), status


@bp.get("/openings")
@village_view("books.read")
def openings(village_id: int):
    """期初余额: the start month and every account's figures, parents rolled up, 试算平衡."""
    start = service.start_of(db.session, village_id)
    return _page(start.start_ym if start else _suggested_start(village_id))


def _typed(form) -> tuple[list[service.OpeningRow], dict[tuple[str, str], str]]:
    """The grid's rows with figures (leaves by code, then filled extra rows) and the cells that are not amounts."""
    problems: dict[tuple[str, str], str] = {}
    rows = []
    extras = [f"x{i}" for i in range(EXTRA_ROWS)]
    prefixes = tuple(f"{p}-" for p in KEYS.values())
    keys = sorted({k.split("-", 1)[1] for k in form if k.startswith(prefixes)} - set(extras))
    for key in keys + extras:
        amounts = {}
        for field, prefix in KEYS.items():
            try:
                amounts[field] = parse_amount(form.get(f"{prefix}-{key}")) or ZERO
            except AmountError as exc:
                problems[(key, field)] = str(exc)
        code = form.get(f"code-{key}", key if key not in extras else "").strip()
        name = form.get(f"name-{key}", "").strip()
        if key in extras and not code:
            if any(amounts.values()) or name:
                problems[(key, "code")] = "请填写新增明细科目的编码"
            continue
        if len(amounts) == len(KEYS):
            figures = OpeningFigures(**amounts)
            if not figures.is_zero or key in extras:
                rows.append(service.OpeningRow(code, figures, name=name, where=key))
    return rows, problems


@bp.post("/openings")
@village_view("accounts.edit")
def openings_save(village_id: int):
    """Save the grid: the typed figures replace the village's opening balances."""
    try:
        start_ym = parse_ym(request.form.get("start_period", ""))
    except PeriodError as exc:
        flash(f"建账月份：{exc}", "danger")
        return _page(_suggested_start(village_id), request.form, {("", "start"): str(exc)}, 422)
    rows, problems = _typed(request.form)
    if problems:
        flash("期初余额未保存：请改正标红的单元格", "danger")
        return _page(start_ym, request.form, problems, 422)
    try:
        with transaction(db.session):
            start = service.save_openings(db.session, village=g.village, start_ym=start_ym, rows=rows,
                                          actor=current_user)
    except service.OpeningsInvalid as exc:
        cells = {}
        for where, col, why in exc.problems:
            if isinstance(where, str) and col != "start_period":
                cells[(where, FIELD_OF_COLUMN.get(col, col))] = why
            else:
                flash(why, "danger")
        if cells:
            flash("期初余额未保存：请改正标红的单元格", "danger")
        return _page(start_ym, request.form, cells, 422)
    note = "试算平衡" if start.balanced else "试算不平衡，调平前不能记账"
    flash(f"期初余额已保存（建账月份 {ym_label(start.start_ym)}，{note}）", "success" if start.balanced else "warning")
    return redirect(url_for(".openings", village_id=village_id))


@bp.post("/openings/adjustments")
@village_view("accounts.edit")
def openings_adjust(village_id: int):
    """Add a stock-take adjustment (清产核资调整) of the opening balances, with its reason; a refusal names every
    problem at its field and keeps what was typed (422)."""
    form = request.form
    amount, amount_problem = None, None
    try:
        amount = parse_amount(form.get("amount"))
    except AmountError as exc:
        amount_problem = f"金额{exc}"  # the service then refuses the missing amount with the other problems
    try:
        with transaction(db.session):
            service.add_adjustment(db.session, village=g.village, kind=form.get("kind", ""),
                                   debit_code=form.get("debit", ""), credit_code=form.get("credit", ""),
                                   amount=amount, reason=form.get("reason", ""), actor=current_user)
    except service.OpeningsInvalid as exc:
        said = [(col, why) for _w, col, why in exc.problems if not (amount_problem and col == "amount")]
        said += [("amount", amount_problem)] if amount_problem else []  # the typed amount's own reason
        problems: dict[str, str] = {}
        for col, why in said:  # a field's own problems at the field; the openings' (balance …) in the banner only
            if col in ADJUSTMENT_FIELDS:
                problems[col] = f"{problems[col]}；{why}" if col in problems else why
        flash("调整未登记：" + "；".join(why for _col, why in said), "danger")
        start = service.start_of(db.session, village_id)
        return _page(start.start_ym if start else _suggested_start(village_id), status=422,
                     refused=refused("adjust", form, ADJUSTMENT_FIELDS, problems))
    flash("清产核资调整已登记，期初余额已相应调整", "success")
    return redirect(url_for(".openings", village_id=village_id) + "#adjustments")


ADJUSTMENT_FIELDS = ("kind", "debit", "credit", "amount", "reason")


def _template_rows(village_id: int) -> list[list]:
    start = service.start_of(db.session, village_id)
    period = ym_label(start.start_ym if start else _suggested_start(village_id))
    out = []
    for r in service.grid(db.session, village_id):
        if r.account.is_leaf:
            amounts = [getattr(r.figures, f) or "" for f in FIELDS]
            out.append([g.village.code, period, r.account.code, r.account.full_name, *amounts])
    return out


@bp.get("/openings/template")
@village_view("books.read")
def openings_template(village_id: int):
    """The import file for this village (?format=xlsx|csv): every leaf account with its figures so far."""
    fmt = request.args.get("format", "xlsx")
    if fmt not in MIMES:
        fmt = "xlsx"
    rows = _template_rows(village_id)
    if fmt == "csv":
        data = ("\ufeff" + csv_text(COLUMNS, rows)).encode("utf-8")
    else:
        data = workbook(Sheet("期初余额", [COLUMNS], rows, widths=[10, 12, 12, 30, 16, 16, 16, 16],
                              formats=dict.fromkeys(range(4, 8), "#,##0.00")))
    return Response(data, mimetype=MIMES[fmt],
                    headers={"Content-Disposition": f"attachment; filename=opening-{g.village.code}.{fmt}"})


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: the file's rows into the village it was uploaded to (its rows only)."""
    village = session.get(Village, ask.village_id)
    return import_openings(session, table, actor=ask.actor, only=village.code)


IMPORT = uploads.register(uploads.ImportKind(
    "import.openings", "导入期初余额", COLUMNS, _run_import,
    done=lambda s: f"已导入期初余额：{s['rows']} 个科目"))


@bp.post("/openings/import")
@village_view("accounts.edit")
@uploads.upload_limit(IMPORT.limits.bytes)
def openings_import(village_id: int):
    """Queue the filled template as an import job of this village (all or nothing) and show its progress."""
    back = url_for(".openings", village_id=village_id)
    return uploads.submit(IMPORT, village_id=village_id, township_id=g.village.township_id, actor=current_user,
                          job_url=lambda job_id: url_for(".openings_job", village_id=village_id, job_id=job_id),
                          back=back)


uploads.job_routes(bp, IMPORT, rule="/openings/import/jobs/<int:job_id>", guard=village_view("accounts.edit"),
                   endpoint="openings_job", links=lambda village_id: uploads.JobLinks(
                       url_for(".openings", village_id=village_id), url_for(".openings", village_id=village_id),
                       [("期初余额", url_for(".openings", village_id=village_id))]))
