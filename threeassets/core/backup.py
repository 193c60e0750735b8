"""`threeassets backup FILE` and `threeassets restore FILE`: a consistent copy of a live database, and its way
back into an empty one.

SQLite: the sqlite3 backup API copies every page under one read transaction, so the copy is the database as
of one commit even while clerks post (WAL lets the writers go on). A plain file copy is not: it misses what
still sits in the -wal file and can catch pages half-written (docs/deployment.md). PostgreSQL: pg_dump in its
custom format (one snapshot), pg_restore in one transaction. The password goes to both through the
environment (PGPASSWORD), never on a command line other users can read.

Empty (what restore accepts): no table of the target holds a row (the schema's version table aside), so a
new database and one just made by `init-db` are both empty. On PostgreSQL the target may hold no table the
backup lacks either: pg_restore replaces the backup's tables only, and a stray one would outlive the restore.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from threeassets.core.db import PREPARE_THRESHOLD, driver_options, make_engine, private_file

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
VERSION_TABLE = "alembic_version"  # rows of the schema, not of the books: never makes a database "not empty"
TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (\S+) (\S+) ")


class BackupError(Exception):
    """A backup or restore refused or failed; str() is the one-line reason. Nothing was written."""


def _url(database_url: str | URL) -> URL:
    """The database URL, refusing what these commands cannot copy."""
    try:
        driver_options(str(database_url))  # a bad prepare_threshold is refused here too, as make_engine would
    except ValueError as exc:
        raise BackupError(str(exc)) from None
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise BackupError("backup and restore need an SQLite database file or PostgreSQL")
    elif url.get_backend_name() != "postgresql":
        raise BackupError(f"backup and restore know SQLite and PostgreSQL, not {url.get_backend_name()}")
    return url


def _shown(url: URL) -> str:
    """The URL as printed in messages (no password)."""
    return url.render_as_string(hide_password=True)


def _kind(path: Path) -> str:
    """'sqlite' or 'postgresql' by the file's first bytes; refuses anything else."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is not a backup made by `threeassets backup`")


def _part(target: Path) -> Path:
    """A new private file beside the target to write into; the target appears only once it is complete."""
    if target.exists():
        raise BackupError(f"{target} exists; a backup never overwrites a file (give a new name, e.g. with the date)")
    if not target.parent.is_dir():
        raise BackupError(f"no folder {target.parent}")
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        private_file(str(part))
    except OSError as exc:
        raise BackupError(f"cannot write {part}: {exc.strerror}") from None
    return part


def _finish(part: Path, target: Path) -> None:
    """Flush the finished copy to disk and move it into place."""
    fd = os.open(part, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(part, target)


def backup(database_url: str | URL, target: str | Path) -> str:
    """Write a consistent copy of the database to target (a new file, mode 0600); returns a one-line summary."""
    url, target = _url(database_url), Path(target)
    part = _part(target)
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(url.database, part)
        else:
            _pg_backup(url, part)
        _finish(part, target)
    finally:
        part.unlink(missing_ok=True)
    return f"backup of {_shown(url)} written to {target} ({target.stat().st_size:,} bytes)"


def restore(database_url: str | URL, source: str | Path) -> str:
    """Bring a backup back into the configured database if it is empty; returns a one-line summary."""
    url, source = _url(database_url), Path(source)
    kind = _kind(source)
    if kind != url.get_backend_name():
        raise BackupError(f"{source} is a {kind} backup; the configured database is {url.get_backend_name()}")
    revision = _sqlite_restore(source, url.database) if kind == "sqlite" else _pg_restore(source, url)
    return f"restored {source} into {_shown(url)} (schema revision {revision})"


def _refuse_unless_empty(tables: dict[str, bool], where: str) -> None:
    """tables: name → holds a row. Refuse a database whose tables hold anything."""
    full = sorted(name for name, rows in tables.items() if rows and name != VERSION_TABLE)
    if full:
        shown = ", ".join(full[:5]) + (" …" if len(full) > 5 else "")
        raise BackupError(f"{where} is not empty ({len(full)} tables hold rows: {shown}); "
                          "restore only into an empty database")


# --- SQLite -------------------------------------------------------------------------------------------------

def _sqlite_open(path: str | Path, mode: str) -> sqlite3.Connection:
    """A connection that never creates the file (mode 'ro' or 'rw'), waiting for a writer's lock."""
    con = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode={mode}", uri=True, timeout=30)
    con.execute("PRAGMA busy_timeout=30000")
    return con


def _sqlite_tables(con: sqlite3.Connection) -> dict[str, bool]:
    """Every table of an SQLite database → whether it holds a row."""
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'sqlite_%'")]
    return {n: con.execute(f'SELECT EXISTS (SELECT 1 FROM "{n}")').fetchone()[0] == 1 for n in names}


def _sqlite_backup(path: str, part: Path) -> None:
    """Copy the live database page by page under one read transaction, into a self-contained file."""
    if not os.path.exists(path):
        raise BackupError(f"no database at {path}")
    src = _sqlite_open(path, "rw")  # rw: a reader of a WAL database may need to create its -shm file
    dst = sqlite3.connect(part)
    try:
        src.backup(dst)  # pages=-1: one step, one snapshot; writers in other processes go on meanwhile
        dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        _sqlite_check(dst, part)
    except sqlite3.Error as exc:
        raise BackupError(f"backup failed: {exc}") from None
    finally:
        dst.close()
        src.close()


def _sqlite_check(con: sqlite3.Connection, path: Path) -> str:
    """The schema revision of a sound threeassets database; refuses a damaged or foreign one."""
    if con.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        raise BackupError(f"{path} is damaged (SQLite quick_check failed)")
    tables = _sqlite_tables(con)
    if VERSION_TABLE not in tables:
        raise BackupError(f"{path} is not a threeassets database (no schema version)")
    row = con.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
    return row[0] if row else "none"


def _sqlite_restore(source: Path, path: str) -> str:
    """Copy the backup's pages into the target file (created 0600 if missing) after checking both."""
    try:
        src = _sqlite_open(source, "ro")
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {source}: {exc}") from None
    with closing(src):  # sqlite3's own `with` only commits
        try:
            revision = _sqlite_check(src, source)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot read {source}: {exc}") from None
        _sqlite_refuse_unless_empty(path)
        created = not os.path.exists(path)
        try:
            private_file(path)
            with closing(sqlite3.connect(path, timeout=30)) as dst:
                src.backup(dst)  # one step: the target is replaced whole, or (on an error) left as it was
                dst.execute("PRAGMA journal_mode=WAL")  # the mode the app runs its database in (core/db.py)
        except (sqlite3.Error, OSError) as exc:
            if created:
                Path(path).unlink(missing_ok=True)
            raise BackupError(f"restore into {path} failed: {exc}") from None
    return revision


def _sqlite_refuse_unless_empty(path: str) -> None:
    """Refuse a target file that holds rows, or whose folder is missing (a missing file is empty)."""
    if not os.path.exists(path):
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise BackupError(f"no folder for {path}")
        return
    try:
        with closing(_sqlite_open(path, "rw")) as con:
            tables = _sqlite_tables(con)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read {path}: {exc}") from None
    _refuse_unless_empty(tables, path)


# --- PostgreSQL ---------------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    """The path of pg_dump or pg_restore, or a clear refusal."""
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs (Debian: postgresql-client) "
                          "of the server's major version or newer")
    return found


