"""Printable statements and books as functions of data: A4 (landscape where wide), CJK font embedded, header rows
repeated on every page, 第 N 页 / 共 M 页, signature line under the statements."""
from __future__ import annotations

import io
from decimal import Decimal

from threeassets.core.money import fmt
from threeassets.core.pdf import SPLIT_TALL_ROWS, check_fields, check_text, cjk_font, numbered_canvas, para
from threeassets.statements.tables import Table

SIGNATURES = ["单位负责人：", "财会负责人：", "复核：", "制表："]
CENTERED = {"行次", "借或贷", "期间", "日期", "凭证号"}
# The text of a printed table and its names in a refusal (core.pdf.check_fields: a character no installed font
# draws stops the print); a body cell is named by its table, row and column (现金日记账 第 3 行 摘要).
TABLE_FIELDS = {"title": "表名", "org": "编制单位", "period": "期间", "form_no": "表号", "head": "表头"}


def check_table(t: Table) -> None:
    """Refuse (core.pdf.MissingGlyph) a table holding a character no installed font draws, naming its cell."""
    check_fields(t, TABLE_FIELDS)
    columns = t.head[-1] if t.head else []
    for n, row in enumerate(t.rows, start=1):
        for c, cell in enumerate(row):
            if isinstance(cell, str):
                column = columns[c] if c < len(columns) and columns[c] else f"第 {c + 1} 列"
                check_text(cell, f"{t.title} 第 {n} 行 {column}")


def _cell(value) -> str:
    """Printed form of a cell: amounts with separators (blank for zero), text as is."""
    if isinstance(value, Decimal):
        return fmt(value, blank_zero=True)
    return "" if value is None else str(value)


def _style(t: Table, font: str, head_rows: int) -> list:
    """Grid, header shading, right-aligned amounts, bold and shaded body rows, section rows spanned."""
    from reportlab.lib import colors

    style = [("FONT", (0, 0), (-1, -1), font, 9), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
             ("BOX", (0, 0), (-1, -1), 0.9, colors.black),
             ("LINEBELOW", (0, head_rows - 1), (-1, head_rows - 1), 0.9, colors.black),
             ("BACKGROUND", (0, 0), (-1, head_rows - 1), colors.HexColor("#e9eef5")),
             ("ALIGN", (0, 0), (-1, head_rows - 1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    style += [("TOPPADDING", (0, 0), (-1, -1), 2.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.6)]
    style += [("ALIGN", (c, head_rows), (c, -1), "RIGHT") for c in t.amount_cols]
    style += [("ALIGN", (c, head_rows), (c, -1), "CENTER") for c, h in enumerate(t.head[-1]) if h in CENTERED]
    for i in t.bold:  # one font without a bold face: a rule above and a larger size mark the totals
        style.append(("FONT", (0, head_rows + i), (-1, head_rows + i), font, 9.6))
        style.append(("LINEABOVE", (0, head_rows + i), (-1, head_rows + i), 0.8, colors.black))
    for i, c in t.bold_cells:
        style.append(("FONT", (c, head_rows + i), (c, head_rows + i), font, 9.6))
        style.append(("LINEABOVE", (c, head_rows + i), (c, head_rows + i), 0.8, colors.black))
    for i in t.shaded:
        style.append(("BACKGROUND", (0, head_rows + i), (-1, head_rows + i), colors.HexColor("#f3f5f8")))
    for i in t.sections:
        style.append(("SPAN", (0, head_rows + i), (-1, head_rows + i)))
        style.append(("ALIGN", (0, head_rows + i), (-1, head_rows + i), "LEFT"))
    return style


def _grid(t: Table, font: str, usable: float):
    """The table flowable: amounts formatted, wrapping text columns as paragraphs, header repeated per page."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    scale = usable / sum(t.widths)
    text = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12.5)
    data = [list(h) for h in t.head] + [[para(c, text) if i in t.wrap_cols and c else _cell(c)
                                         for i, c in enumerate(row)] for row in t.rows]
    table = RLTable(data, colWidths=[w * scale for w in t.widths], repeatRows=len(t.head), splitInRow=SPLIT_TALL_ROWS)
    table.setStyle(TableStyle(_style(t, font, len(t.head))))
    return table


def _meta_line(t: Table, font: str, usable: float, period: str):
    """编制单位 | period | form number and unit, above the table."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    meta = ParagraphStyle("m", fontName=font, fontSize=9.5, leading=13)
    line = RLTable([[para(f"编制单位：{t.org}", meta), para(period, ParagraphStyle("c", parent=meta, alignment=1)),
                     para(f"{t.form_no}　单位：元" if t.form_no else "单位：元",
                          ParagraphStyle("mr", parent=meta, alignment=2))]],
                   colWidths=[usable * 0.4, usable * 0.3, usable * 0.3], splitInRow=SPLIT_TALL_ROWS)
    line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return line


def _document(title: str, org: str, period: str, landscape_: bool, story_of) -> bytes:
    """An A4 document with the running footer (title, period, 第 N 页 / 共 M 页); story_of(font, usable width)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    font = cjk_font()
    size = landscape(A4) if landscape_ else A4
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=size, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=14 * mm, title=f"{org} {title}", author="threeassets")

    def page_no(canvas, page: int, total: int) -> None:
        canvas.setFont(font, 8)
        canvas.drawString(12 * mm, 7 * mm, f"{org}　{title}　{period}")
        canvas.drawRightString(size[0] - 12 * mm, 7 * mm, f"第 {page} 页 / 共 {total} 页")

    doc.build(story_of(font, size[0] - 24 * mm), canvasmaker=numbered_canvas(page_no))
    return buf.getvalue()


def _title(text: str, font: str, size: float = 17):
    """A centred heading."""
    from reportlab.lib.styles import ParagraphStyle

    return para(text, ParagraphStyle("t", fontName=font, fontSize=size, alignment=1, leading=size * 1.4))


def _signatures(font: str, usable: float) -> list:
    """The signature line under a statement."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer
    from reportlab.platypus import Table as RLTable

    meta = ParagraphStyle("s", fontName=font, fontSize=9.5, leading=13)
    return [Spacer(0, 5 * mm), RLTable([[para(x, meta) for x in SIGNATURES]],
                                       colWidths=[usable / len(SIGNATURES)] * len(SIGNATURES))]


def render_table(t: Table) -> bytes:
    """A statement or book table as an A4 PDF (landscape when the table says so)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    check_table(t)

    def story(font: str, usable: float) -> list:
        out = [_title(t.title, font), _meta_line(t, font, usable, t.period), Spacer(0, 2 * mm),
               _grid(t, font, usable)]
        return out + (_signatures(font, usable) if t.signatures else [])

    return _document(t.title, t.org, t.period, t.landscape, story)


def render_tables(title: str, tables: list[Table]) -> bytes:
    """Several tables under one title (the 会计报表附注): each with its heading, on portrait A4."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, Spacer

    first = tables[0]
    check_text(title, "标题")
    for t in tables:
        check_table(t)

    def story(font: str, usable: float) -> list:
        heading = ParagraphStyle("h", fontName=font, fontSize=11.5, leading=16, spaceBefore=3 * mm, spaceAfter=1.5 * mm)
        out = [_title(title, font), _meta_line(first, font, usable, first.period), Spacer(0, 1 * mm)]
        for t in tables:
            out += [CondPageBreak(30 * mm), para(t.title, heading), _grid(t, font, usable)]
        return out + _signatures(font, usable)

    return _document(title, first.org, first.period, False, story)
