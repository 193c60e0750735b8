"""Report pages: trial balance per village and per township, account ledger; CSV/XLSX/PDF downloads."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, g, render_template, request
from sqlalchemy import select

from threeassets.auth.access import township_view, village_view
from threeassets.core.db import db
from threeassets.core.errors import RuleError
from threeassets.core.params import arg_id
from threeassets.core.periods import parse_ym, ym_label
from threeassets.core.tenancy import get_owned
from threeassets.ledger.chart import path_mnemonic
from threeassets.ledger.models import Account
from threeassets.reports import export
from threeassets.reports.service import (
    account_ledger,
    first_kept_month,
    ledger_rows,
    tb_totals,
    township_village_ids,
    trial_balance,
    year_before,
)

bp = Blueprint("reports", __name__)
BLUEPRINTS = (bp,)
MIMES = {"csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pdf": "application/pdf"}


def _range(args) -> tuple[int, int]:
    """The month range from the query (default: this year to this month); bad input flashes and defaults."""
    today = date.today()
    default = (today.year * 100 + 1, today.year * 100 + today.month)
    try:
        start = parse_ym(args["from"]) if args.get("from") else default[0]
        end = parse_ym(args["to"]) if args.get("to") else default[1]
    except RuleError as exc:
        flash(str(exc), "warning")
        return default
    if start > end:
        flash("起始期间晚于截止期间，已对调", "warning")
        start, end = end, start
    return start, end


def _download(rows, title: str, start: int, end: int, fmt: str, stem: str) -> Response:
    """A trial balance file in the requested format."""
    subtitle = f"{ym_label(start)} 至 {ym_label(end)}"
    if fmt == "csv":
        data = ("\ufeff" + export.tb_csv(rows)).encode("utf-8")  # BOM so Chinese Excel opens it right
    elif fmt == "xlsx":
        data = export.tb_xlsx(rows, title, subtitle)
    else:
        from threeassets.reports.pdf import render_trial_balance
        data = render_trial_balance(rows, title, subtitle)
    return _file(data, f"{stem}-{start}-{end}.{fmt}", fmt)


def _file(data: bytes, name: str, fmt: str) -> Response:
    """A report file: a PDF opens in the browser, the others download."""
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(data, mimetype=MIMES[fmt], headers={"Content-Disposition": f"{disposition}; filename={name}"})


def _tb_page(ids: list[int], title: str, stem: str, scope: dict):
    """Shared body of the village and township trial-balance pages."""
    start, end = _range(request.args)
    rows = trial_balance(db.session, ids, start, end)
    fmt = request.args.get("format")
    if fmt in MIMES:
        return _download(rows, title, start, end, fmt, stem)
    return render_template("reports/trial_balance.html", rows=rows, totals=tb_totals(rows), title=title,
                           start=ym_label(start), end=ym_label(end), **scope)


@bp.get("/v/<int:village_id>/reports/trial-balance")
@village_view("books.read")
def village_tb(village_id: int):
    """科目余额表 of one village."""
    return _tb_page([village_id], f"{g.village.name} 科目余额表", f"tb-{g.village.code}", {"village": g.village})


@bp.get("/t/<int:township_id>/reports/trial-balance")
@township_view("township.reports")
def township_tb(township_id: int):
    """科目余额表 of a whole township (all its villages, consolidated by account code)."""
    ids = township_village_ids(db.session, township_id)
    return _tb_page(ids, f"{g.township.name} 科目余额表（汇总）", f"tb-{g.township.code}", {"township": g.township})


@bp.get("/v/<int:village_id>/reports/ledger")
@village_view("books.read")
def ledger(village_id: int):
    """明细账 of one account (with its sub-accounts) over a month range, with running balance."""
    start, end = _range(request.args)
    code = (request.args.get("account", "").strip().split() or [""])[0]  # the picker leaves "code name"
    accounts = [{"code": c, "name": n, "py": m, "fpy": path_mnemonic(n)} for c, n, m in db.session.execute(
        select(Account.code, Account.full_name, Account.mnemonic).where(Account.village_id == village_id)
        .order_by(Account.code))]
    account = None
    if code:
        account = db.session.scalar(select(Account).where(Account.village_id == village_id, Account.code == code))
        if account is None:
            abort(404)
    elif request.args.get("account_id"):
        account = get_owned(db.session, Account, arg_id("account_id") or 0, village_id)
    if account is None:
        return render_template("reports/ledger.html", accounts=accounts, account=None, rows=None,
                               start=ym_label(start), end=ym_label(end))
    opening, entries, _closing = account_ledger(db.session, village_id, account, start, end)
    kept = first_kept_month(db.session, village_id, start, end)
    rows = ledger_rows(opening, entries, kept, end, year_before(db.session, village_id, account, kept))
    fmt = request.args.get("format")
    if fmt in MIMES:
        return _ledger_download(rows, account, start, end, fmt)
    return render_template("reports/ledger.html", accounts=accounts, account=account, rows=rows,
                           start=ym_label(start), end=ym_label(end))


def _ledger_download(rows, account, start: int, end: int, fmt: str) -> Response:
    """明细账 as CSV (export contract), XLSX or PDF."""
    title = f"{g.village.name} 明细账：{account.code} {account.full_name}"
    subtitle = f"{ym_label(start)} 至 {ym_label(end)}"
    if fmt == "csv":
        data = ("\ufeff" + export.ledger_csv(rows)).encode("utf-8")
    elif fmt == "xlsx":
        data = export.ledger_xlsx(rows, title, subtitle)
    else:
        from threeassets.reports.pdf import render_ledger
        data = render_ledger(rows, title, subtitle)
    return _file(data, f"ledger-{g.village.code}-{account.code}-{start}-{end}.{fmt}", fmt)
