"""The service hall of a township: catalogue and cases."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("windows", __name__, url_prefix="/t/<int:township_id>/hall")
