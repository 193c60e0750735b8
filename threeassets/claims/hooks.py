"""The claims' receivers: the window's decision on a case that carries a village's claim decides the claim."""
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
