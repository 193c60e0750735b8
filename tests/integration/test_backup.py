"""`threeassets backup` and `threeassets restore`: a consistent copy taken while another process posts, brought
back into an empty database, verifies and balances; refusals say why in one line and write nothing.

Runs on the test database: an SQLite file, or PostgreSQL (pg_dump/pg_restore) when TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.dburl import beside
from tests.load import Posting, check_books, posted_count, wait_for_postings
from threeassets.core.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from threeassets.cli import main; sys.exit(main())"


def cli(url: str, instance: Path, *args: str, direct: str | None = None) -> subprocess.CompletedProcess:
    """Run the `threeassets` console script on a database, as an operator would (direct: the database
    THREEASSETS_DIRECT_DATABASE_URL names)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "TEST_DATABASE_URL", "THREEASSETS_DIRECT_DATABASE_URL")}
    env.update(DATABASE_URL=url, THREEASSETS_INSTANCE=str(instance))
    if direct is not None:
        env["THREEASSETS_DIRECT_DATABASE_URL"] = direct
    return subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def refused(done: subprocess.CompletedProcess, words: str) -> bool:
    """Exit status 1 and one line on stderr naming the reason."""
    lines = done.stderr.strip().splitlines()
    return done.returncode == 1 and len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0]


@pytest.fixture
def instance(tmp_path) -> Path:
    return tmp_path / "instance"


@pytest.fixture
def fresh_url(db_url, tmp_path):
    """A database with nothing in it to restore into: a new SQLite path, or a new PostgreSQL database."""
    if not db_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    target, url = beside(db_url, "restored")
    engine = make_engine(db_url)

    def recreate(create: bool) -> None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            if create:
                conn.execute(text(f'CREATE DATABASE "{target}"'))
    recreate(True)
    yield url
    recreate(False)
    engine.dispose()


@pytest.mark.slow
def test_a_backup_taken_while_posting_restores_whole_books(db_url, session, world, tmp_path, instance, fresh_url):
    village = world.a1
    users = {"preparer": world.user("accountant").id, "reviewer": world.user("reviewer").id,
             "poster": world.user("accountant2").id}
    session.rollback()
    file = tmp_path / "books.backup"
    with Posting(db_url, village.id, users, tmp_path / "stop") as posting:
        before = wait_for_postings(db_url, 20)
        taken = cli(db_url, instance, "backup", str(file))
        after = posted_count(db_url)
    assert taken.returncode == 0, taken.stderr
    assert after > before, "the poster did not post while the backup ran"
    assert file.exists() and not Path(f"{file}.part").exists()
    assert stat.S_IMODE(file.stat().st_mode) == 0o600

    brought = cli(fresh_url, instance, "restore", str(file))
    assert brought.returncode == 0, brought.stderr
    chain = cli(fresh_url, instance, "verify-chain")
    assert chain.returncode == 0, chain.stderr
    restored = check_books(fresh_url, village.id, village.code)
    assert before <= restored <= after <= posting.total
    assert f"chain intact: {restored} posted vouchers verified" in chain.stdout
    if fresh_url.startswith("sqlite"):
        assert stat.S_IMODE(os.stat(fresh_url.removeprefix("sqlite:///")).st_mode) == 0o600
    assert check_books(db_url, village.id, village.code) == posting.total  # the source kept going


@pytest.fixture
def backup_file(db_url, world, session, tmp_path, instance) -> Path:
    """A backup of the world (two townships, users, charts)."""
    session.rollback()
    file = tmp_path / "world.backup"
    done = cli(db_url, instance, "backup", str(file))
    assert done.returncode == 0, done.stderr
    return file


def test_restore_into_a_database_init_db_made(backup_file, fresh_url, instance):
    assert cli(fresh_url, instance, "init-db").returncode == 0  # schema, no rows: empty
    done = cli(fresh_url, instance, "restore", str(backup_file))
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout and "schema revision" in done.stdout
    assert cli(fresh_url, instance, "init-db").returncode == 0  # the restored copy is at the newest revision


def _counts(url: str) -> dict[str, int]:
    """Rows of a few tables of a database."""
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in ("village", "user_account", "account")}
    engine.dispose()
    return out


def test_backup_and_restore_go_to_the_direct_url_when_one_is_set(db_url, world, session, tmp_path, instance,
                                                                   fresh_url):
    # DATABASE_URL names a database nobody can reach (as a pooler's would be the wrong way): both commands work on
    # the one THREEASSETS_DIRECT_DATABASE_URL names, and say so by the name they print.
    session.rollback()
    unusable = ("postgresql://nobody:x@127.0.0.1:1/none" if db_url.startswith("postgresql")
                else f"sqlite:///{tmp_path / 'absent' / 'none.db'}")
    file = tmp_path / "direct.backup"
    taken = cli(unusable, instance, "backup", str(file), direct=db_url)
    assert taken.returncode == 0, taken.stderr
    assert "nobody" not in taken.stdout and "none.db" not in taken.stdout  # the database named is the direct one
    assert file.exists()
    brought = cli(unusable, instance, "restore", str(file), direct=fresh_url)
    assert brought.returncode == 0, brought.stderr
    assert _counts(fresh_url) == _counts(db_url) and _counts(db_url)["village"] > 0
    # without it, the same commands use DATABASE_URL, and refuse what it names
    assert cli(unusable, instance, "backup", str(tmp_path / "none.backup")).returncode == 1


def test_restore_refuses_a_database_holding_rows(backup_file, db_url, session, instance):
    from threeassets.orgs.models import Village
    session.rollback()
    villages = session.scalar(select(func.count()).select_from(Village))
    done = cli(db_url, instance, "restore", str(backup_file))
    assert refused(done, "is not empty") and "restore only into an empty database" in done.stderr
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Village)) == villages


