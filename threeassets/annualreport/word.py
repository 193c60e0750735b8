"""The annual report as a Word document (python-docx), for the head to edit and file: the same Report value as
the PDF, with the fonts a government report names (方正小标宋简体 title, 黑体/楷体 headings, 仿宋 body; Word
falls back where a machine lacks them), bordered tables with merged cells and a repeating head, and a PAGE
field in the footer printing “— N —”. python-docx writes every text as XML text, so nothing typed is markup."""
from __future__ import annotations

import io

from threeassets.annualreport.document import Prose, Report, Section, Table, cn_date, grid, heading

TITLE_FONT, HEADING_FONTS, BODY_FONT = "方正小标宋简体", ("黑体", "楷体", "仿宋"), "仿宋"


def _font(run, name: str, size: float, bold: bool = False, color: str | None = None) -> None:
    """A run's Latin and East Asian font, size and weight (python-docx sets only the Latin name by itself)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, font: str, size: float, *, center=False, indent=False, bold=False, after=0,
               color=None):
    """A paragraph of one run."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    p = doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.line_spacing = Pt(size * 1.75)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold, color)
    return p


def _page_field(paragraph) -> None:
    """“— PAGE —” in a footer paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def field_char(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el
    _font(paragraph.add_run("— "), BODY_FONT, 14)
    run = paragraph.add_run()
    _font(run, BODY_FONT, 14)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    for el in (field_char("begin"), instr, field_char("separate")):
        run._element.append(el)
    number = paragraph.add_run("1")
    _font(number, BODY_FONT, 14)
    end = paragraph.add_run()
    end._element.append(field_char("end"))
    _font(paragraph.add_run(" —"), BODY_FONT, 14)


def _borders(table) -> None:
    """Single black borders on every edge (independent of the 'Table Grid' style being present)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
            el.set(qn(f"w:{key}"), value)
        borders.append(el)
    props.append(borders)


def _repeat_head(row) -> None:
    """Mark a row as a head row Word repeats at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


KEEP_ROWS = 30  # a table this short moves whole to the next page rather than split


def _keep_together(table, whole: bool) -> None:
    """No row breaks across pages; a short table (whole) keeps each row with the next, so it moves whole."""
    from docx.oxml import OxmlElement
    rows = table._tbl.tr_lst
    for n, tr in enumerate(rows):
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if whole and n < len(rows) - 1:
            for tc in tr.tc_lst:
                for p in tc.p_lst:
                    p.get_or_add_pPr().keepNext_val = True


def _table(doc, t: Table) -> None:
    """A bordered table with its merged cells."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm
    placed, cols = grid(t.rows)
    if t.caption:
        _paragraph(doc, t.caption, "黑体", 12, center=True, after=4).paragraph_format.keep_with_next = True
    table = doc.add_table(rows=len(t.rows), cols=cols)
    _borders(table)
    rel = t.widths or [1] * cols
    table.autofit = False
    widths = [Cm(15.6 * w / sum(rel)) for w in rel]
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):  # what Word and LibreOffice read
        col.w = width
    # The grid read once, before any merge (python-docx rebuilds it on every table.cell() call): each cell's
    # text goes into its top-left grid cell, then the spans merge, keeping that content.
    grid_cells = table._cells
    for n, target in enumerate(grid_cells):
        target.width = widths[n % cols]
    for r in range(t.header):
        _repeat_head(table.rows[r])
    for r, c, cell in placed:
        target = grid_cells[r * cols + c]
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = target.paragraphs[0]
        p.alignment = (WD_ALIGN_PARAGRAPH.CENTER if r < t.header else
                       WD_ALIGN_PARAGRAPH.RIGHT if cell.number else WD_ALIGN_PARAGRAPH.LEFT)
        _font(p.add_run(cell.text), BODY_FONT, 9, bold=r < t.header)
    for r, c, cell in placed:
        if cell.colspan > 1 or cell.rowspan > 1:
            grid_cells[r * cols + c].merge(grid_cells[(r + cell.rowspan - 1) * cols + c + cell.colspan - 1])
    _keep_together(table, whole=len(t.rows) <= KEEP_ROWS)
    if t.note:
        _paragraph(doc, t.note, BODY_FONT, 10.5)


def _blocks(doc, blocks, level: int) -> None:
    """A section's blocks; sub-sections numbered within their parent."""
    n = 0
    for b in blocks:
        if isinstance(b, Section):
            n += 1
            head = _paragraph(doc, heading(level, n, b.title), HEADING_FONTS[min(level, 3) - 1], 16, indent=True)
            head.paragraph_format.keep_with_next = True  # never alone at the foot of a page
            _blocks(doc, b.blocks, level + 1)
        elif isinstance(b, Prose):
            for line in b.text.splitlines():
                if line.strip():
                    _paragraph(doc, line, BODY_FONT, 16, indent=True)
        else:
            _table(doc, b)


def render_report(report: Report) -> bytes:
    """The .docx of a report (A4, GB/T 9704 margins)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    doc.core_properties.title, doc.core_properties.author = report.title, report.issuer
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    if report.draft:
        _paragraph(doc, "草稿（未定稿）", "黑体", 12, color="A61B29")
    _paragraph(doc, report.title, TITLE_FONT, 22, center=True, after=6)
    _paragraph(doc, report.issuer, "楷体", 16, center=True)
    _paragraph(doc, cn_date(report.dated), "楷体", 16, center=True, after=12)
    for n, s in enumerate(report.sections, start=1):
        head = _paragraph(doc, heading(1, n, s.title), HEADING_FONTS[0], 16, indent=True)
        head.paragraph_format.keep_with_next = True
        _blocks(doc, s.blocks, 2)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
