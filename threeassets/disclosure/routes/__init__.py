"""The disclosure pages: a village's notices and their workflow (village.py), the township's notices of a period
and its batch runs (township.py), and the public pages without login, the QR code's address among them
(public.py). The blueprints are made here; each module adds its views to them."""
from __future__ import annotations

from datetime import date

from flask import Blueprint

from threeassets.core.errors import RuleError
from threeassets.core.web import public_pages

bp = Blueprint("disclosure", __name__, url_prefix="/v/<int:village_id>/disclosure")
township_bp = Blueprint("disclosure_township", __name__, url_prefix="/t/<int:township_id>/disclosure")
public_bp = public_pages(Blueprint("disclosure_public", __name__))
BLUEPRINTS = (bp, township_bp, public_bp,)


def recent_periods(today: date, months: int = 12, quarters: int = 4) -> list[tuple[str, str]]:
    """(value, label) suggestions for the period field: this and recent months, then recent quarters."""
    out, ym = [], today.year * 12 + today.month - 1
    for i in range(months):
        y, m = divmod(ym - i, 12)
        out.append((f"{y}-{m + 1:02d}", f"{y}年{m + 1}月"))
    q = today.year * 4 + (today.month - 1) // 3
    for i in range(quarters):
        y, n = divmod(q - i, 4)
        out.append((f"{y}-Q{n + 1}", f"{y}年第{'一二三四'[n]}季度"))
    return out


def field_errors(form, exc: RuleError) -> None:
    """Put a RuleError's field reasons on the form's fields (others are shown by the flash)."""
    for name, reason in exc.fields.items():
        if name in form:
            form[name].errors = list(form[name].errors) + [reason]


from threeassets.disclosure.routes import public, township, village  # noqa: E402, F401  (their views join the blueprints)
