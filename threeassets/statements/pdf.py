"""Printable statements and books as functions of data: A4 (landscape where wide), CJK font embedded, header rows
repeated on every page, 第 N 页 / 共 M 页, signature line under the statements."""
from __future__ import annotations

import io
from decimal import Decimal

from threeassets.core.money import fmt
from threeassets.core.pdf import SPLIT_TALL_ROWS, cjk_font, numbered_canvas, para
from threeassets.statements.tables import Table

SIGNATURES = ["单位负责人：", "财会负责人：", "复核：", "制表："]
CENTERED = {"行次", "借或贷", "期间", "日期", "凭证号"}


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


def render_table(t: Table) -> bytes:
    """A statement or book table as an A4 PDF (landscape when the table says so)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as RLTable

    font = cjk_font()
    size = landscape(A4) if t.landscape else A4
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=size, leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=14 * mm, title=f"{t.org} {t.title}", author="threeassets")
    usable = size[0] - 24 * mm
    scale = usable / sum(t.widths)
    data = [list(h) for h in t.head] + [[_cell(c) for c in row] for row in t.rows]
    table = RLTable(data, colWidths=[w * scale for w in t.widths], repeatRows=len(t.head))
    table.setStyle(TableStyle(_style(t, font, len(t.head))))
    title = ParagraphStyle("t", fontName=font, fontSize=17, alignment=1, leading=24)
    meta = ParagraphStyle("m", fontName=font, fontSize=9.5, leading=13)
    meta_r = ParagraphStyle("mr", parent=meta, alignment=2)
    line = RLTable([[para(f"编制单位：{t.org}", meta), para(t.period, ParagraphStyle("c", parent=meta, alignment=1)),
                     para(f"{t.form_no}　单位：元" if t.form_no else "单位：元", meta_r)]],
                   colWidths=[usable * 0.4, usable * 0.3, usable * 0.3], splitInRow=SPLIT_TALL_ROWS)
    line.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story = [para(t.title, title), line, Spacer(0, 2 * mm), table]
    if t.signatures:
        signs = RLTable([[para(x, meta) for x in SIGNATURES]], colWidths=[usable / len(SIGNATURES)] * 4)
        story += [Spacer(0, 5 * mm), signs]

    def page_no(canvas, page: int, total: int) -> None:
        canvas.setFont(font, 8)
        canvas.drawString(12 * mm, 7 * mm, f"{t.org}　{t.title}　{t.period}")
        canvas.drawRightString(size[0] - 12 * mm, 7 * mm, f"第 {page} 页 / 共 {total} 页")

    doc.build(story, canvasmaker=numbered_canvas(page_no))
    return buf.getvalue()
