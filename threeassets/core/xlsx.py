"""Excel exports: sheets described as data (Sheet), written by one function that puts every cell through the formula
guard, so text is stored as text and amounts as exact numbers."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

from threeassets.core.csvio import formula_like


@dataclass
class Sheet:
    """One sheet: title lines, bold centred header rows, the body; number formats by body column."""

    name: str
    header: list[list[str]]
    rows: list[list]
    title: list[list] = field(default_factory=list)  # rows above the header, the first cell in large bold type
    widths: list[float] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)  # body column (0-based) → number format
    bold: set[int] = field(default_factory=set)  # body rows
    shaded: set[int] = field(default_factory=set)  # body rows
    title_size: int = 14
    merge_title: bool = False  # the first title line spans the header's width, centred
    freeze_cols: int | None = None  # freeze the rows above the body and this many columns; None freezes nothing
    wrap_cols: set[int] = field(default_factory=set)  # body columns of long text, wrapped


def _put(ws, values: list) -> None:
    """Append a row with every cell through the guard: text that would start a formula (=, +, -, @, tab, return) is
    stored as a string with Excel's quote prefix, so neither opening nor editing the cell evaluates it; characters
    XML cannot hold become U+FFFD instead of failing the export. Decimals stay numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    ws.append([ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def _write(ws, s: Sheet) -> None:
    """Lay out one sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    for line in s.title:
        _put(ws, line)
    for head in s.header:
        _put(ws, head)
    top = len(s.title) + len(s.header) + 1  # the first body row
    for row in s.rows:
        _put(ws, row)
    if s.title:
        ws["A1"].font = Font(size=s.title_size, bold=True)
    if s.title and s.merge_title:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(s.header[-1]))
        ws["A1"].alignment = Alignment(horizontal="center")
    for r in range(len(s.title) + 1, top):
        for cell in ws[r]:
            cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center")
    for col, fmt in s.formats.items():
        for (cell,) in ws.iter_rows(min_row=top, min_col=col + 1, max_col=col + 1):
            cell.number_format = fmt
    for col in s.wrap_cols:
        for (cell,) in ws.iter_rows(min_row=top, min_col=col + 1, max_col=col + 1):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i in s.bold:
        for cell in ws[top + i]:
            cell.font = Font(bold=True)
    for i in s.shaded:
        for cell in ws[top + i]:
            cell.fill = PatternFill("solid", fgColor="EEF1F5")
    for idx, width in enumerate(s.widths, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    if s.freeze_cols is not None:
        ws.freeze_panes = ws.cell(top, s.freeze_cols + 1)


def workbook(*sheets: Sheet) -> bytes:
    """The one way an XLSX export is written: the sheets in order."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for s in sheets:
        _write(wb.create_sheet(s.name[:31]), s)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def simple_sheet(sheet: str, title: str, subtitle: str, header: list[str], rows: list[list],
                 amount_cols: range, widths: list[int]) -> bytes:
    """One sheet: title, subtitle, bold header, rows with #,##0.00 amounts (exact Decimals), frozen header."""
    return workbook(Sheet(sheet, [header], rows, [[title], [subtitle]], widths, dict.fromkeys(amount_cols, "#,##0.00"),
                          freeze_cols=2))
