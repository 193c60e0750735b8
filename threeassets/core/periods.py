"""Period arithmetic every feature shares: a month is the integer YYYYMM (202405). Pure; no database here."""
from __future__ import annotations

import calendar
import re
from datetime import date

from threeassets.core.errors import RuleError

YM_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
YEAR_MIN, YEAR_MAX = 1900, 2999  # typed periods: month arithmetic on them stays within what a date can hold


class PeriodError(RuleError):
    """A period typed by a person is not a month; the message says what was expected."""


def ym_of(d: date) -> int:
    """The period key of a date: 2024-05-17 → 202405."""
    return d.year * 100 + d.month


def ym_label(ym: int) -> str:
    """202405 → '2024-05'."""
    return f"{ym // 100:04d}-{ym % 100:02d}"


def parse_ym(text: str) -> int:
    """Parse 'YYYY-MM' into 202405, refusing nonsense months and years outside YEAR_MIN..YEAR_MAX."""
    m = YM_RE.match((text or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PeriodError(f"期间“{text}”应为 YYYY-MM 格式")
    if not YEAR_MIN <= int(m.group(1)) <= YEAR_MAX:
        raise PeriodError(f"期间“{text}”超出范围：应在 {YEAR_MIN}-01 至 {YEAR_MAX}-12 之间")
    return int(m.group(1)) * 100 + int(m.group(2))


def add_months(ym: int, n: int) -> int:
    """YYYYMM plus n months (n may be negative)."""
    index = ym // 100 * 12 + ym % 100 - 1 + n
    return index // 12 * 100 + index % 12 + 1


def next_ym(ym: int) -> int:
    """The month after: 202412 → 202501."""
    return add_months(ym, 1)


def prev_ym(ym: int) -> int:
    """The month before: 202401 → 202312."""
    return add_months(ym, -1)


def year_start(ym: int) -> int:
    """January of a period's year: 202405 → 202401."""
    return ym // 100 * 100 + 1


def months_of(year: int) -> list[int]:
    """The twelve period keys of a year: 202401 … 202412."""
    return [year * 100 + m for m in range(1, 13)]


def months_between(start: int, end: int) -> list[int]:
    """Every period from start to end inclusive (202411, 202412, 202501 …)."""
    out, ym = [], start
    while ym <= end:
        out.append(ym)
        ym = next_ym(ym)
    return out


def month_end(ym: int) -> date:
    """The last day of a month: 202402 → 2024-02-29."""
    y, m = divmod(ym, 100)
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months_to(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))
