"""The subsidy side's receivers: a new township starts with the starter catalogue of policies."""
from __future__ import annotations

from sqlalchemy import inspect

from threeassets.core import hooks


@hooks.township_created.connect
def _starter_policies(township, *, session, actor=None) -> None:
    """A new agency's catalogue holds the national programmes (editable by the head afterwards). On a schema older
    than migration 0012 (an upgrade's tests build old books with today's code) there is no catalogue yet: that
    migration seeds every township it finds."""
    if not inspect(session.connection()).has_table("subsidy_policy"):
        return
    from threeassets.subsidies.catalogue import ensure_default_policies
    ensure_default_policies(session, township, actor=actor)
