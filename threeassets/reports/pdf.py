"""Printable reports as functions of data (landscape A4, CJK font embedded, repeated headers)."""
from __future__ import annotations

import io

from threeassets.core.money import fmt
from threeassets.core.pdf import cjk_font
from threeassets.reports.export import TB_HEADERS_CN
from threeassets.reports.service import TBRow, tb_totals


def render_trial_balance(rows: list[TBRow], title: str, subtitle: str) -> bytes:
    """科目余额表 as a landscape A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = cjk_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title, author="threeassets")
    data = [TB_HEADERS_CN]
    for r in rows:
        data.append([r.code, "　" * (r.level - 1) + r.name, *(fmt(x, blank_zero=True) for x in r.cells())])
    data.append(["合计", "", *(fmt(x) for x in tb_totals(rows))])
    widths = [24 * mm, 60 * mm] + [32 * mm] * 6
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [("FONT", (0, 0), (-1, -1), font, 8.5), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef5")), ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
             ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("FONT", (0, -1), (-1, -1), font, 9)]
    style += [("BACKGROUND", (0, i + 1), (-1, i + 1), colors.HexColor("#f6f6f6"))
              for i, r in enumerate(rows) if r.level == 1]
    table.setStyle(TableStyle(style))
    h = ParagraphStyle("h", fontName=font, fontSize=16, alignment=1, leading=22)
    s = ParagraphStyle("s", fontName=font, fontSize=10, alignment=1, leading=14, spaceAfter=6)

    def page_no(canvas, doc_):
        canvas.setFont(font, 8)
        canvas.drawRightString(landscape(A4)[0] - 10 * mm, 6 * mm, f"第 {doc_.page} 页")

    doc.build([Paragraph(title, h), Paragraph(subtitle + "　单位：元", s), table], onFirstPage=page_no,
              onLaterPages=page_no)
    return buf.getvalue()
