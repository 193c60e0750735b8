"""The COPY text the PostgreSQL import writes itself (importer/write.py), without a database: what it gives for
plain rows, and that rows needing escapes or holding NULLs are left to psycopg."""
from __future__ import annotations

from datetime import date, datetime

from threeassets.ledger.bulk_posting import V_SQL
from threeassets.ledger.importer.check import L_SQL
from threeassets.ledger.importer.write import _copy_text

STAMP = datetime(2026, 12, 7, 9, 30, 1, 250)


def voucher_row(ref="A1-7", **changes):
    """A posted voucher's row in COPY_SQL[V_SQL]'s column order, as bulk_posting.numbered_rows gives it."""
    row = dict(id=41, village_id=3, ym=202405, voucher_date=date(2024, 5, 8), number=7, status="posted",
               attachments=0, total=35650, preparer_id=2, created_at=STAMP, posted_at=STAMP, source_ref=ref,
               chain_seq=9, prev_hash="", hash="ab" * 32)
    return tuple((row | changes).values())


def test_lines_are_tab_separated_integers_and_the_summary():
    rows = [(3, 41, 1, "收到 租金|押金", 12, 35650, 0), (3, 41, 2, "冲销", 13, 0, 35650)]
    assert _copy_text(L_SQL, rows) == "3\t41\t1\t收到 租金|押金\t12\t35650\t0\n3\t41\t2\t冲销\t13\t0\t35650\n"


def test_a_voucher_row_gives_iso_dates_and_times_and_an_empty_first_link():
    assert _copy_text(V_SQL, [voucher_row()]) == (
        "41\t3\t202405\t2024-05-08\t7\tposted\t0\t35650\t2\t2026-12-07 09:30:01.000250\t"
        f"2026-12-07 09:30:01.000250\tA1-7\t9\t\t{'ab' * 32}\n")


def test_text_that_copy_would_read_as_an_escape_is_left_to_psycopg():
    for summary in ("a\\b", "a\tb", "a\nb", "a\rb"):
        assert _copy_text(L_SQL, [(3, 41, 1, "好", 12, 1, 0), (3, 41, 2, summary, 13, 0, 1)]) is None
        assert _copy_text(V_SQL, [voucher_row(), voucher_row(ref=summary)]) is None


def test_nulls_in_the_same_columns_of_every_row_are_written_as_copy_nulls():
    no_actor = voucher_row(preparer_id=None)
    assert _copy_text(V_SQL, [no_actor, no_actor]) == 2 * (
        "41\t3\t202405\t2024-05-08\t7\tposted\t0\t35650\t\\N\t2026-12-07 09:30:01.000250\t"
        f"2026-12-07 09:30:01.000250\tA1-7\t9\t\t{'ab' * 32}\n")
    draft = voucher_row(number=None, preparer_id=None, posted_at=None, chain_seq=None, prev_hash=None, hash=None)
    assert _copy_text(V_SQL, [draft]) == (
        "41\t3\t202405\t2024-05-08\t\\N\tposted\t0\t35650\t\\N\t2026-12-07 09:30:01.000250\t"
        "\\N\tA1-7\t\\N\t\\N\t\\N\n")


def test_nulls_in_different_columns_of_a_batch_are_left_to_psycopg():
    assert _copy_text(V_SQL, [voucher_row(), voucher_row(preparer_id=None)]) is None
    assert _copy_text(V_SQL, [voucher_row(preparer_id=None), voucher_row()]) is None
    assert _copy_text(V_SQL, [voucher_row(preparer_id=None), voucher_row(number=None)]) is None
