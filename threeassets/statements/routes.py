"""Statement and book pages: balance sheet, income statement, general ledger, journals, 收支明细表.

Each page also answers ?format=csv|xlsx|pdf. Village pages live under /v/<id>/statements, the consolidated
township pages under /t/<id>/statements (township_bp).
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, g, render_template, request, url_for
from sqlalchemy import select

from threeassets.auth.access import township_view, village_view
from threeassets.core.db import db
from threeassets.core.errors import RuleError
from threeassets.core.params import arg_id
from threeassets.core.periods import parse_ym, ym_label
from threeassets.core.tenancy import get_owned
from threeassets.ledger.models import Account
from threeassets.reports.service import township_village_ids
from threeassets.statements import books, export, tables
from threeassets.statements.notes import statement_notes
from threeassets.statements.service import balance_sheet, income_statement

bp = Blueprint("statements", __name__, url_prefix="/v/<int:village_id>/statements")
township_bp = Blueprint("statements_township", __name__, url_prefix="/t/<int:township_id>/statements")
BLUEPRINTS = (bp, township_bp,)
MIMES = {"csv": "text/csv",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pdf": "application/pdf"}


def _ym(name: str, default: int) -> int:
    """A YYYY-MM query argument; a bad value flashes a warning and falls back to the default."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    try:
        return parse_ym(text)
    except RuleError as exc:
        flash(str(exc), "warning")
        return default


def _this_month() -> int:
    """The current month as 202405."""
    today = date.today()
    return today.year * 100 + today.month


def _range() -> tuple[int, int]:
    """from/to of a book (default: this month); reversed bounds are swapped with a warning."""
    end = _ym("to", _this_month())
    start = _ym("from", end)
    if start > end:
        flash("起始期间晚于截止期间，已对调", "warning")
        start, end = end, start
    return start, end


def _render(table: tables.Table, csv_text, stem: str, form: dict) -> Response | str:
    """The page, or the CSV/XLSX/PDF file when ?format= asks for one."""
    fmt = request.args.get("format")
    if fmt not in MIMES:
        return render_template("statements/table.html", table=table, form=form)
    if fmt == "csv":
        data = ("\ufeff" + csv_text()).encode("utf-8")  # BOM so Chinese Excel opens it right
    elif fmt == "xlsx":
        data = export.table_xlsx(table)
    else:
        from threeassets.statements.pdf import render_table
        data = render_table(table)
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(data, mimetype=MIMES[fmt],
                    headers={"Content-Disposition": f"{disposition}; filename={stem}.{fmt}"})


def _scope() -> tuple[list[int], str, str]:
    """Village ids, the name printed as 编制单位, and a file-name code for the current village or township."""
    if g.get("village") is not None:
        return [g.village.id], g.village.name, g.village.code
    return township_village_ids(db.session, g.township.id), f"{g.township.name}（汇总）", g.township.code


def _balance_sheet():
    """资产负债表 of the scope at the end of ?period."""
    ids, org, code = _scope()
    ym = _ym("period", _this_month())
    st = balance_sheet(db.session, ids, ym, org)
    return _render(tables.balance_sheet_table(st), lambda: export.statement_csv(st), f"balance-sheet-{code}-{ym}",
                   {"period": ym_label(ym)})


def _income_statement():
    """收益及收益分配表 of the scope for ?period."""
    ids, org, code = _scope()
    ym = _ym("period", _this_month())
    st = income_statement(db.session, ids, ym, org)
    return _render(tables.income_statement_table(st), lambda: export.statement_csv(st),
                   f"income-statement-{code}-{ym}", {"period": ym_label(ym)})


