"""Reimbursement claims of a village."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("claims", __name__, url_prefix="/v/<int:village_id>/claims")
