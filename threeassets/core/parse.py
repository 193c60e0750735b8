"""Whole numbers typed by people or sent in a request, read without raising, and the one sentence for a typed text
that is too long (pure; no Flask here).

`"²".isdigit()` is true yet `int("²")` raises, and `int()` of a few thousand digits raises too: a number is
read only when it is a short run of ASCII digits — or of the full-width ones a Chinese input method types
(２０２７) — and only within the bounds the caller gives.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

ID_MAX = 2**31 - 1  # the id columns are `integer` on PostgreSQL (SQLite's are wider)
_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋－", "0123456789+-")  # only these: "²" or "①" stay unread


def to_int(value, default: int | None = None, *, lo: int = 0, hi: int = ID_MAX) -> int | None:
    """A whole number from lo to hi (ASCII or full-width digits, an optional sign, spaces around), else default."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if lo <= value <= hi else default
    text = value.strip().translate(_HALF_WIDTH) if isinstance(value, str) else ""
    if not _WHOLE.fullmatch(text):
        return default
    number = int(text)
    return number if lo <= number <= hi else default


def to_year(value: str | None, lo: int, hi: int) -> int | None:
    """A year as a box takes it (2026, ２０２６, 2026年) from lo to hi, else None."""
    return to_int((value or "").strip().removesuffix("年"), None, lo=lo, hi=hi)


def to_id(value) -> int | None:
    """A row id (1 to ID_MAX) from a form or query value, else None."""
    return to_int(value, lo=1)


def too_long(text: str | None, most: int, label: str = "") -> str | None:
    """The reason a typed text is refused for its length, counted in characters (a rare character outside the BMP
    is one), naming how long it is: '说明最多200字（现 231 字）'; None when it fits. Text is never cut silently."""
    n = len(text or "")
    return f"{label}最多{most}字（现 {n} 字）" if n > most else None


def length_problems(texts: Mapping[str, tuple[str | None, int, str]]) -> dict[str, str]:
    """Field → too_long's reason for each (text, most, label) over its limit, the text taken stripped."""
    return {field: why for field, (text, most, label) in texts.items()
            if (why := too_long((text or "").strip(), most, label))}
