"""The 2004 → 2023 chart switch-over pages."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("switchover", __name__, url_prefix="/v/<int:village_id>/switchover")
township_bp = Blueprint("switchover_township", __name__, url_prefix="/t/<int:township_id>/switchover")
