"""Disclosure notices of a village."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("disclosure", __name__, url_prefix="/v/<int:village_id>/disclosure")
