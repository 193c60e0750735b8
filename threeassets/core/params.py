"""What a request names, read so that no value can raise: path ids bounded to the database's integer range,
query parameters parsed with a default instead of an exception (core/parse.py reads the numbers).

A number past the id columns' range (PostgreSQL's `integer`) would overflow the query and answer 500; here it
matches no route, or reads as absent, so the page answers 404 or shows its default as for any unknown value.
"""
from __future__ import annotations

from datetime import date

from flask import Flask, abort, flash, request
from werkzeug.routing import IntegerConverter

from threeassets.core.parse import ID_MAX, to_id, to_int, to_year


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a whole number from 0 to ID_MAX, else no route matches (404)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 0, max: int | None = ID_MAX,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def install(app: Flask) -> None:
    """Bound every `<int:...>` route slot (before the blueprints are registered, as their rules bind then) and
    refuse a NUL character anywhere in a request's values."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)


def refuse_nul() -> None:
    """400 for a NUL in the path, query or form: no field takes one, and PostgreSQL refuses it in any text,
    which would end the request in a 500 instead of an answer."""
    values = [v for args in (request.args, request.form) for _name, vs in args.lists() for v in vs]
    if any(isinstance(v, str) and "\x00" in v for v in [*values, *(request.view_args or {}).values()]):
        abort(400, description="请求中含有非法字符（NUL），已拒绝")


def arg_id(name: str) -> int | None:
    """?name= as a row id, else None."""
    return to_id(request.args.get(name))


def arg_page() -> int:
    """?page= (1 when absent or not a page number; pagination stops at the last page)."""
    return to_int(request.args.get("page"), 1, lo=1)


def arg_year(name: str = "year", default: int | None = None, *, lo: int = 2000, hi: int = 2100,
             label: str = "年度", say: bool = True) -> int | None:
    """?name= as a year lo..hi as a filter box takes it (core.parse.to_year); a typed value that is not one is
    said on the page (a warning) and the default is used: never a silent other year. A download (say=False) says
    nothing: its warning would show on whatever page comes next."""
    text = (request.args.get(name) or "").strip()
    year = to_year(text, lo, hi)
    if text and year is None and say:
        shown = "本年" if default == date.today().year else ("全部年度" if default is None else f"{default}年")
        flash(f"{label}“{text}”不是{lo}至{hi}年间的年份，已显示{shown}", "warning")
    return year if year is not None else default
