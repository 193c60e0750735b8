"""Month and year close pages of a village."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("closing", __name__, url_prefix="/v/<int:village_id>/closing")
