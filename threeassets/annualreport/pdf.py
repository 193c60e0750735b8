"""The annual report as a PDF laid out like a government report: a red-free plain title block (title, issuer,
date), 一、（一）1． headings, indented body text, bordered tables with merged cells whose head repeats on
every page, and “— N —” page numbers at the foot. A function of the Report value (document.py); every text
goes through core.pdf.para, so nothing typed is read as markup."""
from __future__ import annotations

import io

from threeassets.annualreport.document import Prose, Report, Section, Table, cn_date, grid, heading
from threeassets.core.pdf import check_text, cjk_font, cjk_style, numbered_canvas, para

MM = 72 / 25.4
FRAME_HEIGHT = (297 - 30 - 28) * MM - 12  # A4 less the margins below, less the frame's padding
HEADING_ROOM = 40 * MM  # a heading goes to the next page unless a few lines fit under it


class _Styles:
    """The report's styles with the registered CJK font (sizes after GB/T 9704: title 2号, body 3号)."""

    def __init__(self, font: str):
        from reportlab.lib.styles import ParagraphStyle
        self.font = font
        self.title = cjk_style("t", font, 22, 34, alignment=1, spaceAfter=6)
        self.issuer = cjk_style("i", font, 14, 22, alignment=1)
        self.h = [cjk_style(f"h{n}", font, size, size * 1.75, spaceBefore=6)
                  for n, size in enumerate((16, 15, 14), start=1)]
        self.body = cjk_style("b", font, 14, 25, firstLineIndent=28)
        self.caption = cjk_style("c", font, 12, 18, alignment=1, spaceBefore=6, spaceAfter=4)
        self.cell = cjk_style("cell", font, 9, 11.5)
        # figures break only where they have a space (never inside 2,538,693.28): the tables give them room
        self.num = ParagraphStyle("num", fontName=font, fontSize=9, leading=11.5, alignment=2)
        self.head = cjk_style("head", font, 9, 11.5, alignment=1)
        self.note = cjk_style("n", font, 10, 15, textColor="#333333")


def _texts(report: Report):
    """Every text the document prints, with where it is (for the rare-character check)."""
    yield report.title, "标题"
    yield report.issuer, "报告单位"

    def walk(blocks, where):
        for b in blocks:
            if isinstance(b, Section):
                yield b.title, where
                yield from walk(b.blocks, f"{where}·{b.title}")
            elif isinstance(b, Prose):
                yield b.text, where
            else:
                yield b.caption, where
                yield b.note, where
                for row in b.rows:
                    for cell in row:
                        yield cell.text, f"{where}·{b.caption}"
    for s in report.sections:
        yield s.title, s.title
        yield from walk(s.blocks, s.title)


def _table(t: Table, st: _Styles, width: float) -> list:
    """A bordered table with its spans, moved whole to the next page when it fits on one (a cell spanning rows
    must not be cut); a longer one splits with its head rows repeated. (A conditional page break, not
    KeepTogether: ReportLab's KeepTogether loops on content taller than a page beside a heading kept with it.)"""
    from reportlab.platypus import CondPageBreak, LongTable, TableStyle
    placed, cols = grid(t.rows)
    data = [["" for _ in range(cols)] for _ in t.rows]
    style = [("GRID", (0, 0), (-1, -1), 0.6, "#000000"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("FONT", (0, 0), (-1, -1), st.font, 9), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    for r, c, cell in placed:
        data[r][c] = para(cell.text, st.head if r < t.header else st.num if cell.number else st.cell)
        if cell.colspan > 1 or cell.rowspan > 1:
            style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    if t.header:
        style.append(("BACKGROUND", (0, 0), (-1, t.header - 1), "#f2f2f2"))
    rel = t.widths or [1] * cols
    widths = [width * w / sum(rel) for w in rel]
    table = LongTable(data, colWidths=widths, repeatRows=t.header, splitInRow=1)
    table.setStyle(TableStyle(style))
    out = [para(t.caption, st.caption), table] if t.caption else [table]
    if t.note:
        out.append(para(t.note, st.note))
    height = sum(f.wrap(width, FRAME_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in out) + 2
    return ([CondPageBreak(height)] if height <= FRAME_HEIGHT else []) + out


def _blocks(blocks, st: _Styles, level: int, width: float) -> list:
    """The flowables of a section's blocks; sub-sections numbered within their parent."""
    story, n = [], 0
    for b in blocks:
        if isinstance(b, Section):
            n += 1
            story += _headed(para(heading(level, n, b.title), st.h[min(level, 3) - 1]),
                             _blocks(b.blocks, st, level + 1, width), width)
        elif isinstance(b, Prose):
            story += [para(line, st.body) for line in b.text.splitlines() if line.strip()]
        else:
            story += _table(b, st, width)
    return story


def _headed(head, body: list, width: float) -> list:
    """A heading and what follows it, the heading never left alone at the foot of a page: it moves on unless a
    few lines fit under it, or, when a table that fits on a page comes first, unless heading and table fit."""
    from reportlab.platypus import CondPageBreak
    if body and isinstance(body[0], CondPageBreak):
        need = body[0].height + head.wrap(width, FRAME_HEIGHT)[1] + head.getSpaceBefore() + 2
        if need <= FRAME_HEIGHT:
            return [CondPageBreak(need), head, *body[1:]]
    return [CondPageBreak(HEADING_ROOM), head, *body]


def _foot(font: str, draft: bool):
    """“— N —” centred at the foot of every page; a draft says so at the head."""
    def decorate(canvas, page: int, _total: int) -> None:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        canvas.setFont(font, 12)
        canvas.drawCentredString(A4[0] / 2, 16 * mm, f"— {page} —")
        if draft:
            canvas.setFillColor("#a61b29")
            canvas.drawRightString(A4[0] - 26 * mm, A4[1] - 18 * mm, "草稿（未定稿）")
    return decorate


def render_report(report: Report) -> bytes:
    """The PDF of a report (A4, GB/T 9704-like margins)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    for text, where in _texts(report):
        check_text(text, where)
    st = _Styles(cjk_font())
    width = A4[0] - 54 * mm
    story = [Spacer(1, 6 * mm), para(report.title, st.title), para(report.issuer, st.issuer),
             para(cn_date(report.dated), st.issuer), Spacer(1, 8 * mm)]
    for n, section in enumerate(report.sections, start=1):
        story += _headed(para(heading(1, n, section.title), st.h[0]), _blocks(section.blocks, st, 2, width), width)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=28 * mm, title=report.title, author=report.issuer)
    doc.build(story, canvasmaker=numbered_canvas(_foot(st.font, report.draft)))
    return buf.getvalue()
