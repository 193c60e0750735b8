"""The township settings page."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("settings", __name__, url_prefix="/t/<int:township_id>/settings")
