"""The ledger's pages: a village's vouchers (vouchers.py) and chart of accounts (accounts.py), and a township's
voucher import (imports.py). The blueprints are made here; each module adds its views to them."""
from __future__ import annotations

from flask import Blueprint

from threeassets.ledger.rules import STATUS_LABELS

bp = Blueprint("ledger", __name__, url_prefix="/v/<int:village_id>")
imports_bp = Blueprint("imports", __name__, url_prefix="/t/<int:township_id>/import")
BLUEPRINTS = (bp, imports_bp)


@bp.context_processor
def _voucher_labels():
    """The voucher pages name states in Chinese."""
    return {"STATUS_LABELS": STATUS_LABELS}


from threeassets.ledger.routes import accounts, imports, openings, vouchers  # noqa: E402, F401  (their views join the blueprints)
