"""The service hall's receivers: a new township opens its hall with the default catalogue."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.service_items.connect
def _item_names(township_id, *, session) -> dict:
    """The township's service items by code: their names, for pages of features below the hall."""
    from threeassets.windows.catalogue import items_of
    return {item.code: item.name for item in items_of(session, township_id)}


@hooks.township_created.connect
def _default_catalogue(township, *, session, actor=None) -> None:
    """A new agency opens its service hall with the default catalogue (editable by the head afterwards)."""
    from threeassets.windows.catalogue import ensure_default_catalogue
    ensure_default_catalogue(session, township, actor=actor)
