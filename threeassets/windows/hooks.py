"""The service hall's receivers: a new township opens its hall with the default catalogue; and every app's
working-day clock reads the holiday arrangements the administrator entered."""
from __future__ import annotations

from threeassets.core import hooks
from threeassets.windows import workdays


def _bound_engine():
    """The database bound now (None before an app binds one)."""
    from threeassets.core.db import db
    return db.engine


def _read_entered(engine):
    """The entered years of that database."""
    from threeassets.windows.holidays import read_entered
    return read_entered(engine)


workdays.use_loader(_bound_engine, _read_entered)


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
