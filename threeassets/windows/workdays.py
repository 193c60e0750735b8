"""Chinese working days for promised deadlines: public holidays and the weekend make-up workdays (调休).

Functions over dates. The State Council publishes each year's holiday arrangement late in the year before;
chinese_calendar carries every year published before its release. A year published since is entered by the
system administrator (节假日安排, windows/holidays.py): the entered years are read from the database through a
loader registered at start-up, at most once a minute per process (REFRESH_SECONDS), and win over the library
for their year. For a year known to neither we do NOT guess quietly: strict=True raises CalendarUnknown, the
default falls back to Monday–Friday and logs a warning, and `fallback_years` / `fallback_notice` tell a page
or a receipt that the date was computed on that fallback.

Counting rule (民法典 第二百零一条: the starting day is not counted): add_working_days(start, n) is the n-th
working day after `start`; working_days_between(a, b) counts the working days d with a < d <= b.
"""
from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import date, timedelta

from threeassets.core.periods import PeriodError, parse_day, typed

log = logging.getLogger(__name__)

FALLBACK_NOTICE = "该年度法定节假日安排尚未录入，按周一至周五计算"
REFRESH_SECONDS = 60  # how stale another process's view of a newly entered year may be
ARRANGEMENT_HINT = ("每行一条：日期或日期范围、节日名称、“休”或“班”，"
                    "如“2027-02-06~2027-02-13 春节 休”“2027-02-14 春节 班”")
MAX_RANGE = 15  # days in one line's range: the longest holiday (春节, 国庆) is 8–9 days
_LINE = re.compile(r"^(\S+?)(?:\s*(?:~|至|到)\s*(\S+))?\s+(\S+)\s+(休|放假|班|上班)$")
_MAX_SPAN = 3660  # days: a promised deadline is weeks away; anything longer is a programming error


class CalendarUnknown(Exception):
    """The holiday arrangement of this year is known neither to chinese_calendar nor entered."""

    def __init__(self, year: int):
        super().__init__(f"{FALLBACK_NOTICE}（{year}年）")
        self.year = year


def _library():
    """chinese_calendar, imported on first use (a command that counts no days does not load it)."""
    import chinese_calendar
    return chinese_calendar


# The entered years (year → {day: working?}); what reads them: (source, read) where source() names the database
# bound now (cheap) and read(source) returns its years; and (the source they were read from, when).
_entered: dict[int, dict[date, bool]] = {}
_loader: tuple[Callable[[], object], Callable[[object], dict[int, dict[date, bool]]]] | None = None
_loaded: tuple[object, float] = (None, float("-inf"))


def use_loader(source: Callable[[], object], read: Callable[[object], dict[int, dict[date, bool]]]) -> None:
    """Register how the entered years are read (windows/hooks.py, for every app): read again after
    REFRESH_SECONDS, or at once when source() names another database than the one read."""
    global _loader, _loaded, _entered
    _loader, _loaded, _entered = (source, read), (None, float("-inf")), {}


def refresh(force: bool = False) -> dict[int, dict[date, bool]]:
    """The entered years, read again when due (force: now, after a save in this process)."""
    global _entered, _loaded
    if _loader is None:
        return _entered
    source, read = _loader
    current = source()
    loaded_from, at = _loaded
    if not force and current is loaded_from and time.monotonic() - at < REFRESH_SECONDS:
        return _entered
    try:
        years = read(current)
    except Exception:  # no database bound (a bare unit test) or unreachable: keep this database's last read
        log.debug("entered holiday arrangements not read", exc_info=True)
        years = _entered if current is loaded_from else {}
    _entered, _loaded = years, (current, time.monotonic())
    return _entered


def library_knows(year: int) -> bool:
    """Whether chinese_calendar itself carries a year (entered years aside)."""
    try:
        _library().is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def year_known(year: int) -> bool:
    """Whether a year's official holiday arrangement is known: entered by the administrator, or carried by
    chinese_calendar."""
    return year in refresh() or library_knows(year)


_WARNED: set[int] = set()  # the unknown years already logged


def is_working_day(day: date, strict: bool = False) -> bool:
    """Whether a day is a working day (holidays off, 调休 weekends on); unknown years → Mon–Fri or raise."""
    entered = refresh().get(day.year)
    if entered is not None:
        return entered.get(day, day.weekday() < 5)
    try:
        return _library().is_workday(day)
    except NotImplementedError:
        if strict:
            raise CalendarUnknown(day.year) from None
        if day.year not in _WARNED:  # once per year and process, not once per day counted
            _WARNED.add(day.year)
            log.warning("holiday arrangement of %s unknown (neither entered on 节假日安排 nor known to "
                        "chinese_calendar); counting its Mondays to Fridays as working days", day.year)
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


def parse_arrangement(year: int, text: str) -> tuple[list[tuple[date, bool, str]], list[tuple[int, str]]]:
    """A year's arrangement as the notice lists it, one line each: '2027-02-06~2027-02-13 春节 休' (days off) or
    '2027-02-14 春节 班' (a weekend made a working day); full-width and 2027年2月6日 read too. Returns the days
    (day, working?, holiday name) in date order and the problems by line number; days off that fall on a
    weekend are kept as written."""
    days: dict[date, tuple[bool, str]] = {}
    problems: list[tuple[int, str]] = []
    for lineno, raw in enumerate((text or "").splitlines(), start=1):
        line = typed(raw)
        if not line:
            continue
        m = _LINE.match(line)
        if not m:
            problems.append((lineno, f"“{raw.strip()}”看不懂：{ARRANGEMENT_HINT}"))
            continue
        first_text, last_text, name, kind = m.groups()
        working = kind in ("班", "上班")
        try:
            first = parse_day(first_text, "日期")
            last = parse_day(last_text, "日期") if last_text else first
        except PeriodError as exc:
            problems.append((lineno, str(exc)))
            continue
        why = _range_problem(year, first, last, working, len(name))
        if why:
            problems.append((lineno, why))
            continue
        for i in range((last - first).days + 1):
            day = first + timedelta(days=i)
            if day in days and days[day][0] != working:
                problems.append((lineno, f"{day.isoformat()}已在前面写成{'放假' if working else '上班'}"))
                break
            days[day] = (working, name)
    if not days and not problems:
        problems.append((0, f"没有填写任何日期：{ARRANGEMENT_HINT}"))
    return [(d, w, n) for d, (w, n) in sorted(days.items())], problems


def _range_problem(year: int, first: date, last: date, working: bool, name_len: int) -> str | None:
    """Why one line's days cannot be taken, or None."""
    if last < first:
        return f"结束日期{last.isoformat()}早于开始日期{first.isoformat()}"
    if first.year != year or last.year != year:
        return f"日期不在{year}年内"
    if (last - first).days + 1 > MAX_RANGE:
        return f"一行的日期范围不能超过{MAX_RANGE}天"
    if name_len > 20:
        return "节日名称不超过20字"
    if working:
        weekdays = [first + timedelta(days=i) for i in range((last - first).days + 1)
                    if (first + timedelta(days=i)).weekday() < 5]
        if weekdays:
            return f"{weekdays[0].isoformat()}本是工作日，不需调休上班（“班”只用于周六、周日）"
    return None
