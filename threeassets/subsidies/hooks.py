"""The subsidy side's receivers: a new township starts with the starter catalogue of policies."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.township_created.connect
def _starter_policies(township, *, session, actor=None) -> None:
    """A new agency's catalogue holds the national programmes (editable by the head afterwards)."""
    from threeassets.subsidies.catalogue import ensure_default_policies
    ensure_default_policies(session, township, actor=actor)
