"""Tenancy: one way to load a village's row. Who may open which village is auth.access's job."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.exceptions import NotFound


def get_owned(session, model, row_id: int, village_id: int, options=()):
    """Return the village's row or raise NotFound: another village's row looks missing. `options`: loader
    options (what the caller will read of its relations, loaded with it)."""
    row = session.scalar(select(model).where(model.id == row_id, model.village_id == village_id).options(*options))
    if row is None:
        raise NotFound()
    return row
