"""The claims' receivers: the window's decision on a case that carries a village's claim decides the claim; a
claim's receipts are read with the claim (a draft's only in its village)."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.case_accepted.connect
def _case_accepted(case, *, session, actor) -> None:
    """The window accepted the case: the claim's voucher draft is written with its receipts."""
    if case.claim_id is not None:
        from threeassets.claims.service import on_case_accepted
        on_case_accepted(session, case, actor)


@hooks.case_rejected.connect
def _case_rejected(case, *, session, actor, reason: str) -> None:
    """The window rejected the case: the claim goes back to the village with the reason."""
    if case.claim_id is not None:
        from threeassets.claims.service import on_case_rejected
        on_case_rejected(session, case, actor, reason)


@hooks.voucher_source.connect
def _claim_voucher(voucher, *, session) -> dict | None:
    """A voucher drafted from a claim links back to it, and its lines without a VAT invoice carry the 白条 mark
    (the claim's debit lines come first, in the claim's order)."""
    from flask import url_for
    from sqlalchemy import select

    from threeassets.claims.models import Claim
    from threeassets.claims.rules import PROPER_INVOICES
    claim = session.scalar(select(Claim).where(Claim.voucher_id == voucher.id, Claim.village_id == voucher.village_id))
    if claim is None:
        return None
    white = {n for n, line in enumerate(claim.lines, start=1) if line.invoice not in PROPER_INVOICES}
    return {"text": f"报账单 {claim.number}", "url": url_for("claims.show", village_id=claim.village_id,
                                                             claim_id=claim.id),
            "white_lines": white, "note": f"收款人 {claim.payee}，票据见附件"}


@hooks.attachment_owner.connect
def _claim_file(attachment, *, session, role) -> str | bool | None:
    """A claim's receipts open with the claim: claims.read, and a draft's only for the village's own users."""
    if attachment.owner_type != "claim":
        return None
    from sqlalchemy import select

    from threeassets.claims.models import Claim
    from threeassets.claims.rules import hidden_from
    status = session.scalar(select(Claim.status).where(Claim.id == attachment.owner_id,
                                                       Claim.village_id == attachment.village_id))
    return "claims.read" if status is not None and not hidden_from(status, role) else False
