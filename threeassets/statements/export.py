"""Statement and book files as functions of data: CSV (export contracts, English headers, plain two-decimal
amounts) and XLSX (the printed layout with Chinese headers). PDF lives in statements/pdf.py."""
from __future__ import annotations

from threeassets.core.csvio import csv_text
from threeassets.core.money import plain
from threeassets.core.periods import ym_label
from threeassets.core.xlsx import Sheet, workbook
from threeassets.statements.books import IncomeExpenseDetail, Journal, LedgerAccount
from threeassets.statements.rules import BookRow
from threeassets.statements.service import Statement
from threeassets.statements.tables import Table

CSV_COLUMNS = {
    "balance_sheet": ["row_no", "item", "opening", "closing"],
    "income_statement": ["row_no", "item", "current", "year_to_date"],
    "general_ledger": ["account_code", "account_name", "period", "summary", "debit", "credit", "side", "balance"],
    "journal": ["date", "voucher", "summary", "debit", "credit", "side", "balance"],
    "income_expense": ["account_code", "account_name", "current", "year_to_date"],
}


def statement_csv(st: Statement) -> str:
    """资产负债表 (row_no,item,opening,closing) or 收益及收益分配表 (row_no,item,current,year_to_date)."""
    rows = ([ln.row_no, ln.item, *(plain(v) for v in ln.values)] for ln in st.numbered())
    return csv_text(CSV_COLUMNS[st.kind], rows)


def _book(r: BookRow) -> list[str]:
    """summary, debit, credit, side, balance of a book line (balance as a positive amount beside its side)."""
    return [r.summary, plain(r.debit), plain(r.credit), r.side, plain(abs(r.balance))]


def general_ledger_csv(accounts: list[LedgerAccount]) -> str:
    """总账: one line per account for 上年结转, two per month (本月合计, 本年累计)."""
    rows = []
    for a in accounts:
        rows.append([a.code, a.name, "", *_book(a.opening_row)])
        if a.carried is not None:
            rows.append([a.code, a.name, ym_label(a.carried_ym), *_book(a.carried)])
        for m, month_row, year_row in a.months:
            rows.append([a.code, a.name, ym_label(m), *_book(month_row)])
            rows.append([a.code, a.name, ym_label(m), *_book(year_row)])
    return csv_text(CSV_COLUMNS["general_ledger"], rows)


def journal_csv(j: Journal) -> str:
    """日记账 / 明细账: entries and totals lines in book order."""
    rows = [[r.day.isoformat() if r.day else "", r.label, *_book(r)] for r in j.rows]
    return csv_text(CSV_COLUMNS["journal"], rows)


def income_expense_csv(d: IncomeExpenseDetail) -> str:
    """收支明细表: each account then the totals lines (no account code)."""
    rows = [[r.code, r.name, plain(r.current), plain(r.year_to_date)] for r in d.income + d.expense]
    rows += [["", name, plain(cur), plain(ytd)] for name, (cur, ytd) in d.totals.items()]
    return csv_text(CSV_COLUMNS["income_expense"], rows)


def _sheet(t: Table, name: str | None = None) -> Sheet:
    """A table as an Excel sheet: title, unit line, bold header, #,##0.00 amounts, frozen header."""
    width = len(t.head[-1])
    unit = f"单位：元{'　' + t.form_no if t.form_no else ''}"
    return Sheet(name or t.title, [list(h) for h in t.head], t.rows,  # Decimal amounts stay exact numbers
                 [[t.title], [f"编制单位：{t.org}", *[""] * max(width - 3, 0), t.period, unit]],
                 [max(8, mm * 0.55) for mm in t.widths], dict.fromkeys(t.amount_cols, "#,##0.00"),
                 t.bold, t.shaded, merge_title=True, freeze_cols=0, wrap_cols=set(t.wrap_cols))


def table_xlsx(t: Table) -> bytes:
    """One table as a workbook of one sheet."""
    return workbook(_sheet(t))


def tables_xlsx(tables: list[Table]) -> bytes:
    """Several tables (the 会计报表附注) as one workbook, a sheet each."""
    return workbook(*(_sheet(t) for t in tables))
