"""Period arithmetic (core.periods): months as YYYYMM integers, parsing, labels, month ends, date shifts."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threeassets.core.errors import RuleError
from threeassets.core.periods import (
    PeriodError,
    add_months,
    add_months_to,
    month_end,
    months_between,
    months_of,
    next_ym,
    parse_day,
    parse_ym,
    prev_ym,
    year_start,
    ym_label,
    ym_of,
)

MONTHS = st.integers(190001, 999911).filter(lambda ym: 1 <= ym % 100 <= 12)


@pytest.mark.parametrize("text, ym", [("2024-05", 202405), ("2024-5", 202405), (" 2024-12 ", 202412),
                                      ("1999-01", 199901)])
def test_parse_ym(text, ym):
    assert parse_ym(text) == ym


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "2024-0", "2024/13", "2024年0月", "24-05", "", None,
                                  "2024-05-01", "abcd-ef", "2024-123"])
def test_parse_ym_refuses(text):
    with pytest.raises(PeriodError) as exc:
        parse_ym(text)
    assert "不是年月" in str(exc.value)
    assert isinstance(exc.value, RuleError)  # routes and commands show it like any refused rule


@pytest.mark.parametrize("text", ["0000-01", "1899-12", "3000-01", "9999-12"])
def test_parse_ym_refuses_years_out_of_range(text):
    with pytest.raises(PeriodError) as exc:
        parse_ym(text)
    assert "超出范围" in str(exc.value)


def test_ym_of_and_label():
    assert ym_of(date(2024, 1, 31)) == 202401
    assert ym_label(202401) == "2024-01"
    assert ym_label(parse_ym("2030-9")) == "2030-09"


def test_month_arithmetic_crosses_years():
    assert next_ym(202412) == 202501 and prev_ym(202501) == 202412
    assert next_ym(202405) == 202406 and prev_ym(202406) == 202405
    assert prev_ym(202401) == 202312 and prev_ym(202405) == 202404
    assert add_months(202411, 1) == 202412 and add_months(202412, 1) == 202501 and add_months(202401, -1) == 202312
    assert add_months(202405, -29) == 202112 and add_months(202405, 0) == 202405
    assert months_of(2024) == [202401 + i for i in range(12)]
    assert year_start(202405) == 202401 and year_start(202401) == 202401
    assert months_between(202411, 202502) == [202411, 202412, 202501, 202502]
    assert months_between(202405, 202404) == []


@given(MONTHS)
def test_next_and_prev_are_inverse(ym):
    assert prev_ym(next_ym(ym)) == ym and next_ym(prev_ym(ym)) == ym


@given(MONTHS, st.integers(-2400, 2400))
def test_add_months_agrees_with_stepping(ym, n):
    stepped = ym
    for _ in range(abs(n) % 30):
        stepped = next_ym(stepped) if n >= 0 else prev_ym(stepped)
    assert add_months(ym, (abs(n) % 30) * (1 if n >= 0 else -1)) == stepped
    assert add_months(add_months(ym, n), -n) == ym


def test_month_end():
    assert month_end(202402) == date(2024, 2, 29)
    assert month_end(202302) == date(2023, 2, 28)
    assert month_end(202412) == date(2024, 12, 31)
    assert month_end(202404) == date(2024, 4, 30)


def test_add_months_to_clamps_to_the_month_end():
    assert add_months_to(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months_to(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months_to(date(2025, 12, 15), -12) == date(2024, 12, 15)
    assert add_months_to(date(2024, 2, 29), 12) == date(2025, 2, 28)


@pytest.mark.parametrize("text", ["2026-10", "2026-1", "2026/10", "2026.10", "2026年10月", "2026年10月份", "202610",
                                  "２０２６－１０", "２０２６年１０月", " 2026 年 10 月 "])
def test_months_are_read_as_people_write_them(text):
    assert parse_ym(text) in (202610, 202601)


@pytest.mark.parametrize("text", ["2026-13", "2026年13月", "2026-00", "2026", "26-10", "十月", "2026-10-05"])
def test_what_is_not_a_month_says_how_to_write_one(text):
    with pytest.raises(PeriodError, match="2026年10月"):
        parse_ym(text)


@pytest.mark.parametrize("text", ["2026-10-05", "2026-10-5", "2026/10/5", "2026.10.05", "2026年10月5日",
                                  "2026年10月5号", "20261005", "２０２６／１０／０５",
                                  "２０２６年１０月５日", "2026-10-05 08:30", "2026-10-05T08:30:00"])
def test_days_are_read_as_people_write_them(text):
    assert parse_day(text) == date(2026, 10, 5)


def test_days_that_are_not_dates_say_why():
    assert parse_day("  ") is None and parse_day(None) is None
    with pytest.raises(PeriodError, match="2026年2月没有30日"):
        parse_day("2026-02-30")
    for text in ("2026-13-01", "2026年10月", "10/05/2026", "明天"):
        with pytest.raises(PeriodError, match="不是日期"):
            parse_day(text, "凭证日期")
    with pytest.raises(PeriodError, match="凭证日期“明天”"):
        parse_day("明天", "凭证日期")
