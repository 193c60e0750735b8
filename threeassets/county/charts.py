"""The county page's charts: horizontal grouped bars, one group per township (or village), as inline SVG text.

Horizontal because a county has up to a few dozen townships: their names stay readable on a phone, and the chart
grows downwards instead of squeezing. Built from escaped text only, with presentation attributes (the CSP forbids
style=""), like the dashboards' charts (dashboard/charts.py, whose helpers it reuses).
"""
from __future__ import annotations

from decimal import Decimal

from threeassets.dashboard.charts import GRID, INK, MUTED, Series, nice_ticks, pick_unit, text_attr, tick_label

ROW = 18  # height of one bar
GAP = 10  # between groups


def _n(x) -> str:
    """A coordinate with one decimal place."""
    return f"{Decimal(x):.1f}"


def hbar_chart(series: list[Series], labels: list[str], *, title: str, percent: bool = False,
               width: int = 520, label_width: int = 96) -> str:
    """Bars per label and series; `percent` draws 0–100 % (None values as 无), else amounts in 元 or 万元."""
    values = [v for s in series for v in s.values if v is not None]
    if percent:
        divisor, unit, ticks = Decimal(1), "%", [Decimal(x) for x in range(0, 101, 20)]
    else:
        divisor, unit = pick_unit(values)
        ticks = nice_ticks(min((v / divisor for v in values), default=Decimal(0)),
                           max((v / divisor for v in values), default=Decimal(0)), 4)
    lo, hi = ticks[0], ticks[-1]
    x0, x1, top = Decimal(label_width), Decimal(width - 60), 48
    group = ROW * len(series) + GAP
    height = top + group * len(labels) + 24

    def x(v: Decimal) -> Decimal:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart chart-hbar" '
           f'role="img" aria-label="{text_attr(title)}" font-family="sans-serif">',
           f"<title>{text_attr(title)}</title>",
           f'<text x="4" y="14" font-size="12" fill="{MUTED}">单位：{text_attr(unit)}</text>']
    lx = Decimal(width - 8)
    for s in reversed(series):  # the legend, right-aligned on the first line
        lx -= 13 * len(s.name) + 4
        out.append(f'<text x="{_n(lx)}" y="14" font-size="13" fill="{INK}">{text_attr(s.name)}</text>')
        lx -= 16
        out.append(f'<rect x="{_n(lx)}" y="4" width="12" height="12" fill="{text_attr(s.color)}"/>')
        lx -= 12
    step = ticks[1] - ticks[0] if len(ticks) > 1 else Decimal(1)
    bottom = height - 24
    for t in ticks:
        out.append(f'<line x1="{_n(x(t))}" y1="{top - 6}" x2="{_n(x(t))}" y2="{bottom}" stroke="{GRID}"/>')
        out.append(f'<text x="{_n(x(t))}" y="{top - 10}" text-anchor="middle" font-size="12" fill="{MUTED}">'
                   f"{text_attr(tick_label(t, step))}</text>")
    zero = x(Decimal(0))
    for i, label in enumerate(labels):
        y = top + group * i
        out.append(f'<text x="{label_width - 6}" y="{_n(y + ROW * len(series) / 2 + 4)}" text-anchor="end" '
                   f'font-size="14" fill="{INK}">{text_attr(label)}</text>')
        for j, s in enumerate(series):
            value, by = s.values[i], y + ROW * j
            if value is None:
                out.append(f'<text x="{_n(zero + 4)}" y="{by + 12}" font-size="11" fill="{MUTED}">无</text>')
                continue
            end = x(Decimal(value) / divisor)
            left, w = min(end, zero), abs(end - zero)
            shown = f"{value}%" if percent else f"{value:,.2f} 元"
            out.append(f'<rect class="bar" x="{_n(left)}" y="{by + 1}" width="{_n(w)}" height="{ROW - 3}" '
                       f'fill="{text_attr(s.color)}"><title>{text_attr(f"{label} {s.name}：{shown}")}</title></rect>')
            if percent:
                out.append(f'<text x="{_n(max(end, zero) + 4)}" y="{by + 13}" font-size="13" fill="{INK}">'
                           f"{text_attr(shown)}</text>")
    out.append("</svg>")
    return "\n".join(out)
