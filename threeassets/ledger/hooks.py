"""The ledger's receivers: a new village gets the standard chart of accounts in the same transaction."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.village_created.connect
def _install_chart(village, *, session, actor=None) -> None:
    """A village starts with the 2023 chart's first-level accounts."""
    from threeassets.ledger.chart import install_chart
    install_chart(session, village.id)
