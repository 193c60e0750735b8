"""A government work report as data: title block, numbered sections, paragraphs and tables with merged cells.

The annual report (年度报告) is compiled into a `Report`; `pdf.render_report` and `word.render_report` lay the
same value out as a PDF and a Word document, and the browser page shows it with each number linked to the list
it was counted from (`Cell.link`). Pure: no database, no web.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from threeassets.core.papers import cn_date  # noqa: F401  (the report's date, for pdf.py and word.py)

CN_NUMBERS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, how many columns and rows it covers, and (on the page only) where it links."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    number: bool = False  # right-aligned figures
    link: str | None = None


@dataclass(frozen=True)
class Table:
    """A bordered table; the first `header` rows are its head (repeated on every page of a long table)."""

    caption: str
    rows: list[list[Cell]]
    header: int = 1
    widths: list[float] | None = None  # relative column widths; equal when None
    note: str = ""  # a line under the table (e.g. its check 一 + 二 = 总计 + 四)


@dataclass(frozen=True)
class Prose:
    """Body text; each line a paragraph of its own, indented two characters as a report's are. `parts`, when
    given, is the same text cut into (text, link) runs, so the page can link the figures in a sentence."""

    text: str
    parts: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Section:
    """A numbered section (一、总体情况); sub-sections are numbered （一）（二）…"""

    title: str
    blocks: list[Prose | Table | Section] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    """The whole document."""

    title: str
    issuer: str  # who reports (XX镇农村集体“三资”代理服务中心)
    dated: date
    sections: list[Section]
    draft: bool = False  # not finalised: printed with 征求意见稿/草稿 marks


def cn_number(n: int) -> str:
    """1 → 一 … 10 → 十, 11 → 十一, 20 → 二十 (section numbers never go beyond a few dozen)."""
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_NUMBERS[tens - 1] + "十")
    return head + (CN_NUMBERS[units - 1] if units else "")


def heading(level: int, n: int, title: str) -> str:
    """The numbered heading of a section: level 1 '一、总体情况', level 2 '（一）…', level 3 '1．…'."""
    if level == 1:
        return f"{cn_number(n)}、{title}"
    if level == 2:
        return f"（{cn_number(n)}）{title}"
    return f"{n}．{title}"


def grid(rows: list[list[Cell]]) -> tuple[list[tuple[int, int, Cell]], int]:
    """Where each cell lands in the table's grid, as HTML places them: a cell takes the next column not
    covered by a cell spanning down from a row above. Returns (row, column, cell) for each cell and the number
    of columns. Rows that do not fill the same width are a ValueError (a table built wrong)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    width = None
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        while (r, c) in taken:
            c += 1
        if width is None:
            width = c
        elif c != width:
            raise ValueError(f"row {r + 1} is {c} columns wide, the first is {width}")
    if any(r >= len(rows) for r, _c in taken):
        raise ValueError("a cell spans below the last row")
    return placed, width or 0