def test_restore_refuses_what_is_not_a_backup(fresh_url, tmp_path, instance):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database\n")
    assert refused(cli(fresh_url, instance, "restore", str(junk)), "is not a backup made by `threeassets backup`")
    assert refused(cli(fresh_url, instance, "restore", str(tmp_path / "missing")), "cannot read")
    if fresh_url.startswith("sqlite"):
        assert not Path(fresh_url.removeprefix("sqlite:///")).exists()  # nothing written, not even a file


def test_restore_refuses_a_backup_of_the_other_kind(backup_file, tmp_path, instance, db_url):
    other = "postgresql://nobody@127.0.0.1:1/none" if db_url.startswith("sqlite") else \
        f"sqlite:///{tmp_path / 'other.db'}"
    assert refused(cli(other, instance, "restore", str(backup_file)), "backup; the configured database is")


def test_backup_never_overwrites_a_file(db_url, world, session, tmp_path, instance):
    session.rollback()
    file = tmp_path / "kept.backup"
    file.write_bytes(b"last night's backup")
    assert refused(cli(db_url, instance, "backup", str(file)), "exists; a backup never overwrites a file")
    assert file.read_bytes() == b"last night's backup" and not Path(f"{file}.part").exists()


def test_backup_of_a_missing_sqlite_database_creates_nothing(tmp_path, instance):
    url = f"sqlite:///{tmp_path / 'nothing.db'}"
    assert refused(cli(url, instance, "backup", str(tmp_path / "b")), "no database at")
    assert not (tmp_path / "nothing.db").exists() and not (tmp_path / "b").exists()


def test_a_plain_copy_of_a_live_sqlite_database_loses_commits(db_url, world, session, tmp_path):
    """Why docs/deployment.md forbids copying the file: committed rows still in the -wal file are not in it."""
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's files")
    from threeassets.core.backup import backup
    from threeassets.core.db import transaction
    from threeassets.orgs.service import upsert_village
    path = db_url.removeprefix("sqlite:///")
    with transaction(session):  # a commit that lands in the -wal file
        upsert_village(session, world.township_a, "A9", "甲九村")
    session.execute(text("SELECT 1"))  # the app's connection stays open, as a running server's does
    shutil.copy(path, tmp_path / "copy.db")
    backup(db_url, tmp_path / "backup.db")
    counts = {}
    for name in ("copy.db", "backup.db"):
        engine = make_engine(f"sqlite:///{tmp_path / name}")
        with engine.connect() as conn:
            counts[name] = conn.scalar(text("SELECT count(*) FROM village"))
        engine.dispose()
    assert counts == {"copy.db": 3, "backup.db": 4}


def test_backup_without_pg_dump_says_so_and_writes_nothing(tmp_path, monkeypatch):
    from threeassets.core import backup as mod
    monkeypatch.setattr(mod.shutil, "which", lambda name: None)
    with pytest.raises(mod.BackupError, match=r"^pg_dump not found: install PostgreSQL's client programs"):
        mod.backup("postgresql://clerk:secret@127.0.0.1:5432/books", tmp_path / "b.dump")
    assert list(tmp_path.iterdir()) == []


def test_the_postgresql_password_goes_through_the_environment(tmp_path, monkeypatch):
    from threeassets.core import backup as mod
    calls = []
    monkeypatch.setattr(mod.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(mod.subprocess, "run", lambda args, env, **kw: calls.append((args, env)) or
                        subprocess.CompletedProcess(args, 0, "", ""))
    mod.backup("postgresql+psycopg://clerk:s3cr%40t@db.example:5433/books?sslmode=require", tmp_path / "b.dump")
    (args, env), = calls
    assert args[0] == "/usr/bin/pg_dump" and "--format=custom" in args
    assert "host=db.example port=5433 dbname=books user=clerk sslmode=require" in args
    assert not any("s3cr" in a for a in args) and env["PGPASSWORD"] == "s3cr@t"


def test_the_drivers_own_parameter_does_not_reach_pg_dump(tmp_path, monkeypatch):
    from threeassets.core import backup as mod
    calls = []
    monkeypatch.setattr(mod.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(mod.subprocess, "run", lambda args, env, **kw: calls.append(args) or
                        subprocess.CompletedProcess(args, 0, "", ""))
    mod.backup("postgresql://clerk:pw@127.0.0.1:6432/books?prepare_threshold=none&sslmode=disable",
               tmp_path / "b.dump")
    (args,) = calls
    assert "host=127.0.0.1 port=6432 dbname=books user=clerk sslmode=disable" in args


def test_a_parameter_with_a_space_reaches_pg_dump_as_libpq_reads_it(tmp_path, monkeypatch):
    from threeassets.core import backup as mod
    calls = []
    monkeypatch.setattr(mod.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(mod.subprocess, "run", lambda args, env, **kw: calls.append(args) or
                        subprocess.CompletedProcess(args, 0, "", ""))
    mod.backup("postgresql://clerk:pw@h/books?options=-c%20statement_timeout%3D0", tmp_path / "b.dump")
    (args,) = calls
    assert "host=h dbname=books user=clerk options='-c statement_timeout=0'" in args


def test_backup_refuses_a_prepare_threshold_that_does_not_read(tmp_path):
    from threeassets.core import backup as mod
    with pytest.raises(mod.BackupError, match=r"^database URL: prepare_threshold must be a whole number or none"):
        mod.backup("postgresql://clerk:pw@h/books?prepare_threshold=never", tmp_path / "b.dump")
    assert list(tmp_path.iterdir()) == []
