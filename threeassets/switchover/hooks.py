"""The switch-over's receivers: the 会计报表附注 says when a village's opening balances came from the switch."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.statement_notes.connect
def _notes(_sender, *, session, village_ids, ym) -> dict | None:
    """{"switched": True} for one village whose openings the 2004 → 2023 switch-over saved."""
    if len(village_ids) != 1:
        return None
    from threeassets.switchover.service import switched_openings
    return {"switched": True} if switched_openings(session, village_ids[0]) is not None else None
