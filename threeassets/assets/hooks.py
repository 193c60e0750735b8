"""The registers' receivers: an asset card's files (photos, invoices) are read by those who may read the registers;
the fixed assets' part of the 会计报表附注; a month does not close before its depreciation run."""
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


@hooks.close_blockers.connect
def _depreciation_not_run(village_id, *, session, ym) -> list[str] | None:
    """A month with cards that depreciate in it does not close before its depreciation run (计提折旧): closed, the
    month could no longer take it, and the cards would skip it."""
    from threeassets.assets.depreciation import preview
    from threeassets.core.money import fmt
    from threeassets.core.periods import ym_label
    p = preview(session, village_id, ym)
    if p.done_voucher is not None or not p.total:
        return None
    cards = sum(1 for r in p.rows if r.amount)
    return [f"{ym_label(ym)} 的固定资产折旧尚未计提（{cards} 张卡片共 {fmt(p.total)} 元），请先在“计提折旧”中计提"]
