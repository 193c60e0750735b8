"""Storing a checked voucher import: voucher ids, the periods it opens and the multi-row INSERTs (a writer
thread on SQLite, executemany elsewhere); numbers and chain links come from ledger/bulk_posting.py. Used by
importer/__init__.py only."""
from __future__ import annotations

import queue
import sqlite3
import sys
import threading
from itertools import chain

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from threeassets.core.db import insert_for
from threeassets.ledger.bulk_posting import V_DAY, V_ORG
from threeassets.ledger.models import Period, Voucher


def _first_id(session: Session) -> int:
    """SQLite: the id the import's first voucher gets (MAX(id) + 1 stays put under the write lock)."""
    return (session.scalar(select(func.max(Voucher.id))) or 0) + 1


def _allocate_ids(session: Session, n: int) -> list[int]:
    """Reserve n voucher ids: from the sequence on PostgreSQL, above MAX(id) elsewhere."""
    if session.bind.dialect.name == "postgresql":
        q = text("SELECT nextval(pg_get_serial_sequence('voucher', 'id')) FROM generate_series(1, :n)")
        return list(session.scalars(q, {"n": n}))
    first = _first_id(session)
    return list(range(first, first + n))


def _open_periods(session: Session, vouchers: list[list]) -> None:
    """Open every period the file touches (periods open on first use; a racing opener's row is kept)."""
    keys = sorted({(v[V_ORG].id, v[V_DAY][2]) for v in vouchers})
    session.execute(insert_for(session)(Period.__table__).on_conflict_do_nothing(),
                    [{"village_id": vid, "ym": ym, "status": "open"} for vid, ym in keys])




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
      checked and the vouchers are hashed here while the rows are stored there. Until finish() or abort()
      has waited for that thread, nothing else may use the connection.
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
        cursor.close()

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

    def abort(self) -> None:
        """Stop writing and undo everything written since the savepoint."""
        self.stop = True
        self._join()
        self.conn.exec_driver_sql("ROLLBACK TO voucher_import")
        self.conn.exec_driver_sql("RELEASE voucher_import")
        self.conn.exec_driver_sql("PRAGMA defer_foreign_keys = OFF")
