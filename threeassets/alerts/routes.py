"""Alerts of a village (the township list lives in township_bp)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/v/<int:village_id>/alerts")
