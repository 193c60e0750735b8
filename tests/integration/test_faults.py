"""kill -9 in the middle of writing the books: a process killed while it posts, or while it imports a large
file, leaves whole books behind (every voucher complete and balanced, numbers and chain gapless, turnover and the
trial balance agreeing with the lines), an import all or nothing, and the next posting carries on the numbers.

Runs on the test database: an SQLite file, or PostgreSQL when TEST_DATABASE_URL is set."""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.load import DAY, LINES, YM, _poster, check_books, posted_count, wait_for_postings
from threeassets.core.db import make_engine, transaction
from threeassets.ledger import service
from threeassets.ledger.models import Voucher
from threeassets.ledger.rules import LineInput

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from threeassets.cli import main; sys.exit(main())"
IMPORT_VOUCHERS = 25_000  # 100,000 lines: the import runs for seconds, long enough to be caught writing


def _clerks(world) -> dict:
    return {"preparer": world.user("accountant").id, "reviewer": world.user("reviewer").id,
            "poster": world.user("accountant2").id}


def _post_one(session, world) -> Voucher:
    """The next clerk's voucher, in the shape the load writes."""
    amounts = [("513", 1, 0), ("511", 2, 0), ("101", 0, 1), ("102", 0, 2)]
    lines = [LineInput("故障后继续记账", code, Decimal(d), Decimal(c)) for code, d, c in amounts]
    with transaction(session):
        v = service.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=DAY,
                               attachments=0, lines=lines)
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
        service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2"))
    return v


@pytest.mark.slow
def test_kill_9_while_posting_leaves_whole_books_and_numbering_carries_on(db_url, session, world, tmp_path):
    session.rollback()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(1), ctx.Queue()
    poster = ctx.Process(target=_poster, daemon=True,
                         args=(db_url, world.a1.id, _clerks(world), str(tmp_path / "never"), barrier, results))
    poster.start()
    try:
        wait_for_postings(db_url, 30)
    finally:
        os.kill(poster.pid, signal.SIGKILL)
        poster.join(30)
    assert poster.exitcode == -signal.SIGKILL
    time.sleep(0.5)  # PostgreSQL ends the killed client's transaction when it sees the connection gone

    whole = check_books(db_url, world.a1.id, world.a1.code)
    assert whole == posted_count(db_url) >= 30
    v = _post_one(session, world)
    assert v.number == whole + 1 and v.chain_seq == whole + 1
    assert check_books(db_url, world.a1.id, world.a1.code) == whole + 1


def _import_file(path: Path, code: str, vouchers: int) -> None:
    """A file of four-line vouchers on DAY, as another program's books would arrive."""
    with path.open("w", encoding="utf-8") as f:
        f.write("org_code,date,voucher_ref,summary,account_code,debit,credit\n")
        for n in range(1, vouchers + 1):
            a, b = f"{n}.{n % 100:02d}", f"{n * 3}.00"
            amounts = {"513": a, "511": b, "101": a, "102": b}
            for acc, debit in LINES:
                amount = amounts[acc]
                f.write(f"{code},{DAY.isoformat()},H{n},历史凭证{n},{acc},{amount if debit else ''},"
                        f"{'' if debit else amount}\n")


def _writing(url: str) -> bool:
    """Whether the importer has started writing its transaction: the SQLite write-ahead log has grown past the
    page cache, or a PostgreSQL backend holds a transaction id."""
    if url.startswith("sqlite"):
        wal = Path(url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 4_000_000
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()")))
    finally:
        engine.dispose()


RE_IMPORT_SECONDS = 180  # the re-import takes seconds; SQLite reading a village's lines per voucher took hours


@pytest.mark.slow
def test_kill_9_during_an_import_writes_nothing_and_the_file_imports_whole_after(db_url, session, world,
                                                                                  tmp_path):
    session.rollback()
    file = tmp_path / "history.csv"
    _import_file(file, world.a1.code, IMPORT_VOUCHERS)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env.update(DATABASE_URL=db_url, THREEASSETS_INSTANCE=str(tmp_path / "instance"))
    args = [sys.executable, "-c", CLI, "import", "vouchers", str(file), "--post"]
    importer = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not _writing(db_url):
        assert importer.poll() is None, "the import finished before it could be caught writing"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.02)
    importer.send_signal(signal.SIGKILL)
    importer.communicate(timeout=30)
    assert importer.returncode == -signal.SIGKILL
    time.sleep(0.5)

    assert posted_count(db_url, posted_only=False) == 0  # all or nothing: nothing
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=RE_IMPORT_SECONDS)
    assert done.returncode == 0, done.stderr
    assert check_books(db_url, world.a1.id, world.a1.code) == IMPORT_VOUCHERS
    v = _post_one(session, world)
    assert v.number == IMPORT_VOUCHERS + 1
    assert v.ym == YM
