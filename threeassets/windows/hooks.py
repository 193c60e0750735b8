"""The service hall's receivers: a new township opens its hall with the default catalogue."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.township_created.connect
def _default_catalogue(township, *, session, actor=None) -> None:
    """A new agency opens its service hall with the default catalogue (editable by the head afterwards)."""
    from threeassets.windows.catalogue import ensure_default_catalogue
    ensure_default_catalogue(session, township, actor=actor)
