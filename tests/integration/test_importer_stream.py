"""The command line's streamed voucher import (read_vouchers → LineFile), with batches, line flushes and id
blocks made tiny so a small file crosses many of each: lines of one voucher far apart, a village first named in
a later batch, a file refused after its lines were written (nothing left), and normal posting running beside an
import (numbers stay gapless). Runs on SQLite, and on PostgreSQL (COPY) when TEST_DATABASE_URL is set."""
from __future__ import annotations

import traceback
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from tests.integration.conftest import snapshot
from tests.spawned import clerks_session, run_spawned
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import transaction
from threeassets.ledger.chain import verify
from threeassets.ledger.importer import COLUMNS, LineFile, check, import_vouchers, read_vouchers, write
from threeassets.ledger.models import Voucher, VoucherCounter, VoucherLine

HEADER = ",".join(COLUMNS)


def csv_file(tmp_path, rows, name="凭证.csv", encoding="utf-8"):
    """A CSV on disk as Excel writes it (CRLF line ends)."""
    path = tmp_path / name
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding))
    return path


def voucher(village: str, ref: str, day: str, yuan: int, summary: str = "购买办公用品") -> list[str]:
    """The two lines of a balanced voucher."""
    return [f"{village},{day},{ref},{summary},513,{yuan}.00,", f"{village},{day},{ref},{summary},101,,{yuan}.00"]


def many(village: str, n: int, month: int = 5, first: int = 1) -> list[str]:
    """n vouchers of a village in one month, their days out of order."""
    rows = []
    for i in range(first, first + n):
        rows += voucher(village, f"{village}-{i}", f"2024-{month:02d}-{(i * 7) % 28 + 1:02d}", i)
    return rows


@pytest.fixture(autouse=True)
def tiny(monkeypatch):
    """Batches of 7 rows, lines written 5 at a time, voucher ids taken 3, then up to 8, at a time (not as many
    as the file could hold at once)."""
    monkeypatch.setattr(check, "BATCH_ROWS", 7)
    monkeypatch.setattr(check, "STREAM_LINES", 5)
    monkeypatch.setattr(write, "ID_BLOCK_MIN", 3)
    monkeypatch.setattr(write, "ID_BLOCK_MAX", 8)
    monkeypatch.setattr(write, "ID_BLOCK_FIRST_MAX", 3)


def run(session, path, post=True):
    """Read a file as the command line does and import it in one transaction."""
    table = read_vouchers(path)
    assert isinstance(table, LineFile)  # streamed, not read whole
    with transaction(session):
        return import_vouchers(session, table, post=post)


def test_a_file_of_many_batches_imports_whole_numbered_by_date_and_chained(session, world, tmp_path):
    rows = many("A1", 30)
    first, last = voucher("A1", "SPLIT", "2024-05-02", 77, "分两处")  # one voucher's lines, far apart
    rows = [first, *rows[:20], *many("A2", 10), *rows[20:], last]  # A2 is first named in a later batch
    stats = run(session, csv_file(tmp_path, rows))
    assert (stats["vouchers"], stats["lines"], stats["villages"]) == (41, 82, 2)
    got = {v.source_ref: v for v in session.scalars(select(Voucher).where(Voucher.source_ref.is_not(None)))}
    split = got["SPLIT"]
    assert [(ln.line_no, ln.account.code, ln.debit, ln.credit) for ln in split.lines] == [
        (1, "513", Decimal("77.00"), Decimal("0")), (2, "101", Decimal("0"), Decimal("77.00"))]
    for village in (world.a1, world.a2):
        mine = sorted((v for v in got.values() if v.village_id == village.id), key=lambda v: v.number)
        assert [v.number for v in mine] == list(range(1, len(mine) + 1))
        assert [v.voucher_date for v in mine] == sorted(v.voucher_date for v in mine)  # numbered in date order
        assert {v.status for v in mine} == {"posted"}
        assert session.get(VoucherCounter, (village.id, 202405)).last == len(mine)
    assert len({v.id for v in got.values()}) == 41
    problems, checked = verify(session)
    assert problems == [] and checked == 41


