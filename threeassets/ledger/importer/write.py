"""Storing a voucher import while it is checked: voucher ids, the periods it opens, and the rows (multi-row
INSERTs from a writer thread on SQLite, COPY on PostgreSQL); numbers and chain links come from
ledger/bulk_posting.py. Used by importer/__init__.py only."""
from __future__ import annotations

import queue
import re
import sqlite3
import sys
import threading
from contextlib import contextmanager, suppress
from itertools import chain

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from threeassets.core.db import analyze_if_believed_smaller, insert_for
from threeassets.ledger.bulk_posting import V_DAY, V_ORG, V_SQL
from threeassets.ledger.importer.check import L_SQL
from threeassets.ledger.models import Period, Voucher


def _first_id(session: Session) -> int:
    """SQLite: the id the import's first voucher gets (MAX(id) + 1 stays put under the write lock)."""
    return (session.scalar(select(func.max(Voucher.id))) or 0) + 1


class _IdBlocks:
    """PostgreSQL: voucher ids taken from the table's sequence a block at a time, one statement per block. The
    first block is as large as the file can have valid vouchers (its rows // 2, up to ID_BLOCK_FIRST_MAX), so a
    township's file takes its ids before its first line is copied and the COPY is never paused for more; a
    larger file grows its blocks up to ID_BLOCK_MAX. Values of the sequence are never handed out twice, so
    normal postings running meanwhile stay safe; ids left over when the file ends or is refused are skipped, as
    a rolled-back insert's are. A block comes back as its first and last value when it is one run, as it is
    unless another session took values of the sequence meanwhile (then as the values themselves)."""

    def __init__(self, session: Session, writer: _CopyWriter, wanted: int = 0):
        self.session, self.writer = session, writer
        self.size = max(ID_BLOCK_MIN, min(wanted, ID_BLOCK_FIRST_MAX))
        self.ids = iter(())

    def __call__(self) -> int:
        """The next id."""
        for i in self.ids:
            return i
        self.writer.pause()  # the statement needs the connection a COPY holds
        first, last, count, values = self.session.execute(_ID_BLOCK, {"n": self.size}).one()
        self.ids = iter(range(first, last + 1) if last - first + 1 == count else values)
        self.size = min(self.size * 2, ID_BLOCK_MAX)
        return next(self.ids)


# The sequence is found once, in an InitPlan (the subquery): named in nextval's argument it would be looked up
# for every id — 0.95 s for 250,000 ids against 0.11 s.
# The values themselves are gathered only when the block is not one run (the CASE's subquery runs only then;
# an aggregate written in the CASE would sort every block's values only to drop them).
_ID_BLOCK = text(
    "WITH block AS MATERIALIZED (SELECT nextval((SELECT pg_get_serial_sequence('voucher', 'id')::regclass)) AS i "
    "FROM generate_series(1, :n)), span AS (SELECT min(i) AS lo, max(i) AS hi, count(*) AS n FROM block) "
    "SELECT lo, hi, n, CASE WHEN hi - lo + 1 = n THEN NULL ELSE (SELECT array_agg(i ORDER BY i) FROM block) END "
    "FROM span")


def _open_periods(session: Session, vouchers: list[list]) -> None:
    """Open every period the file touches (periods open on first use; a racing opener's row is kept)."""
    keys = sorted({(v[V_ORG].id, v[V_DAY][2]) for v in vouchers})
    session.execute(insert_for(session)(Period.__table__).on_conflict_do_nothing(),
                    [{"village_id": vid, "ym": ym, "status": "open"} for vid, ym in keys])




ID_BLOCK_MIN, ID_BLOCK_MAX, ID_BLOCK_FIRST_MAX = 256, 65_536, 500_000
# The columns of each table as the row tuples of check._assemble (lines) and bulk_posting.numbered_rows
# (vouchers) give them, named in the same order as their INSERTs on SQLite.
COPY_SQL = {
    L_SQL: "COPY voucher_line (village_id, voucher_id, line_no, summary, account_id, debit, credit) FROM STDIN",
    V_SQL: "COPY voucher (id, village_id, ym, voucher_date, number, status, attachments, total, preparer_id, "
           "created_at, posted_at, source_ref, chain_seq, prev_hash, hash) FROM STDIN",
}
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search  # what COPY's text format would need escaped


