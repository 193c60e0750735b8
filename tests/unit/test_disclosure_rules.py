"""Pure rules of the disclosure notice: periods, masking, labels, overdue amounts."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from threeassets.core.errors import RuleError
from threeassets.disclosure.rules import (
    grouped_label,
    mask_tree,
    overdue,
    parse_period,
    party_id_shown,
)


def test_month_period():
    p = parse_period("2026-10")
    assert (p.text, p.label, p.start_ym, p.end_ym) == ("2026-10", "2026年10月", 202610, 202610)
    assert (p.start, p.end) == (date(2026, 10, 1), date(2026, 10, 31))
    assert not p.is_quarter and p.months == [202610]


def test_single_digit_month_is_normalised():
    assert parse_period(" 2024-2 ").text == "2024-02"
    assert parse_period("2024-02").end == date(2024, 2, 29)  # leap year


@pytest.mark.parametrize("text,label,start,end,last_day", [
    ("2026-Q1", "2026年第一季度", 202601, 202603, date(2026, 3, 31)),
    ("2026-Q2", "2026年第二季度", 202604, 202606, date(2026, 6, 30)),
    ("2026-q3", "2026年第三季度", 202607, 202609, date(2026, 9, 30)),
    ("2026-Q4", "2026年第四季度", 202610, 202612, date(2026, 12, 31)),
])
def test_quarter_period(text, label, start, end, last_day):
    p = parse_period(text)
    assert (p.label, p.start_ym, p.end_ym, p.end) == (label, start, end, last_day)
    assert p.start == date(start // 100, start % 100, 1)
    assert p.is_quarter and p.text == text.upper()
    assert len(p.months) == 3 and p.year == 2026


@pytest.mark.parametrize("bad", ["", None, "2026", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-10",
                                 "2026/10", "1999-01", "2101-01", "2026-10-01", "abcd-ef"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(RuleError) as exc:
        parse_period(bad)
    assert "period" in exc.value.fields


def test_mask_tree_masks_texts_but_not_amounts():
    data = {"a": ["身份证220102199001011234"], "b": {"amount": "123456789012.00", "n": 3}, "c": None}
    out = mask_tree(data)
    assert out["a"] == ["身份证220102********1234"]
    assert out["b"] == {"amount": "123456789012.00", "n": 3} and out["c"] is None


def test_party_id_shown():
    assert party_id_shown("person", "220102199001011234") == "220102********1234"
    assert party_id_shown("org", "91340100MA2N0DEM0Q") == "91340100MA2N0DEM0Q"


def test_grouped_label():
    assert grouped_label("expense", 12) == "其他小额支出（12笔）"
    assert grouped_label("income", 1) == "其他小额收入（1笔）"


def test_overdue_is_never_negative():
    assert overdue(Decimal("5000.00"), Decimal("3000.00")) == Decimal("2000.00")
    assert overdue(Decimal("5000.00"), Decimal("6000.00")) == 0
    assert overdue(Decimal("0"), Decimal("0")) == 0
