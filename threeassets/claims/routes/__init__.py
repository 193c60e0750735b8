"""Claim pages: the blueprints and the helpers their views share. The views live beside this file: claims.py (a
village's claims: list, form, page, receipts, submit, delete), inbox.py (the township window's inbox of submitted
claims and 接件) and oversight.py (the agency head's 督办看板 and its workbook).

`bp` serves a village's claim pages under /v/<village_id>/claims (village_view decides 404/403); `township_bp`
serves the township's pages under /t/<township_id>. The view modules are imported at the bottom so they attach
to these blueprints when the app imports this package.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from threeassets.auth.rules import permissions_of
from threeassets.claims.models import Claim
from threeassets.claims.rules import (
    INVOICE_TYPES,
    PAY_METHODS,
    PAYEE_KINDS,
    STATUS_LABELS,
    STATUSES,
    claim_actions,
    hidden_from,
    sees_drafts,
)
from threeassets.core.db import db
from threeassets.core.masking import mask_text
from threeassets.core.pagination import search_filters
from threeassets.core.tenancy import get_owned

bp = Blueprint("claims", __name__, url_prefix="/v/<int:village_id>/claims")
township_bp = Blueprint("claims_township", __name__, url_prefix="/t/<int:township_id>")
BLUEPRINTS = (bp, township_bp)
LABELS = {"STATUS": STATUS_LABELS, "INVOICE": INVOICE_TYPES, "PAY": PAY_METHODS, "PAYEE": PAYEE_KINDS}


@bp.app_template_filter("mask_account")
def _mask(value: str) -> str:
    """A payee's bank and account as pages show it: the bank's name kept, the number's last four digits only."""
    return mask_text(value or "")


def page_size() -> int:
    """Rows per list page (configurable for tests)."""
    return current_app.config.get("PAGE_SIZE", 20)


def case_url(case) -> str | None:
    """The service hall's page of a case, when the hall serves one."""
    try:
        return url_for("windows.case", township_id=case.township_id, case_id=case.id)
    except BuildError:
        return None


def visible_claim(village_id: int, claim_id: int) -> Claim:
    """The village's claim, if the current user may see it: a draft is missing (404) outside the village."""
    claim = get_owned(db.session, Claim, claim_id, village_id)
    if hidden_from(claim.status, current_user.role):
        abort(404)
    return claim


def filtered(q, args):
    """Apply ?status=, ?q= (number or payee) and ?white=1 to a claim query; drafts only for the village's users."""
    if not sees_drafts(current_user.role):
        q = q.where(Claim.status != "draft")
    q = search_filters(q, args, {"status": (Claim.status, STATUSES)}, (Claim.number, Claim.payee))
    if args.get("white") == "1":
        q = q.where(Claim.white_slip.is_(True))
    return q


def actions_of(rows) -> dict[int, list[str]]:
    """claim id → what the current user may do to it (claims.rules.claim_actions), for a list page."""
    mine = permissions_of(current_user.role)
    return {c.id: claim_actions(c.status, mine) for c in rows}


from threeassets.claims.routes import claims, inbox, oversight  # noqa: E402, F401  (their views join the blueprints)
