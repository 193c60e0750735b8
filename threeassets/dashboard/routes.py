"""Dashboards of a village and of a township."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dashboard", __name__)
