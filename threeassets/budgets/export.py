"""Budget vs actual as files: CSV (plain two-decimal numbers, English header) and XLSX (Chinese, with totals)."""
from __future__ import annotations

import csv
import io

from threeassets.budgets.rules import BvaRow, section_totals
from threeassets.core.money import plain

BVA_COLUMNS = ["account_code", "account_name", "budget", "actual", "variance", "executed_pct"]
BVA_HEADERS_CN = ["科目编码", "科目名称", "全年预算", "本年累计实际", "差异（实际−预算）", "执行率%"]


def bva_csv(rows: list[BvaRow]) -> str:
    """Budget vs actual in CSV: no budget leaves budget and executed_pct empty."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(BVA_COLUMNS)
    for r in rows:
        w.writerow([r.code, r.name, "" if r.budget is None else plain(r.budget), plain(r.actual),
                    plain(r.variance), "" if r.pct is None else f"{r.pct:.1f}"])
    return buf.getvalue()


def bva_xlsx(rows: list[BvaRow], title: str, subtitle: str) -> bytes:
    """Budget vs actual as an Excel workbook: sections, indented sub-accounts, 收入/支出 totals and 收支差额."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "预算执行"
    ws.append([title])
    ws.append([subtitle])
    ws.append(BVA_HEADERS_CN)
    for r in rows:
        ws.append([r.code, ("　" * (r.level - 1)) + r.name, r.budget, r.actual, r.variance,
                   r.pct])
    for label, (budget, actual) in section_totals(rows).items():
        ws.append([f"{label}合计" if label != "收支差额" else label, "", budget, actual, actual - budget])
    ws["A1"].font = Font(size=14, bold=True)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=4, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "#,##0.00"
    for (col, width) in (("A", 12), ("B", 30), ("C", 16), ("D", 16), ("E", 18), ("F", 10)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
