"""Decision records (四议两公开) of a village."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("decisions", __name__, url_prefix="/v/<int:village_id>/decisions")
