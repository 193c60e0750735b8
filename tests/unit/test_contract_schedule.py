"""Installment schedules: equal split to the fen, frequencies, one-off, leap years, partial last periods."""
from datetime import date
from decimal import Decimal as D

import pytest

from threeassets.contracts.schedule import due_dates, equal_split, generate, schedule_problems


def test_equal_split_puts_the_remainder_on_the_last_installment():
    assert equal_split(D("100.00"), 3) == [D("33.33"), D("33.33"), D("33.34")]
    assert equal_split(D("0.05"), 3) == [D("0.01"), D("0.01"), D("0.03")]
    assert equal_split(D("90000.00"), 10) == [D("9000.00")] * 10


@pytest.mark.parametrize("total, n", [(D("1234567.89"), 7), (D("0.01"), 1), (D("10000.00"), 12), (D("999.99"), 40)])
def test_equal_split_adds_up_to_the_fen(total, n):
    parts = equal_split(total, n)
    assert len(parts) == n and sum(parts) == total
    assert all(p == p.quantize(D("0.01")) for p in parts)
    assert len(set(parts[:-1])) <= 1


def test_equal_split_refuses_no_installments_and_sub_fen_totals():
    with pytest.raises(ValueError):
        equal_split(D("10.00"), 0)
    with pytest.raises(ValueError):
        equal_split(D("10.001"), 2)


def test_yearly_half_yearly_quarterly_dates():
    start, end = date(2025, 1, 1), date(2026, 12, 31)
    assert due_dates(start, end, "yearly") == [date(2025, 1, 1), date(2026, 1, 1)]
    assert due_dates(start, end, "half_yearly") == [date(2025, 1, 1), date(2025, 7, 1), date(2026, 1, 1),
                                                    date(2026, 7, 1)]
    assert len(due_dates(start, end, "quarterly")) == 8
    assert due_dates(start, end, "quarterly")[1] == date(2025, 4, 1)


def test_one_off_is_a_single_installment_on_the_start_date():
    assert generate(date(2025, 3, 1), date(2030, 2, 28), D("50000.00"), "once") == [(date(2025, 3, 1), D("50000.00"))]


def test_term_not_a_whole_number_of_periods_gets_a_last_installment():
    # 2.5 years paid yearly: installments on 2025-01-01, 2026-01-01, 2027-01-01 (the last half year)
    rows = generate(date(2025, 1, 1), date(2027, 6, 30), D("25000.00"), "yearly")
    assert [d for d, _a in rows] == [date(2025, 1, 1), date(2026, 1, 1), date(2027, 1, 1)]
    assert [a for _d, a in rows] == [D("8333.33"), D("8333.33"), D("8333.34")]
    # a term shorter than one period is one installment
    assert len(generate(date(2025, 1, 1), date(2025, 2, 15), D("300.00"), "quarterly")) == 1


def test_leap_day_start_clamps_to_28_february_and_comes_back_on_leap_years():
    dates = due_dates(date(2024, 2, 29), date(2028, 12, 31), "yearly")
    assert dates == [date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]


def test_month_end_start_does_not_drift():
    dates = due_dates(date(2025, 1, 31), date(2025, 12, 31), "quarterly")
    assert dates == [date(2025, 1, 31), date(2025, 4, 30), date(2025, 7, 31), date(2025, 10, 31)]


def test_generated_schedule_always_sums_to_the_price():
    rows = generate(date(2024, 2, 29), date(2034, 2, 27), D("123456.78"), "quarterly")
    assert len(rows) == 40 and sum(a for _d, a in rows) == D("123456.78")


def test_unknown_frequency_is_refused():
    with pytest.raises(ValueError):
        due_dates(date(2025, 1, 1), date(2026, 1, 1), "monthly")


def test_schedule_problems():
    end = date(2026, 12, 31)
    ok = [(date(2025, 1, 1), D("50.00")), (date(2026, 1, 1), D("50.00"))]
    assert schedule_problems(ok, D("100.00"), end) == []
    assert schedule_problems([], D("100.00"), end) == ["收款计划不能为空"]
    assert any("不等" in p for p in schedule_problems(ok, D("100.01"), end))
    assert any("先后顺序" in p for p in schedule_problems(list(reversed(ok)), D("100.00"), end))
    assert any("大于0" in p for p in schedule_problems([(date(2025, 1, 1), D("0")), (date(2025, 2, 1), D("100"))],
                                                      D("100.00"), end))
    assert any("晚于" in p for p in schedule_problems([(date(2027, 1, 1), D("100.00"))], D("100.00"), end))
