"""The notice's chart of income and expenditure composition: horizontal bars, one per first-level account.

Bars rather than a pie: on a black-and-white copy a pie's slices differ only by shades of grey, while a bar is
read by its length and the amount and share printed at its end.
"""
from __future__ import annotations

from decimal import Decimal

from threeassets.core.money import fmt

BAR_FILLS = {"income": (0.35, 0.35, 0.35), "expense": (0.7, 0.7, 0.7)}  # dark and light grey, both print


def _share(amount: Decimal, total: Decimal) -> str:
    """An amount's share of the total as 65.6%."""
    return f"{(amount * 100 / total).quantize(Decimal('0.1'))}%" if total else ""


def composition(rows: list[dict], section: str, title: str, *, width: float, font: str, size: float):
    """A Drawing of one section's composition (rows: name, amount), or None when there is nothing to draw."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib.colors import black

    rows = [r for r in rows if Decimal(r["amount"]) > 0]
    if not rows:
        return None
    total = sum((Decimal(r["amount"]) for r in rows), Decimal(0))
    bar_h = size * 1.9
    label_w = size * max(len(r["name"]) for r in rows) + size
    value_w = size * 9.5  # "1,234,567.89（65.6%）" at the bar's end
    height = bar_h * len(rows) + size * 2.6
    d = Drawing(width, height)
    d.add(String(0, height - size * 1.1, title, fontName=font, fontSize=size * 1.05, fillColor=black))
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, size * 0.4
    chart.width, chart.height = max(width - label_w - value_w, width * 0.25), bar_h * len(rows)
    # ReportLab draws the first category at the bottom: reverse so the list reads top-down like the table.
    ordered = list(reversed(rows))
    chart.data = [[float(Decimal(r["amount"])) for r in ordered]]  # drawing coordinates only, never money
    chart.categoryAxis.categoryNames = [r["name"] for r in ordered]
    _style(chart, section, font, size, bar_h)
    d.add(chart)
    _value_labels(d, chart, ordered, total, bar_h, font, size)
    return d


def _style(chart, section: str, font: str, size: float, bar_h: float) -> None:
    """Chinese category labels left of the bars, no value axis, grey bars outlined in black."""
    from reportlab.lib.colors import Color, black
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize, labels.boxAnchor, labels.dx = font, size, "e", -size * 0.4
    chart.valueAxis.visible = False
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = Color(*BAR_FILLS[section])
    chart.bars[0].strokeColor = black
    chart.barWidth, chart.groupSpacing = bar_h * 0.62, bar_h * 0.38
    chart.barLabelFormat = lambda _v: ""  # labels come from the exact Decimal amounts (_value_labels)


def _value_labels(d, chart, ordered: list[dict], total: Decimal, bar_h: float, font: str, size: float) -> None:
    """The exact amount and share printed just past the end of each bar."""
    from reportlab.graphics.shapes import String
    top = max(float(Decimal(r["amount"])) for r in ordered)
    for idx, r in enumerate(ordered):
        amount = Decimal(r["amount"])
        x = chart.x + chart.width * float(amount) / top + size * 0.3
        y = chart.y + bar_h * idx + bar_h * 0.5 - size * 0.35
        d.add(String(x, y, f"{fmt(amount)}（{_share(amount, total)}）", fontName=font, fontSize=size * 0.9))
