"""Dates and months are typed into text boxes read by core.periods (2026-10, 2026/10, 2026年10月, full-width),
never into the browser's date or month inputs, whose look and accepted forms follow the browser's language."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROWSER_DATES = re.compile(r"""<input[^>]*\btype=["']?(date|month|datetime-local|week)\b""")
MACRO_TYPES = re.compile(r"""type=["']\{\{""")  # a macro's type="{{ type }}" must go through input_type()


def test_no_template_uses_a_browser_date_input():
    found = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "templates").rglob("*.html"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if BROWSER_DATES.search(line) or MACRO_TYPES.search(line)]
    assert not found, found


def test_no_form_uses_wtforms_date_fields():
    found = [str(p.relative_to(ROOT)) for p in sorted((ROOT / "threeassets").rglob("*.py"))
             if re.search(r"\b(DateField|DateTimeField|MonthField)\(", p.read_text(encoding="utf-8"))]
    assert not found, found  # core.forms.DayField reads the forms people write


def test_the_boxes_say_how_to_write_a_date():
    pages = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "templates").rglob("*.html"))
    assert pages.count("data-ym") >= 10 and pages.count("data-day") >= 5
    for match in re.finditer(r"<input[^>]*\bdata-(ym|day)\b[^>]*>", pages):
        assert "placeholder=" in match.group(0), match.group(0)
