"""PostgreSQL, keys checked per row: an import into a table whose statistics say it is empty while it is not
(ANALYZE ran when its pages held only dead rows: an import rolled back, drafts deleted) brings the statistics up
to date before the foreign keys into it are checked. Without that, every line's check of its voucher read the
whole voucher table: a 25,000-voucher import took minutes instead of seconds."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import PG_URL
from tests.integration.conftest import voucher_file
from threeassets.core.db import analyze_if_believed_smaller
from threeassets.ledger.importer import import_vouchers, write

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL's planner statistics")


def _stats(session, table: str) -> tuple[float, int]:
    return tuple(session.execute(text("SELECT reltuples, relpages FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                                 {"t": table}).one())


def _key_check_plan(session) -> str:
    """The plan PostgreSQL's foreign-key trigger would use to find a line's voucher (a generic plan, as the
    trigger's saved statement gets)."""
    session.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    session.execute(text("PREPARE key_check(int, int) AS SELECT 1 FROM ONLY voucher x"
                         " WHERE id = $1 AND village_id = $2 FOR KEY SHARE OF x"))
    try:
        return "\n".join(session.scalars(text("EXPLAIN EXECUTE key_check(1, 1)")))
    finally:
        session.execute(text("DEALLOCATE key_check"))


def test_an_import_into_a_table_believed_empty_checks_its_keys_by_index(session, world, tmp_path, monkeypatch):
    monkeypatch.setattr(write, "may_skip_row_checks", lambda conn: False)  # the per-row path: a role without SET
    import_vouchers(session, voucher_file(tmp_path, world.a1.code, 40, "rolled-back.csv"), post=True)
    session.rollback()  # the voucher table's pages now hold only dead rows
    session.execute(text("ANALYZE voucher"))
    session.commit()
    tuples, pages = _stats(session, "voucher")
    assert tuples == 0 and pages > 0
    assert "pk_voucher" not in _key_check_plan(session)  # the trap is real: a scan of the table or of the village
    session.rollback()

    import_vouchers(session, voucher_file(tmp_path, world.a1.code, 300, "history.csv"), post=True)
    tuples, _pages = _stats(session, "voucher")
    assert tuples >= 300  # analysed inside the import, before its lines' vouchers were checked
    plan = _key_check_plan(session)
    assert "pk_voucher" in plan and "Seq Scan" not in plan
    session.commit()


def test_statistics_that_know_the_table_are_left_alone(session, world, tmp_path):
    import_vouchers(session, voucher_file(tmp_path, world.a1.code, 30, "first.csv"), post=True)
    session.commit()
    session.execute(text("ANALYZE voucher"))
    conn = session.connection()
    assert analyze_if_believed_smaller(conn, "voucher", 30) is False
    assert analyze_if_believed_smaller(conn, "voucher", 31) is True
    session.rollback()


def _believed_empty(session, tables: tuple[str, ...]) -> None:
    """Leave the tables as an import rolled back and an autovacuum after it leave them: dead pages, 0 rows."""
    session.execute(text("; ".join(f"ANALYZE {t}" for t in tables)))
    session.commit()
    for table in tables:
        tuples, pages = _stats(session, table)
        assert tuples == 0 and pages > 0, table
    session.rollback()


def test_after_an_import_the_tables_it_filled_are_not_believed_empty(session, world, tmp_path):
    """What the caller reads next in the same transaction (the demo's closings and notices, a clerk's report after
    the import commits) is planned for the rows there: with the tables believed empty, the trial balance's
    joins of turnover and balances became nested scans (the demo's notices took minutes)."""
    filled = ("voucher", "voucher_line", "account_turnover")
    import_vouchers(session, voucher_file(tmp_path, world.a1.code, 40, "rolled-back.csv"), post=True)
    session.rollback()
    _believed_empty(session, filled)

    import_vouchers(session, voucher_file(tmp_path, world.a1.code, 300, "history.csv"), post=True)
    counts = {t: session.scalar(text(f"SELECT count(*) FROM {t}")) for t in filled}
    assert counts["voucher"] == 300 and counts["account_turnover"] > 0
    for table in filled:
        assert _stats(session, table)[0] >= counts[table], table
    session.commit()


def test_the_demo_plans_its_notices_for_its_year_of_books(session, tmp_path):
    from threeassets.demo.loader import BOOK_TABLES, load_demo
    load_demo(session)
    session.rollback()  # a demo that failed: every table of the books holds dead rows only
    _believed_empty(session, BOOK_TABLES)

    load_demo(session)
    for table in BOOK_TABLES:
        rows = session.scalar(text(f"SELECT count(*) FROM {table}"))
        assert rows > 0 and _stats(session, table)[0] >= rows / 2, table  # (registers add accounts after)
    session.rollback()
