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
