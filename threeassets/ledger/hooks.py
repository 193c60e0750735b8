"""The ledger's receivers: a new village gets the standard chart of accounts in the same transaction; a voucher's
files are read by those who may read the books."""
from __future__ import annotations

from threeassets.core import hooks


@hooks.village_created.connect
def _install_chart(village, *, session, actor=None) -> None:
    """A village starts with the 2023 chart's first-level accounts."""
    from threeassets.ledger.chart import install_chart
    install_chart(session, village.id)


@hooks.attachment_owner.connect
def _voucher_file(attachment, *, session, role) -> str | bool | None:
    """A voucher's files (receipts copied from a claim, scans) open with the books: books.read."""
    if attachment.owner_type != "voucher":
        return None
    from sqlalchemy import select

    from threeassets.ledger.models import Voucher
    found = session.scalar(select(Voucher.id).where(Voucher.id == attachment.owner_id,
                                                    Voucher.village_id == attachment.village_id))
    return "books.read" if found is not None else False
