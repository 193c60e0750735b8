"""Chinese working days for promised deadlines: public holidays and the weekend make-up workdays (调休).

Pure functions over dates. The State Council publishes each year's holiday arrangement late in the year
before; chinese_calendar carries every published year. For a year it does not know yet we do NOT guess
quietly: strict=True raises CalendarUnknown, the default falls back to Monday–Friday and logs a warning, and
`fallback_years` / `fallback_notice` tell a page or a receipt that the date was computed on that fallback.

Counting rule (民法典 第二百零一条: the starting day is not counted): add_working_days(start, n) is the n-th
working day after `start`; working_days_between(a, b) counts the working days d with a < d <= b.
"""
from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

log = logging.getLogger(__name__)

FALLBACK_NOTICE = "该年度法定节假日尚未发布，按周一至周五计算"
_MAX_SPAN = 3660  # days: a promised deadline is weeks away; anything longer is a programming error


class CalendarUnknown(Exception):
    """The holiday arrangement of this year is not published (not in chinese_calendar yet)."""

    def __init__(self, year: int):
        super().__init__(f"{FALLBACK_NOTICE}（{year}年）")
        self.year = year


def year_known(year: int) -> bool:
    """Whether chinese_calendar carries the official holiday arrangement of a year."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_working_day(day: date, strict: bool = False) -> bool:
    """Whether a day is a working day (holidays off, 调休 weekends on); unknown years → Mon–Fri or raise."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if strict:
            raise CalendarUnknown(day.year) from None
        log.warning("holiday arrangement of %s unknown; counting %s as %s", day.year, day,
                    "a working day" if day.weekday() < 5 else "a weekend day")
        return day.weekday() < 5


def add_working_days(start: date, n: int, strict: bool = False) -> date:
    """The n-th working day after `start` (start itself not counted); n = 0 gives `start`."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    for _ in range(_MAX_SPAN):
        if n == 0:
            return day
        day += timedelta(days=1)
        if is_working_day(day, strict):
            n -= 1
    raise ValueError("deadline too far away")


def working_days_between(a: date, b: date, strict: bool = False) -> int:
    """Working days d with a < d <= b (0 when b <= a): the days used from a to b."""
    if (b - a).days > _MAX_SPAN:
        raise ValueError("range too long")
    return sum(1 for i in range(1, (b - a).days + 1) if is_working_day(a + timedelta(days=i), strict))


def fallback_years(a: date | None, b: date | None) -> list[int]:
    """Years between two dates (inclusive) whose holidays are unknown, so a date there is a Mon–Fri guess."""
    if a is None or b is None:
        return []
    lo, hi = sorted((a.year, b.year))
    return [y for y in range(lo, hi + 1) if not year_known(y)]


def fallback_notice(a: date | None, b: date | None) -> str | None:
    """The warning a page or receipt shows when a deadline between a and b relies on the Mon–Fri fallback."""
    years = fallback_years(a, b)
    if not years:
        return None
    return f"{FALLBACK_NOTICE}（涉及{'、'.join(f'{y}年' for y in years)}）"
