"""The resources register of a village."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resources", __name__, url_prefix="/v/<int:village_id>/resources")
