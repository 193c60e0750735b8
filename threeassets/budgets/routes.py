"""Budget entry, import and budget-vs-actual pages."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("budgets", __name__, url_prefix="/v/<int:village_id>/budgets")
