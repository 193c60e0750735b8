"""Fixed-asset cards, depreciation runs, changes and disposals of a village."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("assets", __name__, url_prefix="/v/<int:village_id>/assets")