def _copy_text(head: str, rows: list[tuple]) -> str | None:
    """Rows in COPY's text format, formatted here where that is plain (several times cheaper than psycopg's
    write_row per row), or None for psycopg to format them: when a text value would need escaping, or the NULLs
    of a voucher batch are not in the same columns of every row. Lines: six integers and a summary; vouchers:
    integers, ISO dates and times, the status, the file's voucher_ref and hex digests, with NULL (\\N) where a
    draft has no number or link, or the command line no acting user (the same columns all through an import)."""
    if head == L_SQL:
        if _NEEDS_ESCAPE("".join([r[3] for r in rows])):
            return None
        return "".join([f"{v}\t{i}\t{n}\t{s}\t{a}\t{d}\t{c}\n" for v, i, n, s, a, d, c in rows])
    nulls = {i for i, x in enumerate(rows[0]) if x is None}
    if (sum([r.count(None) for r in rows]) != len(nulls) * len(rows)
            or any(r[i] is not None for i in nulls for r in rows)
            or _NEEDS_ESCAPE("".join([r[11] or "" for r in rows]))):
        return None
    fmt = "\t".join("\\N" if i in nulls else f"{{{i}}}" for i in range(len(rows[0]))) + "\n"
    return "".join([fmt.format(*r) for r in rows])


def may_skip_row_checks(conn) -> bool:
    """Whether this connection may set session_replication_role (a superuser, or on PostgreSQL 15+ a role
    granted `SET ON PARAMETER session_replication_role`), tried inside a savepoint so a refusal costs nothing."""
    conn.exec_driver_sql("SAVEPOINT replica_probe")
    try:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
    except DBAPIError:
        conn.exec_driver_sql("ROLLBACK TO SAVEPOINT replica_probe")
        allowed = False
    else:
        conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
        allowed = True
    conn.exec_driver_sql("RELEASE SAVEPOINT replica_probe")
    return allowed


class KeysChanged(Exception):
    """A village, account or user the import had read was deleted before the import could hold it."""


def hold_keys(conn, orgs, actor_id: int | None) -> None:
    """Hold the rows the import's foreign keys name, as the per-row checks would: FOR KEY SHARE on the villages
    and the accounts just read for them (and on the acting user), one statement each. Until commit none of them
    can be deleted or change its key. A row gone between the reading and the holding refuses the import."""
    vids = [o.id for o in orgs]
    aids = [aid for o in orgs for aid, _leaf in o.accounts.values()]
    held = [
        ("village", "SELECT count(*) FROM (SELECT 1 FROM village WHERE id = ANY(%(ids)s) FOR KEY SHARE) h", vids),
        ("account", "SELECT count(*) FROM (SELECT 1 FROM account WHERE id = ANY(%(ids)s) AND village_id = ANY(%(v)s)"
                    " FOR KEY SHARE) h", aids),
    ]
    if actor_id is not None:
        held.append(("user_account", "SELECT count(*) FROM (SELECT 1 FROM user_account WHERE id = ANY(%(ids)s)"
                                     " FOR KEY SHARE) h", [actor_id]))
    for table, sql, ids in held:
        if ids and conn.exec_driver_sql(sql, {"ids": ids, "v": vids}).scalar() != len(set(ids)):
            raise KeysChanged(table)


