"""Server-side charts: pure functions from Decimal series to inline SVG text (no JS, no style attributes).

Coordinates are computed with Decimal like every amount in the project; colours and sizes are SVG
presentation attributes so the markup passes the CSP (which forbids style="") and prints as drawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

ZERO = Decimal(0)
WAN = Decimal(10000)
WAN_FROM = Decimal(100000)  # from 10万 on, axes count in 万元
NICE = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
GRID, AXIS, INK, MUTED = "#e3e8ef", "#6c7a8d", "#1d3557", "#6c7a8d"


@dataclass(frozen=True)
class Series:
    """One named row of values (Decimal yuan, one per label) drawn in one colour."""

    name: str
    values: list[Decimal]
    color: str


@dataclass(frozen=True)
class Frame:
    """The drawing box (viewBox units) and the value range of the y axis."""

    width: int
    height: int
    left: int = 66
    right: int = 12
    top: int = 40
    bottom: int = 44

    @property
    def x0(self) -> Decimal:
        """Left edge of the plot area."""
        return Decimal(self.left)

    @property
    def x1(self) -> Decimal:
        """Right edge of the plot area."""
        return Decimal(self.width - self.right)

    @property
    def y0(self) -> Decimal:
        """Top edge of the plot area."""
        return Decimal(self.top)

    @property
    def y1(self) -> Decimal:
        """Bottom edge of the plot area."""
        return Decimal(self.height - self.bottom)


def _n(x: Decimal) -> str:
    """A coordinate with one decimal place."""
    return f"{Decimal(x):.1f}"


def text_attr(value) -> str:
    """Text escaped for an XML attribute or element."""
    return escape(str(value), quote=True)


def pick_unit(values: list[Decimal]) -> tuple[Decimal, str]:
    """(divisor, unit label): 万元 once the largest amount reaches 100,000 yuan, else 元."""
    peak = max((abs(v) for v in values), default=ZERO)
    return (WAN, "万元") if peak >= WAN_FROM else (Decimal(1), "元")


def nice_step(span: Decimal, count: int = 5) -> Decimal:
    """A round tick step (1, 2, 2.5 or 5 × 10ⁿ) giving about `count` intervals over span (> 0)."""
    raw = span / count
    base = Decimal(1).scaleb(raw.adjusted())
    for m in NICE:
        if base * m >= raw:
            return base * m
    return base * 10  # pragma: no cover - NICE ends with 10


def nice_ticks(lo: Decimal, hi: Decimal, count: int = 5) -> list[Decimal]:
    """Round tick values covering lo..hi and zero; an empty range gives 0..5."""
    lo, hi = min(lo, ZERO), max(hi, ZERO)
    if lo == hi:
        return [Decimal(i) for i in range(6)]
    step = nice_step(hi - lo, count)
    first = (lo / step).to_integral_value(ROUND_FLOOR) * step
    last = (hi / step).to_integral_value(ROUND_CEILING) * step
    ticks, v = [], first
    while v <= last:
        ticks.append(v)
        v += step
    return ticks


def tick_label(value: Decimal, step: Decimal) -> str:
    """A tick value with thousands separators and as many decimals as the step needs."""
    places = max(0, -step.normalize().as_tuple().exponent)
    return f"{value:,.{places}f}"


def amount_label(value: Decimal) -> str:
    """An amount in yuan as a tooltip shows it: 12,345.67 元."""
    return f"{value:,.2f} 元"


class Scale:
    """Maps values (in the chart's unit) to y coordinates of a frame."""

    def __init__(self, frame: Frame, ticks: list[Decimal]) -> None:
        self.frame, self.ticks = frame, ticks
        self.lo, self.hi = ticks[0], ticks[-1]

    def y(self, value: Decimal) -> Decimal:
        """The y coordinate of a value."""
        f = self.frame
        return f.y1 - (value - self.lo) / (self.hi - self.lo) * (f.y1 - f.y0)


def _label_lines(x: Decimal, y: Decimal, label: str) -> str:
    """A centred label; a newline in it starts a second, smaller line (e.g. the year under 1月)."""
    first, _, second = label.partition("\n")
    out = f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="12" fill="{INK}">{text_attr(first)}'
    if second:
        out += f'<tspan x="{_n(x)}" dy="14" font-size="11" fill="{MUTED}">{text_attr(second)}</tspan>'
    return out + "</text>"


def _axes(frame: Frame, scale: Scale, unit: str, labels: list[str]) -> list[str]:
    """Grid lines with tick labels, the zero line, the unit caption and the month labels."""
    step = scale.ticks[1] - scale.ticks[0] if len(scale.ticks) > 1 else Decimal(1)
    out = [f'<text x="4" y="{_n(frame.y0 - 14)}" font-size="12" fill="{MUTED}">单位：{text_attr(unit)}</text>']
    for t in scale.ticks:
        y = _n(scale.y(t))
        color = AXIS if t == 0 else GRID
        out.append(f'<line x1="{_n(frame.x0)}" y1="{y}" x2="{_n(frame.x1)}" y2="{y}" stroke="{color}" '
                   f'stroke-width="1"/>')
        out.append(f'<text x="{_n(frame.x0 - 6)}" y="{y}" dy="4" text-anchor="end" font-size="12" '
                   f'fill="{MUTED}">{text_attr(tick_label(t, step))}</text>')
    gw = (frame.x1 - frame.x0) / max(len(labels), 1)
    for i, label in enumerate(labels):
        out.append(_label_lines(frame.x0 + gw * i + gw / 2, frame.y1 + 17, label))
    return out


def _legend(frame: Frame, series: list[Series], marker: str) -> list[str]:
    """Colour keys right-aligned above the plot (a square for bars, a short line for lines)."""
    out, x = [], frame.x1
    y = frame.y0 - 18
    for s in reversed(series):
        x -= 14 * len(s.name) + 4
        out.append(f'<text x="{_n(x)}" y="{_n(y + 5)}" font-size="13" fill="{INK}">{text_attr(s.name)}</text>')
        x -= 18
        if marker == "bar":
            out.append(f'<rect x="{_n(x)}" y="{_n(y - 5)}" width="12" height="12" fill="{text_attr(s.color)}"/>')
        else:
            out.append(f'<line x1="{_n(x - 2)}" y1="{_n(y + 1)}" x2="{_n(x + 14)}" y2="{_n(y + 1)}" '
                       f'stroke="{text_attr(s.color)}" stroke-width="3"/>')
        x -= 16
    return out


def _open(frame: Frame, title: str, kind: str) -> list[str]:
    """The svg element with its accessible title."""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
            f'class="chart chart-{kind}" role="img" aria-label="{text_attr(title)}" font-family="sans-serif">',
            f"<title>{text_attr(title)}</title>"]