def _pg_args(url: URL) -> tuple[str, dict]:
    """(libpq connection string without the password, environment with PGPASSWORD) for pg_dump and pg_restore.

    A keyword string made by psycopg, which quotes each value as libpq reads it (a URI as SQLAlchemy writes it
    would turn a space of options=-c … into "+", which libpq does not decode); the URL's parameters go with it but
    the driver's own (core.db.driver_options), which is no libpq parameter."""
    from psycopg.conninfo import make_conninfo
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    parts = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username,
             **{k: v for k, v in url.query.items() if k != PREPARE_THRESHOLD}}
    return make_conninfo("", **{k: v for k, v in parts.items() if v is not None}), env


def _run(args: list[str], env: dict, what: str) -> str:
    """Run a PostgreSQL client program; its last error line becomes the refusal."""
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        raise BackupError(f"{what} failed: {lines[-1] if lines else f'exit status {done.returncode}'}")
    return done.stdout


def _pg_backup(url: URL, part: Path) -> None:
    """pg_dump's custom format: one snapshot of the whole database, compressed."""
    dsn, env = _pg_args(url)
    _run([_pg_tool("pg_dump"), "--format=custom", "--file", str(part), "--dbname", dsn], env, "pg_dump")


def _pg_backup_tables(source: Path) -> set[str]:
    """The tables a pg_dump archive holds (from its table of contents)."""
    toc = _run([_pg_tool("pg_restore"), "--list", str(source)], dict(os.environ), f"reading {source}")
    tables = {m.group(2) for m in map(TOC_TABLE.match, toc.splitlines()) if m}
    if VERSION_TABLE not in tables:
        raise BackupError(f"{source} is not a threeassets backup (no schema version)")
    return tables


@contextmanager
def _pg_connection(url: URL):
    """A connection to the target of a restore, its failure to connect a one-line refusal."""
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            yield conn
    except OperationalError as exc:
        raise BackupError(f"cannot open {_shown(url)}: {str(exc.orig).strip().splitlines()[-1]}") from None
    finally:
        engine.dispose()


def _pg_tables(url: URL) -> dict[str, bool]:
    """The target's tables in its current schema → whether each holds a row."""
    with _pg_connection(url) as conn:
        names = inspect(conn).get_table_names()
        return {n: bool(conn.scalar(text(f'SELECT EXISTS (SELECT 1 FROM "{n}")'))) for n in names}


def _pg_restore(source: Path, url: URL) -> str:
    """pg_restore in one transaction (all or nothing), dropping the empty tables an `init-db` left first."""
    backed_up = _pg_backup_tables(source)
    tables = _pg_tables(url)
    _refuse_unless_empty(tables, _shown(url))
    stray = sorted(set(tables) - backed_up)
    if stray:
        raise BackupError(f"{_shown(url)} has tables the backup lacks ({', '.join(stray[:5])}); "
                          "restore into a new database")
    dsn, env = _pg_args(url)
    clean = ["--clean", "--if-exists"] if tables else []
    _run([_pg_tool("pg_restore"), "--dbname", dsn, "--single-transaction", "--exit-on-error", "--no-owner",
          "--no-privileges", *clean, str(source)], env, "pg_restore")
    with _pg_connection(url) as conn:
        return conn.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}")) or "none"
