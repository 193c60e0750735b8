"""Table and text helpers of the printed notice: the context of a rendering, columns, the ruled grid."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from threeassets.core.money import fmt
from threeassets.core.pdf import SPLIT_TALL_ROWS, para

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
                                spaceBefore=lay.heading * 0.8, spaceAfter=lay.heading * 0.3),
            "h2": ParagraphStyle("h2", fontName=f, fontSize=lay.body * 1.08, leading=lay.body * 1.5,
                                 spaceBefore=lay.body * 0.4, spaceAfter=lay.body * 0.2),
            "body": ParagraphStyle("body", fontName=f, fontSize=lay.body, leading=lay.body * 1.45),
            "cell": ParagraphStyle("cell", fontName=f, fontSize=lay.table, leading=lay.table * 1.25),
            "note": ParagraphStyle("note", fontName=f, fontSize=lay.body, leading=lay.body * 1.4,
                                   spaceBefore=lay.body * 0.2),
        }

    def p(self, text: str, style: str = "body"):
        """A paragraph of plain text (summaries may hold & or <: never markup)."""
        return para(text, self.styles[style])


def _room(ctx: Ctx, title_height: float):
    """Move on to the next column or page unless a heading and the first rows under it fit here.

    Not keepWithNext: that keeps a heading with its whole table and, for a table taller than the space left,
    throws the rest of the column away."""
    from reportlab.platypus import CondPageBreak
    return CondPageBreak(title_height + ctx.lay.table * 1.9 * 4)


def heading(ctx: Ctx, number: int, text: str) -> list:
    """A numbered section heading (二、各项收入) that does not end a column on its own."""
    return [_room(ctx, ctx.lay.heading * 2.5), ctx.p(f"{NUMERALS[number - 1]}、{text}", "h")]


def subheading(ctx: Ctx, text: str) -> list:
    """A table's caption inside a section, kept with the table's first rows."""
    return [_room(ctx, ctx.lay.body * 2.2), ctx.p(text, "h2")]


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


def _cells(ctx: Ctx, cols: list[Col], rows: list[list[str]], widths: list[float]) -> list[list]:
    """Header and body cells. A text that does not fit its column becomes a paragraph that wraps inside the
    cell; one that fits stays a plain string (a paragraph costs ten times more to lay out, and a quarter's
    notice has hundreds of short summaries)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    style, size, pad = ctx.styles["cell"], ctx.lay.table, ctx.lay.table * 0.3
    wrap = [(i, widths[i] - 2 * pad) for i, c in enumerate(cols) if c.align == "W"]
    body = []
    for row in rows:
        row = list(row)
        for i, room in wrap:
            text = str(row[i])
            if "\n" in text or stringWidth(text, ctx.font, size) > room:
                row[i] = para(text, style)
        body.append(row)
    return [[c.header for c in cols]] + body


def _natural(ctx: Ctx, texts: list[str], quantile: float) -> float:
    """The width a column wants: its texts' widths (longest line of each) at a quantile, plus padding."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    widths = sorted(max(stringWidth(line, ctx.font, ctx.lay.table) for line in t.split("\n")) for t in texts)
    return widths[min(len(widths) - 1, int(len(widths) * quantile))] + 0.6 * ctx.lay.table + 2


def _fill(want: dict[int, float], free: float) -> dict[int, float]:
    """Share the free width among text columns: the narrow ones get all they want, the wide ones split the rest
    evenly (water-filling), and width left over goes to all in proportion to what they want."""
    alloc, rest = {}, free
    order = sorted(want, key=want.get)
    for k, i in enumerate(order):
        alloc[i] = min(want[i], rest / (len(order) - k))
        rest -= alloc[i]
    total = sum(want.values())
    return {i: w + rest * want[i] / total for i, w in alloc.items()} if rest > 0 else alloc


def _widths(ctx: Ctx, cols: list[Col], rows: list[list[str]], skip: set[tuple[int, int]]) -> list[float]:
    """Column widths: figures, dates and numbers get what their longest cell needs (so amounts never collide or
    wrap), text columns share the rest (see _fill); by the columns' shares when the figures leave too little."""
    frame = ctx.lay.frame_width
    texts = {i: [c.header] + [str(r[i]) for n, r in enumerate(rows) if (n, i) not in skip] for i, c in enumerate(cols)}
    need = {i: _natural(ctx, texts[i], 1.0) for i, c in enumerate(cols) if c.align != "W"}
    wrap = [i for i, c in enumerate(cols) if c.align == "W"]
    free = frame - sum(need.values())
    if not wrap:
        extra = free / len(cols)
        return [need[i] + extra for i in range(len(cols))] if free >= 0 else [frame * c.share for c in cols]
    if free < frame * 0.22 * len(wrap) ** 0.5:
        return [frame * c.share for c in cols]
    # a rare very long summary may wrap rather than squeeze every other text column
    want = {i: _natural(ctx, texts[i], 0.9) for i in wrap}
    air = min(ctx.lay.table, (free - sum(want.values())) / len(need)) if need else 0
    if air > 0:  # breathing room for the figures, only out of width the texts do not need
        need = {i: w + air for i, w in need.items()}
        free -= air * len(need)
    alloc = _fill(want, free)
    return [need[i] if i in need else alloc[i] for i in range(len(cols))]


def grid(ctx: Ctx, cols: list[Col], rows: list[list[str]], *, bold_rows=(), spans=()):
    """A ruled table across the frame that breaks across pages repeating its header; total rows shaded."""
    from reportlab.platypus import LongTable, TableStyle
    # body cells merged by a span (e.g. 收入合计 over date and voucher) do not size their columns
    spanned = {(len(rows) + b[1] if b[1] < 0 else b[1] - 1, col) for a, b in spans for col in range(a[0], b[0] + 1)}
    widths = _widths(ctx, cols, rows, spanned)
    t = LongTable(_cells(ctx, cols, rows, widths), colWidths=widths, repeatRows=1, splitInRow=SPLIT_TALL_ROWS)
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
