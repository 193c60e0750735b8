"""Printable reports as functions of data (landscape A4, CJK font embedded, repeated headers)."""
from __future__ import annotations

import io

from threeassets.core.money import fmt
from threeassets.core.pdf import SPLIT_TALL_ROWS, check_fields, cjk_font, numbered_canvas, para
from threeassets.reports.service import TBRow, tb_totals


def _footer(font: str, title: str, subtitle: str, width: float):
    """Every page's foot: what the report is, and 第 N 页 / 共 M 页."""
    from reportlab.lib.units import mm

    def draw(canvas, page: int, total: int) -> None:
        canvas.setFont(font, 8)
        canvas.drawString(10 * mm, 6 * mm, f"{title}　{subtitle}")
        canvas.drawRightString(width - 10 * mm, 6 * mm, f"第 {page} 页 / 共 {total} 页")
    return draw


# Two header rows, as on the screen and the forms clerks know: 期初余额 / 本期发生额 / 期末余额 over 借方 | 贷方.
TB_HEAD = [["科目编码", "科目名称", "期初余额", "", "本期发生额", "", "期末余额", ""],
           ["", "", "借方", "贷方", "借方", "贷方", "借方", "贷方"]]
# The text the trial balance prints and its names in a refusal (core.pdf.check_fields)
TB_FIELDS = {"title": "标题", "subtitle": "期间", "rows": ("科目余额表", {"code": "科目编码", "name": "科目名称"})}


def render_trial_balance(rows: list[TBRow], title: str, subtitle: str) -> bytes:
    """科目余额表 as a landscape A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    check_fields({"title": title, "subtitle": subtitle, "rows": rows}, TB_FIELDS)
    font = cjk_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=title, author="threeassets")
    data = [row[:] for row in TB_HEAD]
    for r in rows:
        data.append([r.code, "　" * (r.level - 1) + r.name, *(fmt(x, blank_zero=True) for x in r.cells())])
    data.append(["合计", "", *(fmt(x) for x in tb_totals(rows))])
    widths = [24 * mm, 60 * mm] + [32 * mm] * 6
    table = Table(data, colWidths=widths, repeatRows=2)
    style = [("FONT", (0, 0), (-1, -1), font, 8.5), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
             ("BOX", (0, 0), (-1, -1), 0.9, colors.black), ("LINEBELOW", (0, 1), (-1, 1), 0.9, colors.black),
             ("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.black),
             ("BACKGROUND", (0, 0), (-1, 1), colors.HexColor("#e9eef5")), ("ALIGN", (2, 2), (-1, -1), "RIGHT"),
             ("ALIGN", (0, 0), (-1, 1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (2, 0), (3, 0)), ("SPAN", (4, 0), (5, 0)),
             ("SPAN", (6, 0), (7, 0)), ("SPAN", (0, -1), (1, -1)), ("FONT", (0, -1), (-1, -1), font, 9)]
    style += [("BACKGROUND", (0, i + 2), (-1, i + 2), colors.HexColor("#f6f6f6"))
              for i, r in enumerate(rows) if r.level == 1]
    table.setStyle(TableStyle(style))
    h = ParagraphStyle("h", fontName=font, fontSize=16, alignment=1, leading=22)
    s = ParagraphStyle("s", fontName=font, fontSize=10, alignment=1, leading=14, spaceAfter=6)

    doc.build([para(title, h), para(subtitle + "　单位：元", s), table],
              canvasmaker=numbered_canvas(_footer(font, title, subtitle, landscape(A4)[0])))
    return buf.getvalue()


LEDGER_HEAD = ["日期", "凭证号", "摘要", "借方", "贷方", "方向", "余额"]
LEDGER_FIELDS = {"title": "标题", "subtitle": "期间", "rows": ("明细账", {"label": "凭证号", "summary": "摘要"})}


def render_ledger(rows: list, title: str, subtitle: str) -> bytes:
    """明细账 as a portrait A4 PDF: entries, 本月合计 and 本年累计 lines in bold, repeated header, page numbers."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from threeassets.reports.export import side
    check_fields({"title": title, "subtitle": subtitle, "rows": rows}, LEDGER_FIELDS)
    font = cjk_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=10 * mm, rightMargin=10 * mm, topMargin=12 * mm,
                            bottomMargin=12 * mm, title=title, author="threeassets")
    cell = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=10.5)
    data = [LEDGER_HEAD]
    for r in rows:
        movement = r.kind in ("entry", "month", "year")
        amounts = [fmt(r.debit, blank_zero=True), fmt(r.credit, blank_zero=True)] if movement else ["", ""]
        data.append([str(r.date), para(r.label, cell), para(r.summary, cell), *amounts, side(r.balance),
                     fmt(abs(r.balance))])
    table = Table(data, colWidths=[20 * mm, 17 * mm, 66 * mm, 24 * mm, 24 * mm, 10 * mm, 29 * mm], repeatRows=1,
                  splitInRow=SPLIT_TALL_ROWS)
    style = [("FONT", (0, 0), (-1, -1), font, 8.5), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
             ("BOX", (0, 0), (-1, -1), 0.9, colors.black), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9eef5")),
             ("ALIGN", (3, 1), (4, -1), "RIGHT"), ("ALIGN", (6, 1), (6, -1), "RIGHT"),
             ("ALIGN", (5, 0), (5, -1), "CENTER"), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f3f3f3"))
              for i, r in enumerate(rows, start=1) if r.kind != "entry"]
    table.setStyle(TableStyle(style))
    h = ParagraphStyle("h", fontName=font, fontSize=15, alignment=1, leading=20)
    s = ParagraphStyle("s", fontName=font, fontSize=10, alignment=1, leading=14, spaceAfter=6)

    doc.build([para(title, h), para(subtitle + "　单位：元", s), table],
              canvasmaker=numbered_canvas(_footer(font, title, subtitle, A4[0])))
    return buf.getvalue()
