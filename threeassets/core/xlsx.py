"""One plain Excel sheet: title, subtitle, bold header, rows with #,##0.00 amounts, frozen header."""
from __future__ import annotations

import io


def simple_sheet(sheet: str, title: str, subtitle: str, header: list[str], rows: list[list],
                 amount_cols: range, widths: list[int]) -> bytes:
    """Write one sheet; amounts stay Decimal (exact numbers in Excel), columns of amount_cols formatted."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    ws.append([subtitle])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws["A1"].font = Font(size=14, bold=True)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in ws.iter_rows(min_row=4, min_col=amount_cols.start + 1, max_col=amount_cols.stop):
        for cell in row:
            cell.number_format = "#,##0.00"
    for idx, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "C4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