def test_streamed_and_whole_reads_import_the_same_books(session, world, tmp_path):
    rows = many("A1", 12)
    path = csv_file(tmp_path, rows, encoding="gbk")  # the encoding is found by a scan of the whole file
    run(session, path, post=False)
    streamed = session.execute(select(Voucher.source_ref, VoucherLine.line_no, VoucherLine.summary,
                                      VoucherLine.debit, VoucherLine.credit).join(VoucherLine.voucher)
                               .order_by(Voucher.source_ref, VoucherLine.line_no)).all()
    whole = read_table(path.read_bytes(), path.name, COLUMNS)
    assert [(n, [row[c] for c in COLUMNS]) for n, row in whole.rows][:2] == [
        (2, ["A1", "2024-05-08", "A1-1", "购买办公用品", "513", "1.00", ""]),
        (3, ["A1", "2024-05-08", "A1-1", "购买办公用品", "101", "", "1.00"])]
    assert len(streamed) == len(whole.rows) == 24
    assert {r.summary for r in streamed} == {"购买办公用品"}


def test_a_file_takes_its_voucher_ids_in_one_block_as_large_as_it_can_need(session, world, tmp_path, monkeypatch):
    """PostgreSQL: the first id block holds the file's rows // 2 + 1 ids (no voucher has fewer than two lines),
    so the file's COPY is not stopped for more ids; the ids left over are skipped."""
    if session.bind.dialect.name != "postgresql":
        pytest.skip("voucher ids come from a sequence on PostgreSQL")
    monkeypatch.setattr(write, "ID_BLOCK_FIRST_MAX", 500_000)
    blocks = []
    monkeypatch.setattr(write._IdBlocks, "__init__", spy_init(write._IdBlocks.__init__, blocks))
    run(session, csv_file(tmp_path, many("A1", 20)))  # 40 rows: at most 20 vouchers, a block of 21
    ids = sorted(session.scalars(select(Voucher.id).where(Voucher.source_ref.is_not(None))))
    assert blocks == [21]
    assert ids == list(range(ids[0], ids[0] + 20))
    nxt = session.scalar(text("SELECT nextval(pg_get_serial_sequence('voucher', 'id'))"))
    assert nxt == ids[0] + 21  # the one id left over was skipped


def spy_init(init, sizes):
    """An _IdBlocks.__init__ that notes the size of the first block."""
    def spied(self, *args, **kw):
        init(self, *args, **kw)
        sizes.append(self.size)
    return spied


def test_ids_not_in_one_run_are_used_as_the_sequence_gave_them(session, world, tmp_path):
    """PostgreSQL: when other sessions take values of the sequence while a block is drawn, the block is not one
    run of numbers; the import uses the values it got (here the sequence steps by 3, as if two other sessions
    drew between each of ours)."""
    if session.bind.dialect.name != "postgresql":
        pytest.skip("voucher ids come from a sequence on PostgreSQL")
    seq = session.scalar(text("SELECT pg_get_serial_sequence('voucher', 'id')"))
    with transaction(session):
        session.execute(text(f"ALTER SEQUENCE {seq} INCREMENT BY 3"))
    try:
        run(session, csv_file(tmp_path, many("A1", 12)))
        ids = sorted(session.scalars(select(Voucher.id).where(Voucher.source_ref.is_not(None))))
        assert ids == list(range(ids[0], ids[0] + 3 * 12, 3))
        problems, checked = verify(session)
        assert problems == [] and checked == 12
    finally:
        session.rollback()
        with transaction(session):
            session.execute(text(f"ALTER SEQUENCE {seq} INCREMENT BY 1"))


def test_a_nul_character_refuses_the_file_by_line_and_column(session, world, tmp_path):
    """A NUL would reach the database (PostgreSQL refuses it in any text, naming no line): the reader sees it in
    its scan and lets csvio word it."""
    rows = many("A1", 3)
    rows[3] = rows[3].replace("购买办公用品", "购买\x00办公用品")
    with pytest.raises(ImportError_) as exc:
        run_any(session, csv_file(tmp_path, rows))
    assert exc.value.errors == [("凭证.csv", 5, "summary", "含有非法字符（NUL，空字符），请删除后再导入")]
    assert session.scalar(select(func.count()).select_from(Voucher)) == 0


def run_any(session, path, post=True):
    """Import a file as the command line reads it, streamed or not."""
    with transaction(session):
        return import_vouchers(session, read_vouchers(path), post=post)


