"""The registers' receivers: an asset card's files (photos, invoices) are read by those who may read the registers;
the fixed assets' part of the 会计报表附注."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.attachment_owner.connect
def _asset_file(attachment, *, session, role) -> str | bool | None:
    """An asset card's files open with the card: registers.read."""
    if attachment.owner_type != "asset":
        return None
    from sqlalchemy import select

    from threeassets.assets.models import Asset
    found = session.scalar(select(Asset.id).where(Asset.id == attachment.owner_id,
                                                  Asset.village_id == attachment.village_id))
    return "registers.read" if found is not None else False


@hooks.statement_notes.connect
def _notes(_sender, *, session, village_ids, ym) -> dict:
    """Fixed assets by card category and the cards' facts for the policy text."""
    from threeassets.assets.notes import notes_parts
    return notes_parts(session, village_ids, ym)
