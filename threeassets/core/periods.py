"""Period arithmetic every feature shares: a month is the integer YYYYMM (202405). Pure; no database here."""
from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

from threeassets.core.errors import RuleError

# A month as people type it: 2026-10, 2026/10, 2026.10, 2026年10月(份), 202610 (full-width forms are read too).
YM_RE = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月份?|(\d{2}))$")
# A day: 2026-10-05, 2026/10/5, 2026.10.5, 2026年10月5日(号), 20261005; a time after a space is ignored.
DAY_RE = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
                    r"|(\d{2})(\d{2}))(?:[ T].*)?$")
YM_HINT = "如 2026-10、2026/10 或 2026年10月"
YM_PLACEHOLDER, DAY_PLACEHOLDER = "年-月，如 2026-10", "年-月-日，如 2026-10-05"
DAY_HINT = "如 2026-10-05、2026/10/5 或 2026年10月5日"
YEAR_MIN, YEAR_MAX = 1900, 2999  # typed periods: month arithmetic on them stays within what a date can hold


class PeriodError(RuleError):
    """A period typed by a person is not a month; the message says what was expected."""


def ym_of(d: date) -> int:
    """The period key of a date: 2024-05-17 → 202405."""
    return d.year * 100 + d.month


def ym_label(ym: int) -> str:
    """202405 → '2024-05'."""
    return f"{ym // 100:04d}-{ym % 100:02d}"


def typed(text: str | None) -> str:
    """What a person typed, with full-width digits, letters and punctuation read as half-width (NFKC), trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_ym(text: str) -> int:
    """Parse a month as people type it (2026-10, 2026/10, 2026年10月, 202610, full-width too) into 202610,
    refusing nonsense months and years outside YEAR_MIN..YEAR_MAX."""
    m = YM_RE.match(typed(text))
    month = next((int(g) for g in (m.groups()[1:] if m else ()) if g), 0)
    if not m or not 1 <= month <= 12:
        raise PeriodError(f"期间“{text}”不是年月：请写成{YM_HINT}")
    if not YEAR_MIN <= int(m.group(1)) <= YEAR_MAX:
        raise PeriodError(f"期间“{text}”超出范围：应在 {YEAR_MIN}-01 至 {YEAR_MAX}-12 之间")
    return int(m.group(1)) * 100 + month


def parse_day(text: str | None, what: str = "日期") -> date | None:
    """Parse a date as people type it (2026-10-05, 2026/10/5, 2026年10月5日, 20261005, full-width too); blank is
    None; anything else is a PeriodError that says how to write it."""
    s = typed(text)
    if not s:
        return None
    m = DAY_RE.match(s)
    if m:
        g = m.groups()
        month, day = (g[1], g[2]) if g[1] else (g[3], g[4]) if g[3] else (g[5], g[6])
        if not 1 <= int(month) <= 12:
            raise PeriodError(f"{what}“{text}”不是日期：请写成{DAY_HINT}")
        try:
            found = date(int(m.group(1)), int(month), int(day))
        except ValueError:
            raise PeriodError(f"{what}“{text}”不存在（{m.group(1)}年{int(month)}月没有{int(day)}日）") from None
        if not YEAR_MIN <= found.year <= YEAR_MAX:
            raise PeriodError(f"{what}“{text}”超出范围")
        return found
    raise PeriodError(f"{what}“{text}”不是日期：请写成{DAY_HINT}")



def read_day(text: str | None, what: str = "日期") -> tuple[date | None, str | None]:
    """A typed date and, when it cannot be read, why in words (2026年2月没有30日) instead of an exception: for
    forms that name every problem at once. Blank is (None, None): whether a date is required is the caller's."""
    try:
        return parse_day(text, what), None
    except PeriodError as exc:
        return None, str(exc)

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