def _general_ledger():
    """总账 of the scope for the year up to ?period."""
    ids, org, code = _scope()
    ym = _ym("period", _this_month())
    accounts = books.general_ledger(db.session, ids, ym)
    links = None
    if g.get("village") is not None:
        links = {f"{a.code} {a.name}": url_for("statements.account_ledger", village_id=g.village.id, account=a.code,
                                               **{"from": ym_label(ym // 100 * 100 + 1), "to": ym_label(ym)})
                 for a in accounts}
    return _render(tables.general_ledger_table(accounts, org, ym), lambda: export.general_ledger_csv(accounts),
                   f"general-ledger-{code}-{ym}", {"period": ym_label(ym), "section_links": links})


def _income_expense():
    """收支明细表 of the scope for ?period."""
    ids, org, code = _scope()
    ym = _ym("period", _this_month())
    detail = books.income_expense_detail(db.session, ids, ym)
    return _render(tables.income_expense_table(detail, org), lambda: export.income_expense_csv(detail),
                   f"income-expense-{code}-{ym}", {"period": ym_label(ym)})


def _notes():
    """会计报表附注 of the scope for ?period (page, or ?format=xlsx|pdf)."""
    ids, org, code = _scope()
    ym = _ym("period", _this_month())
    parts = tables.notes_tables(statement_notes(db.session, ids, ym, org))
    fmt = request.args.get("format")
    if fmt not in ("xlsx", "pdf"):
        return render_template("statements/notes.html", tables=parts, title=tables.NOTES_TITLE,
                               form={"period": ym_label(ym)})
    if fmt == "xlsx":
        data = export.tables_xlsx(parts)
    else:
        from threeassets.statements.pdf import render_tables
        data = render_tables(tables.NOTES_TITLE, parts)
    disposition = "inline" if fmt == "pdf" else "attachment"
    return Response(data, mimetype=MIMES[fmt],
                    headers={"Content-Disposition": f"{disposition}; filename=notes-{code}-{ym}.{fmt}"})


@bp.get("/balance-sheet")
@village_view("books.read")
def village_balance_sheet(village_id: int):
    """资产负债表 of one village."""
    return _balance_sheet()


@bp.get("/income-statement")
@village_view("books.read")
def village_income_statement(village_id: int):
    """收益及收益分配表 of one village."""
    return _income_statement()


@bp.get("/notes")
@village_view("books.read")
def village_notes(village_id: int):
    """会计报表附注 of one village."""
    return _notes()


@bp.get("/general-ledger")
@village_view("books.read")
def village_general_ledger(village_id: int):
    """总账 of one village."""
    return _general_ledger()


@bp.get("/income-expense")
@village_view("books.read")
def village_income_expense(village_id: int):
    """收支明细表 of one village."""
    return _income_expense()


def _account_arg(village_id: int, root: str | None) -> Account | None:
    """The account of ?account_id or ?account (code), else the root; outside the village or the root → 404."""
    if request.args.get("account_id"):
        account = get_owned(db.session, Account, arg_id("account_id") or 0, village_id)
    else:
        code = request.args.get("account", "").strip() or root
        if not code:
            return None
        account = db.session.scalar(select(Account).where(Account.village_id == village_id, Account.code == code))
    if account is None or (root and not books.is_under(account, root)):
        abort(404)
    return account


def _journal(village_id: int, kind: str):
    """A 日记账 (cash/bank, with 本日合计) or 明细账 of the chosen account over ?from..?to."""
    root = books.JOURNAL_ROOTS.get(kind)
    account = _account_arg(village_id, root)
    start, end = _range()
    choices = [(code, name) for code, name in db.session.execute(
        select(Account.code, Account.full_name).where(Account.village_id == village_id).order_by(Account.code))
        if root is None or code.startswith(root)]  # the list only; the chosen account is checked by _under
    form = {"start": ym_label(start), "end": ym_label(end), "accounts": choices,
            "account": account.code if account else ""}
    if account is None:
        return render_template("statements/table.html", table=None, form=form, title=books.JOURNAL_TITLES[kind])
    j = books.journal(db.session, village_id, account, start, end, kind)
    return _render(tables.journal_table(j, g.village.name), lambda: export.journal_csv(j),
                   f"{kind}-{g.village.code}-{account.code}-{start}-{end}", form)


@bp.get("/cash-journal")
@village_view("books.read")
def cash_journal(village_id: int):
    """现金日记账 (101 and its sub-accounts) with 本日合计, 本月合计 and 本年累计."""
    return _journal(village_id, "cash")


@bp.get("/bank-journal")
@village_view("books.read")
def bank_journal(village_id: int):
    """银行存款日记账 (102 or one bank sub-account) with 本日合计, 本月合计 and 本年累计."""
    return _journal(village_id, "bank")


@bp.get("/ledger")
@village_view("books.read")
def account_ledger(village_id: int):
    """明细账 of any account (children included) with 本月合计 and 本年累计, printable and exportable."""
    return _journal(village_id, "ledger")


@township_bp.get("/balance-sheet")
@township_view("township.reports")
def township_balance_sheet(township_id: int):
    """资产负债表 consolidated over the township's villages (汇总)."""
    return _balance_sheet()


@township_bp.get("/income-statement")
@township_view("township.reports")
def township_income_statement(township_id: int):
    """收益及收益分配表 consolidated over the township's villages."""
    return _income_statement()


@township_bp.get("/notes")
@township_view("township.reports")
def township_notes(township_id: int):
    """会计报表附注 of the township's consolidation."""
    return _notes()


@township_bp.get("/general-ledger")
@township_view("township.reports")
def township_general_ledger(township_id: int):
    """总账 consolidated by account code over the township's villages."""
    return _general_ledger()


@township_bp.get("/income-expense")
@township_view("township.reports")
def township_income_expense(township_id: int):
    """收支明细表 consolidated over the township's villages."""
    return _income_expense()