class _CopyWriter:
    """Writes an import's rows to PostgreSQL with COPY on the session's own connection (so in its transaction),
    all of it undone on failure.

    * A SAVEPOINT is opened first: abort() rolls back to it, so a refused file leaves nothing, even inside a
      caller's larger transaction.
    * Lines are written while the file is being checked, before their vouchers exist (those are numbered and
      hashed once the whole file has passed): the voucher foreign key of voucher_line is DEFERRABLE (migration
      0016) and deferred here; finish() makes it immediate again, which checks every line written.
    * One COPY stays open across batches until a statement needs the connection (pause()): the next add()
      starts another. The rows are formatted here (_copy_text) unless a value needs COPY's escapes or a batch's
      NULLs are not in the same columns of every row; those batches psycopg formats.
    * Foreign keys per set, where the role may (`keys_by_set`, see may_skip_row_checks): each COPY runs with
      `session_replication_role = replica`, so PostgreSQL fires no per-row trigger (three foreign-key checks a
      line, most of an import's time), and the role is `origin` again for every other statement. What those
      checks guarded is held per set instead (hold_keys: the villages, their accounts and the user, locked FOR
      KEY SHARE right after they are read); each line's voucher is one this import writes, by construction of
      the checked file. Without the privilege, the rows are checked one by one as before.
    """

    def __init__(self, session: Session):
        self.conn = session.connection()
        self.conn.exec_driver_sql("SAVEPOINT voucher_import")
        self.conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
        self.cursor = self.conn.connection.driver_connection.cursor()
        self.head: str | None = None
        self.copy = self.block = None
        self.vouchers = self.lines = 0
        self.keys_by_set = may_skip_row_checks(self.conn)
        if not self.keys_by_set:
            analyze_if_believed_smaller(self.conn, "account", 1)  # each line's account is checked as it goes in

    def add(self, head: str, rows: list[tuple]) -> None:
        """Copy rows into the table named in head (L_SQL or V_SQL)."""
        if not rows:
            return
        if head == V_SQL:
            self.vouchers += len(rows)
        else:
            self.lines += len(rows)
        if self.head != head:
            self.pause()
            if self.keys_by_set:
                self.conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            self.block = self.cursor.copy(COPY_SQL[head])
            self.copy = self.block.__enter__()
            self.head = head
        if (formatted := _copy_text(head, rows)) is not None:
            self.copy.write(formatted)
            return
        for row in rows:
            self.copy.write_row(row)

    @contextmanager
    def keyed_by_set(self):
        """Statements run inside with the per-row foreign-key checks off too, where the role may: for rows whose
        keys are held already (the import's turnover names its villages and their accounts). Only for use
        before finish(), inside the import's `try … abort()`: on an error the role is left as it is, and
        abort() rolls back to the savepoint, which undoes it."""
        self.pause()
        if self.keys_by_set:
            self.conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        yield
        if self.keys_by_set:
            self.conn.exec_driver_sql("SET LOCAL session_replication_role = origin")

    def pause(self, error: BaseException | None = None) -> None:
        """End the COPY in progress (if any); with an error, abandon it."""
        if self.block is not None:
            block, self.block, self.copy, self.head = self.block, None, None, None
            if error is None:
                block.__exit__(None, None, None)
                if self.keys_by_set:
                    self.conn.exec_driver_sql("SET LOCAL session_replication_role = origin")
            else:  # abort() rolls back to the savepoint, which undoes the role too
                block.__exit__(type(error), error, None)

    def finish(self) -> None:
        """End the last COPY, check the deferred foreign keys, keep the rows."""
        self.pause()
        self.cursor.close()
        if not self.keys_by_set:  # before each line's voucher is checked
            analyze_if_believed_smaller(self.conn, "voucher", self.vouchers)
        self.conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
        self.conn.exec_driver_sql("RELEASE SAVEPOINT voucher_import")
        # what the caller reads next in this transaction (closing, reports, a demo's notices) is planned for them
        analyze_if_believed_smaller(self.conn, "voucher", self.vouchers)
        analyze_if_believed_smaller(self.conn, "voucher_line", self.lines)

    def abort(self, error: BaseException | None = None) -> None:
        """Stop writing and undo everything written since the savepoint."""
        with suppress(Exception):  # psycopg reports the abandoned COPY; the rollback follows
            self.pause(error)
        self.cursor.close()
        self.conn.exec_driver_sql("ROLLBACK TO SAVEPOINT voucher_import")  # undoes the SET LOCALs too
        self.conn.exec_driver_sql("RELEASE SAVEPOINT voucher_import")
        self.conn.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")


ROWS_PER_INSERT = 500  # SQLite: rows per multi-row INSERT (up to 7,500 parameters)


