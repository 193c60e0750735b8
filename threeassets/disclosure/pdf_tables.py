"""Table and text helpers of the printed notice: the context of a rendering, columns, the ruled grid."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from threeassets.core.money import fmt

NUMERALS = "一二三四五六七八九十"


@dataclass
class Ctx:
    """What every section needs: the layout, the font, the notice's version and verification address."""

    lay: object
    font: str
    version: int
    verify_url: str
    status_note: str
    styles: dict = field(default_factory=dict)

    def __post_init__(self):
        from reportlab.lib.styles import ParagraphStyle
        lay, f = self.lay, self.font
        self.styles = {
            "title": ParagraphStyle("title", fontName=f, fontSize=lay.title, leading=lay.title * 1.3, alignment=1),
            "sub": ParagraphStyle("sub", fontName=f, fontSize=lay.body, leading=lay.body * 1.5, alignment=1),
            "h": ParagraphStyle("h", fontName=f, fontSize=lay.heading, leading=lay.heading * 1.35,
                                spaceBefore=lay.heading * 0.8, spaceAfter=lay.heading * 0.3, keepWithNext=1),
            "h2": ParagraphStyle("h2", fontName=f, fontSize=lay.body * 1.08, leading=lay.body * 1.5,
                                 spaceBefore=lay.body * 0.4, spaceAfter=lay.body * 0.2, keepWithNext=1),
            "body": ParagraphStyle("body", fontName=f, fontSize=lay.body, leading=lay.body * 1.45),
            "cell": ParagraphStyle("cell", fontName=f, fontSize=lay.table, leading=lay.table * 1.25),
            "note": ParagraphStyle("note", fontName=f, fontSize=lay.body, leading=lay.body * 1.4,
                                   spaceBefore=lay.body * 0.2),
        }

    def p(self, text: str, style: str = "body"):
        """A paragraph of plain text (escaped: summaries may hold & or <)."""
        from xml.sax.saxutils import escape

        from reportlab.platypus import Paragraph
        return Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style])


def heading(ctx: Ctx, number: int, text: str):
    """A numbered section heading: 二、各项收入."""
    return ctx.p(f"{NUMERALS[number - 1]}、{text}", "h")


def nothing(ctx: Ctx, what: str = ""):
    """The line printed for an empty section."""
    return ctx.p(f"{what}本期无。" if what else "本期无。")


@dataclass(frozen=True)
class Col:
    """A table column: header, share of the frame width, alignment (L, R, C, or W for wrapped text)."""

    header: str
    share: float
    align: str = "L"


def amount(text) -> str:
    """A plain amount string ("1234.50") printed with separators (1,234.50); blank stays blank."""
    return fmt(Decimal(text)) if text not in (None, "") else ""


def short_date(iso, year: bool = False) -> str:
    """An ISO date as a villager writes it: 11月5日, or 2026年11月5日; blank stays blank."""
    if not iso:
        return ""
    d = date.fromisoformat(str(iso)[:10])
    return f"{d.year}年{d.month}月{d.day}日" if year else f"{d.month}月{d.day}日"


HEADER_GREY = 0.85
TOTAL_GREY = 0.93


def _cells(ctx: Ctx, cols: list[Col], rows: list[list[str]]) -> list[list]:
    """Header and body cells; wrapped columns become paragraphs (long summaries break inside their cell)."""
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph
    style = ctx.styles["cell"]
    wrap = [i for i, c in enumerate(cols) if c.align == "W"]
    body = []
    for row in rows:
        row = list(row)
        for i in wrap:
            row[i] = Paragraph(escape(str(row[i])).replace("\n", "<br/>"), style)
        body.append(row)
    return [[c.header for c in cols]] + body


def _widths(ctx: Ctx, cols: list[Col], rows: list[list[str]], skip: set[int]) -> list[float]:
    """Column widths: figures, dates and numbers get what their longest cell needs (so amounts never collide or
    wrap), wrapped text columns share the rest by their shares; by shares alone when the figures leave too little."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    frame, pad = ctx.lay.frame_width, ctx.lay.table * 0.3
    need = {}
    for i, c in enumerate(cols):
        if c.align != "W":
            texts = [c.header] + [str(r[i]) for n, r in enumerate(rows) if n not in skip]
            need[i] = max(stringWidth(t, ctx.font, ctx.lay.table) for t in texts) + 2 * pad + 2
    wrap = [i for i, c in enumerate(cols) if c.align == "W"]
    free = frame - sum(need.values())
    if not wrap:
        extra = free / len(cols)
        return [need[i] + extra for i in range(len(cols))] if free >= 0 else [frame * c.share for c in cols]
    if free < frame * 0.22 * len(wrap) ** 0.5:
        return [frame * c.share for c in cols]
    air = min(ctx.lay.table, (free - frame * 0.35) / max(len(need), 1))  # breathing room when there is space
    if air > 0:
        need = {i: w + air for i, w in need.items()}
        free -= air * len(need)
    total = sum(cols[i].share for i in wrap)
    return [need[i] if i in need else free * c.share / total for i, c in enumerate(cols)]


def grid(ctx: Ctx, cols: list[Col], rows: list[list[str]], *, bold_rows=(), spans=()):
    """A ruled table across the frame that breaks across pages repeating its header; total rows shaded."""
    from reportlab.platypus import LongTable, TableStyle
    spanned = {len(rows) + b[1] if b[1] < 0 else b[1] - 1 for _a, b in spans}
    t = LongTable(_cells(ctx, cols, rows), colWidths=_widths(ctx, cols, rows, spanned), repeatRows=1)
    pad = ctx.lay.table * 0.3
    style = [("FONT", (0, 0), (-1, -1), ctx.font, ctx.lay.table),
             ("GRID", (0, 0), (-1, -1), 0.6, (0, 0, 0)), ("BOX", (0, 0), (-1, -1), 1.2, (0, 0, 0)),
             ("BACKGROUND", (0, 0), (-1, 0), (HEADER_GREY,) * 3), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
             ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad)]
    for i, c in enumerate(cols):
        if c.align in ("R", "C"):
            style.append(("ALIGN", (i, 1), (i, -1), "RIGHT" if c.align == "R" else "CENTER"))
    for r in bold_rows:
        style.append(("BACKGROUND", (0, r + 1), (-1, r + 1), (TOTAL_GREY,) * 3))
    style += [("SPAN", a, b) for a, b in spans]
    t.setStyle(TableStyle(style))
    return t
