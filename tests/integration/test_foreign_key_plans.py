"""SQLite takes the whole-key index for every lookup a voucher insert makes into the tables that reference
voucher, while foreign keys are deferred (as the import runs): through a village's index it would read the
village's every row per voucher, which hung a re-import of 25,000 vouchers."""
import re

import pytest
from sqlalchemy import text

VOUCHER = ("INSERT INTO voucher (id, village_id, ym, voucher_date, number, status, attachments, total, "
           "created_at) VALUES (1, 1, 202601, '2026-01-01', 1, 'posted', 0, 0, '2026-01-01')")


def _child_lookups(conn) -> list[str]:
    """The index each parent-side foreign-key lookup of the insert opens (after each FkIfZero)."""
    pages = dict(conn.execute(text("SELECT rootpage, name FROM sqlite_master WHERE type = 'index'")).all())
    program = conn.execute(text("EXPLAIN " + VOUCHER)).all()
    opened, after_check = [], False
    for _addr, opcode, _p1, p2, *_rest in program:
        if opcode == "FkIfZero":
            after_check = True
        elif opcode == "OpenRead" and after_check and p2 in pages:
            opened.append(pages[p2])
            after_check = False
    return opened


def test_every_lookup_from_a_voucher_takes_its_whole_key_index(app, db_url):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's planner and its deferred foreign keys")
    from threeassets.core.db import make_engine
    engine = make_engine(db_url)
    with engine.connect() as conn:
        conn.exec_driver_sql("SAVEPOINT plan")  # in a transaction, as the import is: the pragma lasts until its end
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        columns = {name: [r[2] for r in conn.exec_driver_sql(f"PRAGMA index_info('{name}')").all()]
                   for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        keys = {(table, tuple(r[3] for r in conn.exec_driver_sql(f"PRAGMA foreign_key_list('{table}')").all()
                              if r[2] == "voucher" and r[0] == fk))
                for (table,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")
                for fk in {r[0] for r in conn.exec_driver_sql(f"PRAGMA foreign_key_list('{table}')").all()
                           if r[2] == "voucher"}}
        opened = _child_lookups(conn)
        conn.rollback()
    engine.dispose()
    assert len(opened) == len(keys) >= 5  # lines, reversals, claims, installments, receipts, asset changes
    leads = {tuple(sorted(columns[name][:2])) for name in opened}
    assert leads == {tuple(sorted(cols)) for _table, cols in keys}, (opened, keys)
    assert "ix_voucher_line_voucher" in opened and not any(re.search(r"village_(account|status)", n) for n in opened)
