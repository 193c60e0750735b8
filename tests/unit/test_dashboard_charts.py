"""Dashboard charts and figures as pure functions: SVG well-formed, bars proportional, negatives,
all-zero data, escaped labels; the month window and the folding of turnover rows."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from threeassets.dashboard.charts import (
    Series,
    bar_chart,
    line_chart,
    nice_step,
    nice_ticks,
    pick_unit,
    tick_label,
)
from threeassets.dashboard.rules import Movement, fold, month_labels, total, window

NS = {"svg": "http://www.w3.org/2000/svg"}
D = Decimal
LABELS = [f"{m}月" for m in range(1, 13)]


def parse(svg: str) -> ET.Element:
    """The SVG parsed as XML (fails on anything not well-formed)."""
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def bars(root) -> list[ET.Element]:
    return root.findall(".//svg:rect[@class='bar']", NS)


def texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_bar_heights_are_proportional_to_values():
    values = [D(i * 1000) for i in range(1, 13)]
    root = parse(bar_chart([Series("收入", values, "#2f6fb0")], LABELS, title="t"))
    heights = [D(r.get("height")) for r in bars(root)]
    assert len(heights) == 12
    for h, v in zip(heights, values, strict=True):
        assert abs(h - heights[-1] * v / values[-1]) <= D("0.1")  # coordinates carry one decimal
    zero_line = {r.get("y") and D(r.get("y")) + D(r.get("height")) for r in bars(root)}
    assert max(zero_line) - min(zero_line) <= D("0.1")  # every bar stands on the zero line


def test_two_series_make_grouped_bars_and_a_legend():
    root = parse(bar_chart([Series("收入", [D(5)] * 12, "#111"), Series("支出", [D(3)] * 12, "#222")], LABELS))
    rects = bars(root)
    assert len(rects) == 24
    assert [r.get("fill") for r in rects[:2]] == ["#111", "#222"]
    assert D(rects[0].get("x")) < D(rects[1].get("x")) < D(rects[2].get("x"))
    assert {"收入", "支出"} <= set(texts(root))


def test_negative_values_hang_below_the_zero_line():
    values = [D(100), D(-50)] + [D(0)] * 10
    root = parse(bar_chart([Series("净额", values, "#333")], LABELS))
    up, down = bars(root)[:2]
    zero = D(up.get("y")) + D(up.get("height"))
    assert abs(D(down.get("y")) - zero) <= D("0.1")
    assert abs(D(down.get("height")) * 2 - D(up.get("height"))) <= D("0.2")
    assert any(t.startswith("-") for t in texts(root))  # the axis goes below zero


def test_all_zero_data_draws_flat_bars_and_says_so():
    root = parse(bar_chart([Series("收入", [D(0)] * 12, "#333")], LABELS))
    assert all(D(r.get("height")) == 0 for r in bars(root))
    assert "所选期间无发生额" in texts(root)
    root = parse(line_chart([Series("余额", [D(0)] * 12, "#333")], LABELS))
    assert "所选期间无余额" in texts(root)


def test_labels_titles_and_names_are_escaped():
    evil = '<script>alert("x")</script> & 村'
    svg = bar_chart([Series(evil, [D(1)] * 2, '"red')], [evil, "2月"], title=evil)
    root = parse(svg)
    assert "<script>" not in svg
    assert root.get("aria-label") == evil
    assert evil in texts(root)
    line = line_chart([Series(evil, [D(1), D(2)], "#000")], ["1月\n2025", evil], title=evil)
    assert "<script>" not in line
    assert evil in texts(parse(line))


def test_month_label_with_year_on_a_second_line():
    root = parse(bar_chart([Series("收入", [D(1), D(2)], "#000")], ["12月\n2025", "1月\n2026"]))
    assert "12月2025" in texts(root)
    spans = root.findall(".//svg:tspan", NS)
    assert [s.text for s in spans] == ["2025", "2026"]


def test_axis_counts_in_wan_yuan_from_100000_with_separators():
    root = parse(bar_chart([Series("收入", [D("1234567.89")] + [D(0)] * 11, "#000")], LABELS))
    assert "单位：万元" in texts(root)
    assert "125" in texts(root) and "1,250,000" not in texts(root)
    root = parse(line_chart([Series("余额", [D("23456.78")] * 12, "#000")], LABELS))
    assert "单位：元" in texts(root)
    assert "25,000" in texts(root)


def test_line_chart_points_follow_values():
    values = [D(i * 100) for i in range(12)]
    root = parse(line_chart([Series("余额", values, "#198754")], LABELS))
    ys = [D(c.get("cy")) for c in root.findall(".//svg:circle", NS)]
    assert ys == sorted(ys, reverse=True)  # rising values climb up the picture
    assert len(root.findall(".//svg:polyline", NS)) == 1
    tips = [c.find("svg:title", NS).text for c in root.findall(".//svg:circle", NS)]
    assert tips[-1] == "12月 余额：1,100.00 元"


def test_values_and_labels_must_match():
    with pytest.raises(ValueError):
        bar_chart([Series("收入", [D(1)], "#000")], LABELS)


def test_no_style_attributes_anywhere():
    svg = bar_chart([Series("收入", [D(1)] * 12, "#000")], LABELS) + line_chart(
        [Series("余额", [D(1)] * 12, "#000")], LABELS)
    assert "style=" not in svg


@pytest.mark.parametrize("lo, hi, first, last, step", [
    (D(0), D(47), D(0), D(50), D(10)), (D(-12), D(30), D(-20), D(30), D(10)), (D(0), D("0.8"), D(0), D("0.8"),
                                                                               D("0.2")),
    (D(0), D(0), D(0), D(5), D(1)), (D(3), D(7), D(0), D(8), D(2)),
])
def test_nice_ticks(lo, hi, first, last, step):
    ticks = nice_ticks(lo, hi)
    assert ticks[0] == first and ticks[-1] == last
    assert ticks[1] - ticks[0] == step
    assert D(0) in ticks


def test_nice_step_and_tick_labels():
    assert nice_step(D(100)) == D(20)
    assert nice_step(D(12)) == D("2.5")
    assert tick_label(D(25000), D(5000)) == "25,000"
    assert tick_label(D("2.5"), D("2.5")) == "2.5"
    assert pick_unit([D("99999.99")]) == (D(1), "元")
    assert pick_unit([D("-100000")])[1] == "万元"


def test_month_window_and_labels():
    assert window(202403) == [202304, 202305, 202306, 202307, 202308, 202309, 202310, 202311, 202312,
                              202401, 202402, 202403]
    assert month_labels([202312, 202401, 202402]) == ["12月\n2023", "1月\n2024", "2月"]


def mv(vid, key, bucket, dr="0", cr="0", leaf=0):
    return Movement(vid, key, leaf, bucket, D(dr or 0), D(cr or 0))


def test_fold_figures_and_trend():
    end = 202403
    moves = [
        mv(1, "101", 0, "500"),                    # cash before the window
        mv(1, "101", 202402, "200", "50"),
        mv(1, "102", 202403, "1000"),
        mv(1, "income", 202312, "", "300"),        # last year: in the trend, not the year to date
        mv(1, "income", 202403, "10", "800"),
        mv(1, "expense", 202402, "120"),
        mv(1, "expense", 202403, "40", "5"),
        mv(1, "112", 0, "90"),
        mv(1, "113", 0, "70", leaf=31),            # internal: debit-balance sub-account
        mv(1, "113", 0, "", "25", leaf=32),        # internal: credit-balance sub-account
        mv(1, "113", 0, "", "5", leaf=31),         # … still 65 on the debit side
        mv(1, "211", 0, "", "400"),
        mv(1, "212", 0, "100", "300"),
        mv(2, "101", 202403, "7"),
        mv(2, "income", 0, "", "999"),             # before the window: neither trend nor figures
    ]
    figures, trend = fold(moves, [1, 2, 3], end)
    f = figures[1]
    assert (f.cash, f.bank, f.cash_bank) == (D(650), D(1000), D(1650))
    assert (f.income_month, f.expense_month, f.net_month) == (D(790), D(35), D(755))
    assert (f.income_ytd, f.expense_ytd, f.net_ytd) == (D(790), D(155), D(635))
    assert (f.receivables, f.payables) == (D(155), D(625))
    assert figures[2].cash == D(7) and figures[2].income_ytd == 0 and figures[3] == type(f)()
    assert trend.months[-1] == end and len(trend.months) == 12
    assert trend.income[trend.months.index(202312)] == D(300)
    assert sum(trend.income) == D(1090)
    assert trend.expense[-2:] == [D(120), D(35)]
    assert trend.cash_bank[-3:] == [D(500), D(650), D(1657)]
    t = total(figures)
    assert t.cash == D(657) and t.receivables == D(155)


def test_fold_nothing():
    figures, trend = fold([], [1], 202405)
    assert figures[1].cash == 0 and trend.income == [D(0)] * 12 and trend.cash_bank == [D(0)] * 12