def _setup(series: list[Series], labels: list[str], width: int, height: int):
    """Frame, unit divisor and label, scale, and whether every value is zero."""
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels")
    values = [Decimal(v) for s in series for v in s.values]
    divisor, unit = pick_unit(values)
    scaled = [v / divisor for v in values]
    frame = Frame(width, height)
    scale = Scale(frame, nice_ticks(min(scaled, default=ZERO), max(scaled, default=ZERO)))
    return frame, divisor, unit, scale, all(v == 0 for v in values)


def _empty_note(frame: Frame, empty: bool, text: str) -> list[str]:
    """A centred note when there is nothing to draw."""
    if not empty:
        return []
    x, y = (frame.x0 + frame.x1) / 2, (frame.y0 + frame.y1) / 2
    return [f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="middle" font-size="14" fill="{MUTED}">'
            f"{text_attr(text)}</text>"]


def bar_chart(series: list[Series], labels: list[str], *, title: str = "", width: int = 520,
              height: int = 280, empty_text: str = "所选期间无发生额") -> str:
    """Grouped bars, one group per label and one bar per series; negative values hang below zero."""
    frame, divisor, unit, scale, empty = _setup(series, labels, width, height)
    out = _open(frame, title, "bar") + _axes(frame, scale, unit, labels) + _legend(frame, series, "bar")
    gw = (frame.x1 - frame.x0) / max(len(labels), 1)
    bw = gw * Decimal("0.72") / max(len(series), 1)
    zero = scale.y(ZERO)
    for i, label in enumerate(labels):
        for j, s in enumerate(series):
            value = Decimal(s.values[i])
            y = scale.y(value / divisor)
            top, h = min(y, zero), abs(zero - y)
            x = frame.x0 + gw * i + gw * Decimal("0.14") + bw * j
            tip = f"{label.replace(chr(10), ' ')} {s.name}：{amount_label(value)}"
            out.append(f'<rect class="bar" x="{_n(x)}" y="{_n(top)}" width="{_n(bw)}" height="{_n(h)}" '
                       f'fill="{text_attr(s.color)}"><title>{text_attr(tip)}</title></rect>')
    out += _empty_note(frame, empty, empty_text)
    out.append("</svg>")
    return "\n".join(out)


def line_chart(series: list[Series], labels: list[str], *, title: str = "", width: int = 520,
               height: int = 280, empty_text: str = "所选期间无余额") -> str:
    """Lines through one point per label (centred like bar groups), each point with its amount as tooltip."""
    frame, divisor, unit, scale, empty = _setup(series, labels, width, height)
    out = _open(frame, title, "line") + _axes(frame, scale, unit, labels) + _legend(frame, series, "line")
    gw = (frame.x1 - frame.x0) / max(len(labels), 1)
    for s in series:
        points = [(frame.x0 + gw * i + gw / 2, scale.y(Decimal(v) / divisor)) for i, v in enumerate(s.values)]
        path = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
        color = text_attr(s.color)
        out.append(f'<polyline class="line" points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        for (x, y), label, v in zip(points, labels, s.values, strict=True):
            tip = f"{label.replace(chr(10), ' ')} {s.name}：{amount_label(Decimal(v))}"
            out.append(f'<circle class="point" cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="#fff" stroke="{color}" '
                       f'stroke-width="2"><title>{text_attr(tip)}</title></circle>')
    out += _empty_note(frame, empty, empty_text)
    out.append("</svg>")
    return "\n".join(out)
