"""Report files as functions of data: CSV (export contract) and XLSX. PDF lives in reports/pdf.py."""
from __future__ import annotations

import csv
import io

from threeassets.core.money import plain
from threeassets.reports.service import TB_COLUMNS, TBRow, tb_totals

TB_HEADERS_CN = ["科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方", "期末借方", "期末贷方"]


def tb_csv(rows: list[TBRow]) -> str:
    """Trial balance in the CSV export contract (header in English, plain two-decimal numbers)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TB_COLUMNS)
    for r in rows:
        w.writerow([r.code, r.name, *(plain(x) for x in r.cells())])
    return buf.getvalue()


def tb_xlsx(rows: list[TBRow], title: str, subtitle: str) -> bytes:
    """Trial balance as an Excel workbook with Chinese headers, number formats and a 合计 row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "科目余额表"
    ws.append([title])
    ws.append([subtitle])
    ws.append(TB_HEADERS_CN)
    for r in rows:
        ws.append([r.code, ("　" * (r.level - 1)) + r.name, *r.cells()])
    ws.append(["合计", "", *tb_totals(rows)])
    ws["A1"].font = Font(size=14, bold=True)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=8):
        for cell in row:
            cell.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 30
    for col in "CDEFGH":
        ws.column_dimensions[col].width = 16
    ws.freeze_panes = "C4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