class _SQLiteWriter:
    """Writes an import's rows to SQLite while the file is still being checked, all of it undone on failure.

    * A SAVEPOINT is opened first: abort() rolls back to it, so a refused file leaves nothing, even inside a
      caller's larger transaction; the foreign keys of voucher_line are checked at commit instead of per row
      (PRAGMA defer_foreign_keys; SQLite resets it at the end of the transaction, finish() switches it off),
      so lines can go in before their vouchers are numbered and hashed.
    * Rows go in as multi-row VALUES, ROWS_PER_INSERT a statement: two to three times cheaper than
      executemany, which re-runs the statement per row and with it the voucher table's CHECK (status IN
      (...)), whose IN list is built anew on every run.
    * Where the connection may be used from another thread (SQLAlchemy's default for an SQLite file), the
      statements run on a writer thread: sqlite3 lets go of the GIL while a statement runs, so the file is
      checked and the vouchers are hashed here while the rows are stored there. Until pause(), finish() or
      abort() has waited for that thread, nothing else may use the connection.
    """

    def __init__(self, session: Session):
        self.conn = session.connection()
        self.conn.exec_driver_sql("SAVEPOINT voucher_import")
        self.conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        self.max_params = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999
        self.error: BaseException | None = None
        self.stop = False
        dbapi = self.conn.connection.dbapi_connection
        self.queue: queue.Queue | None = queue.Queue()
        started = threading.Event()
        self.thread: threading.Thread | None = threading.Thread(target=self._run, args=(dbapi, started),
                                                                daemon=True)
        self.thread.start()
        started.wait()
        self.cursor = None
        if self.error is not None:  # the connection refuses other threads: write from this one
            self.thread.join()
            self.queue = self.thread = self.error = None
            self.cursor = dbapi.cursor()
        self.interval = sys.getswitchinterval()
        if self.thread is not None:
            # The writer needs the GIL for a moment after each statement; don't let it wait 5 ms for it.
            sys.setswitchinterval(min(self.interval, 0.0002))

    def _run(self, dbapi, started) -> None:
        """The writer thread: execute queued statements until None; after an error, only drain the queue."""
        try:
            cursor = dbapi.cursor()
        except BaseException as exc:  # sqlite3.ProgrammingError: the connection belongs to another thread
            self.error = exc
            started.set()
            return
        started.set()
        while (item := self.queue.get()) is not None:
            if self.error is None and not self.stop:
                try:
                    cursor.execute(*item)
                except BaseException as exc:
                    self.error = exc
            self.queue.task_done()
        cursor.close()

    def pause(self) -> None:
        """Wait until every queued statement has run, so this thread may use the connection (a look-up)."""
        if self.queue is not None:
            self.queue.join()

    def add(self, head: str, rows: list[tuple]) -> None:
        """Insert rows into the table named in head ('INSERT INTO t (cols) VALUES ')."""
        if not rows:
            return
        width = len(rows[0])
        per = max(1, min(ROWS_PER_INSERT, self.max_params // width))
        one = "(" + ",".join("?" * width) + ")"
        full = head + ",".join([one] * per)
        for i in range(0, len(rows), per):
            chunk = rows[i:i + per]
            statement = (full if len(chunk) == per else head + ",".join([one] * len(chunk)),
                         list(chain.from_iterable(chunk)))
            if self.queue is None:
                self.cursor.execute(*statement)
            elif self.error is not None:
                break
            else:
                self.queue.put(statement)

    def _join(self) -> None:
        """Wait for the writer thread (if any) and give the connection back to this thread."""
        if self.thread is not None:
            self.queue.put(None)
            self.thread.join()
            self.thread = None
            sys.setswitchinterval(self.interval)
        if self.cursor is not None:
            self.cursor.close()
            self.cursor = None

    def finish(self) -> None:
        """Wait for every statement, raise the first error the writer met, keep the rows."""
        self._join()
        if self.error is not None:
            raise self.error
        self.conn.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")
        self.conn.exec_driver_sql("RELEASE voucher_import")

    def abort(self, error: BaseException | None = None) -> None:
        """Stop writing and undo everything written since the savepoint."""
        self.stop = True
        self._join()
        self.conn.exec_driver_sql("ROLLBACK TO voucher_import")
        self.conn.exec_driver_sql("RELEASE voucher_import")
        self.conn.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")
