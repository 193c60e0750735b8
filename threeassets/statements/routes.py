"""Statement and book pages: balance sheet, income statement, general ledger, journals."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("statements", __name__, url_prefix="/v/<int:village_id>/statements")
