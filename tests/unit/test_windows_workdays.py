"""Working days across the 2024 and 2025 National Day and Spring Festival holidays, make-up workdays included.

Dates from the State Council General Office notices (国办发明电〔2023〕7号 for 2024, 国办发明电〔2024〕12号 for
2025), as carried by chinese_calendar.
"""
from datetime import date

import pytest

from threeassets.windows.workdays import (
    FALLBACK_NOTICE,
    CalendarUnknown,
    add_working_days,
    fallback_notice,
    fallback_years,
    is_working_day,
    working_days_between,
    year_known,
)

D = date.fromisoformat


@pytest.mark.parametrize("day, working", [
    ("2024-09-29", True),   # Sunday, make-up workday before National Day 2024
    ("2024-10-01", False), ("2024-10-07", False),  # National Day 2024: 1–7 October off
    ("2024-10-12", True),   # Saturday, make-up workday after National Day 2024
    ("2024-10-13", False),  # an ordinary Sunday
    ("2024-02-04", True), ("2024-02-18", True),  # Sundays worked around Spring Festival 2024
    ("2024-02-10", False), ("2024-02-17", False),  # Spring Festival 2024: 10–17 February off
    ("2025-01-26", True),   # Sunday, make-up workday before Spring Festival 2025
    ("2025-01-28", False), ("2025-02-04", False),  # Spring Festival 2025: 28 January – 4 February off
    ("2025-02-08", True),   # Saturday, make-up workday after Spring Festival 2025
    ("2025-09-28", True), ("2025-10-11", True),  # make-up workdays around National Day 2025
    ("2025-10-01", False), ("2025-10-08", False),  # National Day and Mid-Autumn 2025: 1–8 October off
    ("2025-10-09", True),
])
def test_official_calendar(day, working):
    assert is_working_day(D(day)) is working


def test_national_day_2024():
    # Accepted Friday 27 Sept: day 1 Sun 29 (make-up), day 2 Mon 30, then the holiday to 7 Oct, day 3 Tue 8 Oct.
    assert add_working_days(D("2024-09-27"), 1) == D("2024-09-29")
    assert add_working_days(D("2024-09-27"), 3) == D("2024-10-08")
    # 5 days from 8 Oct: 9, 10, 11, 12 (Saturday make-up), 14.
    assert add_working_days(D("2024-10-08"), 5) == D("2024-10-14")
    assert working_days_between(D("2024-09-28"), D("2024-10-12")) == 2 + 4 + 1


def test_spring_festival_2025():
    # Accepted Friday 24 Jan: Sun 26 (make-up) is day 1, Mon 27 day 2, then off until 4 Feb, Wed 5 Feb day 3.
    assert add_working_days(D("2025-01-24"), 1) == D("2025-01-26")
    assert add_working_days(D("2025-01-24"), 3) == D("2025-02-05")
    # 5, 6, 7, 8 (Saturday make-up), 10
    assert add_working_days(D("2025-01-24"), 7) == D("2025-02-10")
    assert working_days_between(D("2025-01-27"), D("2025-02-04")) == 0


def test_spring_festival_2024_and_national_day_2025():
    assert add_working_days(D("2024-02-08"), 2) == D("2024-02-18")  # Fri 9 is day 1, Sunday 18 (make-up) day 2
    assert add_working_days(D("2025-09-30"), 1) == D("2025-10-09")
    assert add_working_days(D("2025-09-26"), 2) == D("2025-09-29")  # Sunday 28 counts


def test_counting_rules():
    monday = D("2024-06-03")
    assert add_working_days(monday, 0) == monday  # an on-the-spot service is due the day it is accepted
    assert add_working_days(D("2024-06-07"), 1) == D("2024-06-11")  # Fri → Tue: Mon 10 June is Dragon Boat
    assert working_days_between(monday, monday) == 0
    assert working_days_between(D("2024-06-05"), monday) == 0  # reversed range counts nothing
    with pytest.raises(ValueError):
        add_working_days(monday, -1)


def test_unknown_year_falls_back_to_monday_to_friday_and_says_so(caplog, monkeypatch):
    from threeassets.windows import workdays
    monkeypatch.setattr(workdays, "_WARNED", set())  # as in a new process (another test may have counted it)
    year = 2004
    while year_known(year):
        year += 1
    jan = date(year, 1, 4)
    assert not year_known(year)
    with pytest.raises(CalendarUnknown) as exc:
        is_working_day(jan, strict=True)
    assert FALLBACK_NOTICE in str(exc.value)
    monday = next(date(year, 3, d) for d in range(1, 8) if date(year, 3, d).weekday() == 0)
    assert is_working_day(monday) and not is_working_day(date.fromordinal(monday.toordinal() + 5))
    assert add_working_days(monday, 5) == date.fromordinal(monday.toordinal() + 7)  # Mon → next Mon
    assert [r.getMessage() for r in caplog.records].count(  # the log says so once, not once per day counted
        f"holiday arrangement of {year} unknown (neither entered on 节假日安排 nor known to chinese_calendar); "
        "counting its Mondays to Fridays as working days") == 1
    assert fallback_years(D("2024-12-30"), jan) == [year]
    assert fallback_years(date(year - 1, 12, 20), jan) == [year]
    assert fallback_notice(date(year - 1, 12, 20), jan) == f"{FALLBACK_NOTICE}（涉及{year}年）"
    assert fallback_notice(D("2024-01-01"), D("2024-12-31")) is None
    assert fallback_notice(None, jan) is None
