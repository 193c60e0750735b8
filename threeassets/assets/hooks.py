"""The registers' receivers: an asset card's files (photos, invoices) are read by those who may read the registers."""
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
