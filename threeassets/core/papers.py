"""Official A4 papers in the agency's style (notices, receipts, answers to requests): the Chinese date, the
paragraph styles, the ruled table and the page. Functions of plain data; the features compose them."""
from __future__ import annotations

import io
from datetime import date

from threeassets.core.pdf import SPLIT_TALL_ROWS, cjk_font, cjk_style, numbered_canvas, para


def cn_date(day: date | None) -> str:
    """2026年11月26日, or blanks to fill by hand."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"


class PaperStyles:
    """Paragraph styles of the papers, built once per document with the registered CJK font."""

    def __init__(self, font: str):
        self.font = font
        self.title = cjk_style("t", font, 22, 30, alignment=1)
        self.agency = cjk_style("a", font, 12, 16, alignment=1)
        self.body = cjk_style("b", font, 12, 21, firstLineIndent=24)
        self.plain = cjk_style("p", font, 12, 20)
        self.cell = cjk_style("c", font, 11, 15)
        self.small = cjk_style("s", font, 9.5, 14, textColor="#333333")
        self.warn = cjk_style("w", font, 11, 16, textColor="#a61b29")


def ruled_grid(rows: list[list], widths: list[float], st: PaperStyles, header: bool = False):
    """A ruled table in the papers' style (label cells shaded when header is False)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle
    cells = [[c if not isinstance(c, str) else para(c, st.cell) for c in row] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, splitInRow=SPLIT_TALL_ROWS)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("BOX", (0, 0), (-1, -1), 1, colors.black),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 4),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3ead8")))
    else:
        style += [("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3ead8")),
                  ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f3ead8"))]
    table.setStyle(TableStyle(style))
    return table


def _page_number(canvas, page: int, total: int) -> None:
    """第 N 页 共 M 页 at the foot of a paper that runs to more than one page (one page needs none)."""
    if total > 1:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        canvas.setFont(cjk_font(), 9)
        canvas.drawCentredString(A4[0] / 2, 8 * mm, f"第 {page} 页 共 {total} 页")


def build_a4(story: list, title: str) -> bytes:
    """Lay out an A4 portrait document with the papers' margins, its pages numbered when there are several."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=16 * mm, title=title, author="threeassets")
    doc.build(story, canvasmaker=numbered_canvas(_page_number))
    return buf.getvalue()
