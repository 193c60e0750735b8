"""The service hall's pages: the blueprints and the helpers their views share. The views live beside this file:
catalogue.py (windows, service items, 服务指南), cases.py (the hall, the case list, a case and its printed
papers), actions.py (intake and every move of a case), public.py (the public case lookup) and holidays.py
(the administrator's 节假日安排, under /admin/holidays).

`bp` serves staff pages under /t/<township_id>/hall (township_view decides 404/403); `public_bp` serves the
public case lookup without login. The view modules are imported at the bottom so they attach to these
blueprints when the app imports this package.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, url_for

from threeassets.core.db import db
from threeassets.core.errors import RuleError
from threeassets.core.web import public_pages
from threeassets.windows.service import get_case

bp = Blueprint("windows", __name__, url_prefix="/t/<int:township_id>/hall")
public_bp = public_pages(Blueprint("windows_public", __name__, url_prefix="/public"))
admin_bp = Blueprint("windows_admin", __name__, url_prefix="/admin/holidays")
BLUEPRINTS = (bp, public_bp, admin_bp)


def load_case(case_id: int):
    """The township's case (g.township set by township_view) or 404."""
    case = get_case(db.session, g.township.id, case_id)
    if case is None:
        abort(404)
    return case


def back_to_case(case_id: int, message: str | None = None, category: str = "success"):
    """Redirect to the case page, flashing a message."""
    if message:
        flash(message, category)
    return redirect(url_for("windows.case", township_id=g.township.id, case_id=case_id))


def refused(exc: RuleError, case_id: int):
    """A refused action: its message flashed on the case page, nothing written."""
    return back_to_case(case_id, str(exc), "danger")


from threeassets.windows.routes import actions, cases, catalogue, holidays, public  # noqa: E402, F401  (their views join)