@pytest.mark.parametrize("bad, column", [
    ("A1,2024-05-03,LAST,收尾,513,1.00,", "voucher_ref"),  # a one-line voucher, found after the pass
    ("ZZ,2024-05-03,LAST,收尾,513,1.00,", "org_code"),  # an unknown village in the last batch
    ("A1,2024-06-03,A1-1,购买办公用品,513,1.00,", "date"),  # the first voucher's line with another date
])
def test_a_file_refused_after_its_lines_were_written_leaves_nothing(session, world, tmp_path, bad, column):
    rows = [*many("A1", 30), bad]  # line 62, after 60 lines went to the writer
    before = snapshot(session)
    with pytest.raises(ImportError_) as exc:
        run(session, csv_file(tmp_path, rows))
    assert [(e[1], e[2]) for e in exc.value.errors][:1] == [(62, column)]
    session.rollback()
    assert snapshot(session) == before
    assert session.scalar(select(func.count()).select_from(VoucherLine)) == before["voucher_line"]
    run(session, csv_file(tmp_path, many("A1", 30)))  # the clean file imports whole afterwards
    assert session.scalar(select(func.count()).select_from(Voucher).where(Voucher.village_id == world.a1.id)) == 30


def test_a_line_wider_than_the_header_in_a_later_batch_is_worded_as_csvio_words_it(session, world, tmp_path):
    rows = many("A1", 10)
    rows[14] += ",多余"
    path = csv_file(tmp_path, rows)
    with pytest.raises(ImportError_) as whole:
        read_table(path.read_bytes(), path.name, COLUMNS)
    before = snapshot(session)
    with pytest.raises(ImportError_) as streamed:
        run(session, path)
    assert streamed.value.errors == whole.value.errors == [(path.name, 16, "-", "列数(8)多于表头(7)")]
    session.rollback()
    assert snapshot(session) == before


# ---------------------------------------------------------------- an import beside normal posting

POSTS = 12
DAY = date(2024, 5, 15)


def _poster(url: str, village_id: int, user_ids: dict, barrier, results) -> None:
    """A clerk posting vouchers one by one in the month the import fills."""
    try:
        from threeassets.ledger import service
        from threeassets.ledger.rules import LineInput

        database, session, village, (preparer, reviewer, poster) = clerks_session(url, village_id, user_ids)
        barrier.wait(timeout=60)
        numbers = []
        for i in range(POSTS):
            value = Decimal(f"{i + 1}.50")
            with transaction(session):
                v = service.save_draft(session, village=village, actor=preparer, voucher_date=DAY, attachments=0,
                                       lines=[LineInput("手工凭证", "513", value, Decimal(0)),
                                              LineInput("手工凭证", "101", Decimal(0), value)])
                service.review(session, voucher=v, village=village, actor=reviewer)
                numbers.append(service.post(session, voucher=v, village=village, actor=poster))
        session.close()
        database.engine.dispose()
        results.put(("ok", numbers))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def _importer(url: str, path: str, barrier, results) -> None:
    """The command line's import of a file, in its own process."""
    try:
        from threeassets.core.db import Database
        from threeassets.ledger import importer
        importer.check.BATCH_ROWS, importer.check.STREAM_LINES = 7, 5
        importer.write.ID_BLOCK_MIN, importer.write.ID_BLOCK_MAX, importer.write.ID_BLOCK_FIRST_MAX = 3, 8, 3
        import threeassets.models_registry  # noqa: F401  (every mapper, as in the app)

        database = Database()
        database.bind(url)
        session = database.session()
        table = importer.read_vouchers(path)
        barrier.wait(timeout=60)
        with transaction(session):
            stats = importer.import_vouchers(session, table, post=True)
        session.close()
        database.engine.dispose()
        results.put(("ok", [("import", stats["vouchers"])]))
    except BaseException:
        results.put(("error", traceback.format_exc()))


@pytest.mark.slow
def test_an_import_beside_normal_posting_keeps_numbers_gapless_and_the_chain_whole(db_url, session, world,
                                                                                 tmp_path):
    path = csv_file(tmp_path, many("A1", 40))
    users = {"preparer": world.user("accountant").id, "reviewer": world.user("reviewer").id,
             "poster": world.user("accountant2").id}
    session.rollback()
    got = run_spawned(_dispatch, [("post", db_url, world.a1.id, users), ("import", db_url, str(path))])
    assert ("import", 40) in got
    session.rollback()
    numbers = sorted(session.scalars(select(Voucher.number).where(Voucher.village_id == world.a1.id,
                                                                  Voucher.ym == 202405)))
    assert numbers == list(range(1, 40 + POSTS + 1))
    assert session.get(VoucherCounter, (world.a1.id, 202405)).last == 40 + POSTS
    problems, checked = verify(session, world.a1.code)
    assert problems == [] and checked == 40 + POSTS


def _dispatch(kind: str, *args) -> None:
    """run_spawned calls one target: the poster or the importer."""
    (_poster if kind == "post" else _importer)(*args)
