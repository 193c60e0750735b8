"""Statement and book files as functions of data: CSV (export contracts, English headers, plain two-decimal
amounts) and XLSX (the printed layout with Chinese headers). PDF lives in statements/pdf.py."""
from __future__ import annotations

import csv
import io

from threeassets.core.money import plain
from threeassets.core.periods import ym_label
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


def _csv(columns: list[str], rows) -> str:
    """CSV text with a header line and \\n line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    return buf.getvalue()


def statement_csv(st: Statement) -> str:
    """资产负债表 (row_no,item,opening,closing) or 收益及收益分配表 (row_no,item,current,year_to_date)."""
    return _csv(CSV_COLUMNS[st.kind], ([ln.row_no, ln.item, *(plain(v) for v in ln.values)] for ln in st.numbered()))


def _book(r: BookRow) -> list[str]:
    """summary, debit, credit, side, balance of a book line (balance as a positive amount beside its side)."""
    return [r.summary, plain(r.debit), plain(r.credit), r.side, plain(abs(r.balance))]


def general_ledger_csv(accounts: list[LedgerAccount]) -> str:
    """总账: one line per account for 上年结转, two per month (本月合计, 本年累计)."""
    rows = []
    for a in accounts:
        rows.append([a.code, a.name, "", *_book(a.opening_row)])
        for m, month_row, year_row in a.months:
            rows.append([a.code, a.name, ym_label(m), *_book(month_row)])
            rows.append([a.code, a.name, ym_label(m), *_book(year_row)])
    return _csv(CSV_COLUMNS["general_ledger"], rows)


def journal_csv(j: Journal) -> str:
    """日记账 / 明细账: entries and totals lines in book order."""
    rows = [[r.day.isoformat() if r.day else "", r.label, *_book(r)] for r in j.rows]
    return _csv(CSV_COLUMNS["journal"], rows)


def income_expense_csv(d: IncomeExpenseDetail) -> str:
    """收支明细表: each account then the totals lines (no account code)."""
    rows = [[r.code, r.name, plain(r.current), plain(r.year_to_date)] for r in d.income + d.expense]
    rows += [["", name, plain(cur), plain(ytd)] for name, (cur, ytd) in d.totals.items()]
    return _csv(CSV_COLUMNS["income_expense"], rows)


def table_xlsx(t: Table) -> bytes:
    """A table as an Excel sheet: title, unit line, bold header, #,##0.00 amounts, frozen header."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = t.title[:31]
    width = len(t.head[-1])
    ws.append([t.title])
    ws.append([f"编制单位：{t.org}", *[""] * (width - 3), t.period, f"单位：元{'　' + t.form_no if t.form_no else ''}"])
    for head in t.head:
        ws.append(head)
    top = 3 + len(t.head)
    for i, row in enumerate(t.rows):
        ws.append(row)  # Decimal amounts are written as numbers, exactly
        r = top + i
        for col in t.amount_cols:
            ws.cell(r, col + 1).number_format = "#,##0.00"
        if i in t.bold:
            for c in ws[r]:
                c.font = Font(bold=True)
        if i in t.shaded:
            for c in ws[r]:
                c.fill = PatternFill("solid", fgColor="EEF1F5")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for idx, mm in enumerate(t.widths):
        ws.column_dimensions[get_column_letter(idx + 1)].width = max(8, mm * 0.55)
    ws.freeze_panes = ws.cell(top, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

