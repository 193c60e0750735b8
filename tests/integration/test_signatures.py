"""Who prepared, reviewed and posted a voucher, as printed; imported and generated vouchers say so."""
from datetime import date

from sqlalchemy import select

from threeassets.core.csvio import read_table
from threeassets.core.db import transaction
from threeassets.ledger.importer import COLUMNS, import_vouchers
from threeassets.ledger.models import Voucher
from threeassets.ledger.service import signatures


def test_entered_voucher_names_its_three_people(session, world, post_voucher):
    v = post_voucher(world.a1, date(2024, 5, 3), [("买文具", "513", "12.34", ""), ("买文具", "101", "", "12.34")])
    assert signatures(session, v) == ("accountant", "reviewer", "accountant2")


def test_imported_history_says_it_was_imported(session, world):
    body = ",".join(COLUMNS) + "\nA1,2024-03-05,H-1,历史,513,10.00,\nA1,2024-03-05,H-1,历史,101,,10.00\n"
    with transaction(session):
        import_vouchers(session, read_table(body.encode(), "h.csv", COLUMNS), post=True, actor=None)
    v = session.scalar(select(Voucher).where(Voucher.source_ref == "H-1"))
    assert signatures(session, v) == ("（历史导入）", "（历史导入）", "（历史导入）")
