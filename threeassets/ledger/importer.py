"""Bulk voucher import (DESIGN §4 contract): all-or-nothing, errors by file, line, column and reason.

Built for a township's year in one file (500k lines within a few times a raw sqlite3 load; see bench/):
no ORM object per line and no dict per row. The command line hands over the CSV rows as csv.reader left them
(read_vouchers); a web upload, an XLSX or the demo come as a csvio Table. One pass checks every line (a clean
line costs a few dict look-ups and string tests; only a line with a problem goes through the slow path that
words its errors), groups the lines into vouchers and builds their rows. Posting numbers the vouchers gapless
per village and month in date order, chains them per village, adds their turnover and writes one audit row
per village; chain heads, counters and turnover are read and written once per import, not per voucher.
On SQLite the rows are stored from a second thread while the file is still being checked (_SQLiteWriter);
elsewhere they are inserted with executemany once the whole file has passed.
"""
from __future__ import annotations

import csv
import gc
import io
import queue
import re
import sqlite3
import sys
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from hashlib import sha256
from itertools import chain
from operator import itemgetter
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table, decode, read_table
from threeassets.ledger.models import Account, Period, Voucher
from threeassets.ledger.posting import (
    add_turnover_fen,
    insert_for,
    lock_chains,
    read_counters,
    save_chains,
    store_counters,
    take_numbers_bulk,
)
from threeassets.ledger.rules import SUMMARY_MAX, LockedMonths, chain_hash, chain_payload
from threeassets.orgs.models import Village

COLUMNS = ["org_code", "date", "voucher_ref", "summary", "account_code", "debit", "credit"]
AMOUNT_RE = re.compile(r"^(\d{1,12})(?:\.(\d{1,2}))?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ERRORS = 200
REF_MAX = 64


@dataclass
class LineFile:
    """A voucher CSV as csv.reader left it: data rows (blank ones included) and where each column sits.

    Row i is file line i + 2. Values are not stripped yet: a clean value passes the fast checks as is, and a
    row that does not goes through the slow path, which strips it first, as csvio would have. import_vouchers
    consumes it: the rows are let go as soon as they have been checked.
    """

    name: str
    rows: list[list[str]]
    positions: tuple[int, ...]  # index of each of COLUMNS in a row


@contextmanager
def _bulk():
    """No cyclic GC while hundreds of thousands of rows are built: they hold no cycles, and every collection
    would walk all of them again (that alone doubles the time of a large import)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_vouchers(path: str | Path) -> LineFile | Table:
    """Read a voucher CSV for import without a dict per row; XLSX and any CSV the fast path does not fit (too
    many cells in a row, broken quoting, missing columns) are read by csvio, which words the problem the same
    way for every import."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ImportError_([(p.name, 0, "-", f"无法读取文件：{exc.strerror}")]) from None
    if data[:4] == b"PK\x03\x04":
        return read_table(data, p.name, COLUMNS)
    with _bulk():
        try:
            rows = list(csv.reader(io.StringIO(decode(data, p.name), newline="")))
        except csv.Error:
            rows = None
        header = [h.strip().lower() for h in rows[0]] if rows else []
        if not header or any(c not in header for c in COLUMNS):
            return read_table(data, p.name, COLUMNS)
        width, rows = len(header), rows[1:]
        if rows and max(map(len, rows)) > width:
            return read_table(data, p.name, COLUMNS)
        if rows and min(map(len, rows)) < width:
            rows = [r if len(r) == width else r + [""] * (width - len(r)) for r in rows]
    pos = {h: i for i, h in enumerate(header)}  # a repeated column: the last one wins, as in csvio
    return LineFile(p.name, rows, tuple(pos[c] for c in COLUMNS))


def _fen_slow(text: str) -> int | None:
    """'1,234.5' → 123450 fen; '' → 0; anything else (negative, 3 decimals, junk) → None."""
    text = text.replace(",", "")
    if not text:
        return 0
    m = AMOUNT_RE.match(text)
    if not m:
        return None
    return int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))


def _fen(text: str) -> int | None:
    """_fen_slow with a shortcut for the plain '1234.56' or '1234' a spreadsheet writes."""
    whole, dot, frac = text.partition(".")
    if whole.isdecimal() and len(whole) <= 12:
        if len(frac) == 2 and frac.isdecimal():
            return int(whole + frac)
        if not dot:
            return int(whole) * 100
    return _fen_slow(text)


def _day(text: str) -> tuple[date, str, int, int] | None:
    """A valid 'YYYY-MM-DD' → (date, ISO text, yyyymm, ordinal); anything else None (the slow path says why)."""
    if not DATE_RE.match(text):
        return None
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return None
    return d, d.isoformat(), d.year * 100 + d.month, d.toordinal()


class _Collector:
    """Collects errors up to a limit, then stops the import."""

    def __init__(self, name: str):
        self.name, self.errors = name, []

    def add(self, line: int, col: str, why: str) -> None:
        """Note an error; past MAX_ERRORS, give up with what we have."""
        self.errors.append((self.name, line, col, why))
        if len(self.errors) >= MAX_ERRORS:
            raise ImportError_(self.errors)


@dataclass(slots=True)
class _Org:
    """A village named in the file, with what validation needs as plain values."""

    id: int
    code: str
    township_id: int
    accounts: dict[str, tuple[int, bool]] = field(default_factory=dict)  # code → (account id, leaf)
    refs: set[str] = field(default_factory=set)  # voucher_refs imported before
    vouchers: dict[str, list] = field(default_factory=dict)  # voucher_ref → voucher being assembled


def _lookups(session: Session, codes: set[str]) -> tuple[dict[str, _Org], LockedMonths]:
    """The file's villages by code with their accounts and earlier refs; the (village id, ym) months locked."""
    orgs: dict[str, _Org] = {}
    if codes:
        q = select(Village.code, Village.id, Village.township_id).where(Village.code.in_(codes))
        orgs = {code: _Org(vid, code, tid) for code, vid, tid in session.execute(q)}
    by_id = {o.id: o for o in orgs.values()}
    closed = LockedMonths(())
    if by_id:
        for vid, code, aid, leaf in session.execute(
                select(Account.village_id, Account.code, Account.id, Account.is_leaf)
                .where(Account.village_id.in_(by_id))):
            by_id[vid].accounts[code] = (aid, leaf)
        closed = LockedMonths(session.execute(select(Period.village_id, Period.ym, Period.status).where(
            Period.village_id.in_(by_id))))
        for vid, ref in session.execute(select(Voucher.village_id, Voucher.source_ref).where(
                Voucher.village_id.in_(by_id), Voucher.source_ref.is_not(None))):
            by_id[vid].refs.add(ref)
    return orgs, closed


def _parse_row(lineno: int, fields: list[str], orgs: dict[str, _Org], err: _Collector):
    """The slow path: note every problem of one (stripped) line; returns (org, day, account id, code, debit,
    credit) or None."""
    org_code, day_text, ref, summary, account_code, debit, credit = fields
    org = orgs.get(org_code)
    if org is None:
        err.add(lineno, "org_code", f"单位编码 {org_code or '（空）'} 不存在，请先导入组织")
    day = None
    if not DATE_RE.match(day_text):
        err.add(lineno, "date", f"日期“{day_text}”应为 YYYY-MM-DD")
    else:
        day = _day(day_text)
        if day is None:
            err.add(lineno, "date", f"日期“{day_text}”不存在")
    if not ref:
        err.add(lineno, "voucher_ref", "凭证编号不能为空")
    elif len(ref) > REF_MAX:
        err.add(lineno, "voucher_ref", f"凭证编号过长（最多{REF_MAX}字）")
    if not summary:
        err.add(lineno, "summary", "摘要不能为空")
    elif len(summary) > SUMMARY_MAX:
        err.add(lineno, "summary", f"摘要最多{SUMMARY_MAX}字")
    acct = None
    if org is not None:
        acct = org.accounts.get(account_code)
        if acct is None:
            err.add(lineno, "account_code", f"科目 {account_code or '（空）'} 在 {org.code} 不存在")
        elif not acct[1]:
            err.add(lineno, "account_code", f"科目 {account_code} 不是末级科目")
    d, c = _fen(debit), _fen(credit)
    for col, raw, v in (("debit", debit, d), ("credit", credit, c)):
        if v is None:
            err.add(lineno, col, f"金额“{raw}”无效：须为非负数，最多两位小数")
    if d is not None and c is not None:
        if d and c:
            err.add(lineno, "credit", "一行只能有借方或贷方之一")
        elif not d and not c:
            err.add(lineno, "debit", "借方和贷方都为空或为零")
    if org is None or day is None or acct is None or d is None or c is None:
        return None
    return org, day, acct[0], account_code, d, c


# A voucher being assembled is a list (cheaper than an object at 200k vouchers): [org, voucher_ref,
# day (date, ISO text, yyyymm, ordinal), first file line, its lines as the hash chain takes them
# (code, summary, debit fen, credit fen), debit total, credit total, index in file order].
V_ORG, V_REF, V_DAY, V_FIRST, V_LINES, V_DEBIT, V_CREDIT, V_INDEX = range(8)


@dataclass
class _Assembled:
    """What one pass over the file gives: vouchers in file order, the voucher_line rows (voucher_id is
    `base` + the voucher's index) and the turnover of the file, fen per (village id, account id, ym)."""

    vouchers: list[list]
    lines: list[tuple]
    turnover: dict[tuple[int, int, int], list[int]]
    streamed: int  # lines already handed to the writer


def _assemble(rows, linenos, positions: tuple[int, ...], skip_blank: bool, orgs: dict[str, _Org],
              closed: LockedMonths, err: _Collector, base: int, writer=None) -> _Assembled:
    """Check every line, group lines into vouchers and build their rows in one pass; then check each voucher
    as a whole. While no error has been seen, finished lines are handed to the writer as they pile up.

    A line whose raw values pass the cheap tests is taken as is; any other line is stripped and goes through
    _parse_row, which words its errors (or accepts it, e.g. a value with surrounding spaces).
    """
    vouchers: list[list] = []
    lines: list[tuple] = []
    turnover: dict[tuple[int, int, int], list[int]] = {}
    get = itemgetter(*positions)
    days: dict[str, tuple | bool] = {}
    summary_max, ref_max = SUMMARY_MAX, REF_MAX
    streamed = 0
    for lineno, row in zip(linenos, rows, strict=True):
        org_code, day_text, ref, summary, code, debit, credit = get(row)
        org = orgs.get(org_code)
        acct = org.accounts.get(code) if org is not None else None
        day = days.get(day_text)
        if day is None:
            day = days[day_text] = _day(day_text) or False
        ref, summary = ref.strip(), summary.strip()
        d = _fen(debit) if debit else 0
        c = _fen(credit) if credit else 0
        if (acct is None or not acct[1] or not day or d is None or c is None or (d and c) or not (d or c)
                or not ref or len(ref) > ref_max or not summary or len(summary) > summary_max):
            if skip_blank and not "".join(row).strip():
                continue
            fields = [f.strip() for f in (org_code, day_text, ref, summary, code, debit, credit)]
            parsed = _parse_row(lineno, fields, orgs, err)
            if parsed is None:
                continue
            org, day, aid, code, d, c = parsed
        else:
            aid = acct[0]
        v = org.vouchers.get(ref)
        if v is None:
            if writer is not None and len(lines) - streamed >= STREAM_LINES and not err.errors:
                writer.add(L_SQL, lines[streamed:])
                streamed = len(lines)
            v = org.vouchers[ref] = [org, ref, day, lineno, [], 0, 0, len(vouchers)]
            vouchers.append(v)
            if ref in org.refs:
                err.add(lineno, "voucher_ref", f"凭证 {ref} 已导入过")
            if (org.id, day[2]) in closed:
                err.add(lineno, "date", closed.why(org.code, (org.id, day[2])))
        elif v[V_DAY] is not day and v[V_DAY][0] != day[0]:
            err.add(lineno, "date", f"同一凭证 {ref} 的日期不一致（第{v[V_FIRST]}行为 {v[V_DAY][1]}）")
        chain_lines = v[V_LINES]
        chain_lines.append((code, summary, d, c))
        lines.append((org.id, base + v[V_INDEX], len(chain_lines), summary, aid, d, c))
        v[V_DEBIT] += d
        v[V_CREDIT] += c
        key = (org.id, aid, v[V_DAY][2])
        t = turnover.get(key)
        if t is None:
            turnover[key] = [d, c]
        else:
            t[0] += d
            t[1] += c
    for v in vouchers:
        if len(v[V_LINES]) < 2:
            err.add(v[V_FIRST], "voucher_ref", f"凭证 {v[V_REF]} 只有一行分录")
        if v[V_DEBIT] != v[V_CREDIT]:
            err.add(v[V_FIRST], "debit",
                    f"凭证 {v[V_REF]} 借贷不平衡：借 {v[V_DEBIT] / 100:.2f}，贷 {v[V_CREDIT] / 100:.2f}")
    return _Assembled(vouchers, lines, turnover, streamed)


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


V_SQL = ("INSERT INTO voucher (id, village_id, ym, voucher_date, number, status, attachments, total, "
         "preparer_id, created_at, posted_at, source_ref, chain_seq, prev_hash, hash) VALUES ")
L_SQL = "INSERT INTO voucher_line (village_id, voucher_id, line_no, summary, account_id, debit, credit) VALUES "
ROWS_PER_INSERT = 500  # SQLite: rows per multi-row INSERT (up to 7,500 parameters)
STREAM_LINES = 5_000  # SQLite: lines handed to the writer at a time while the file is still being checked
STREAM_VOUCHERS = 2_000  # vouchers handed to the writer at a time while the rest are numbered and hashed


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


def _link(prev: str, village_code: str, ym: int, number: int, day: tuple, lines: list[tuple]) -> str:
    """rules.chain_hash(prev, rules.chain_payload(...)) of a voucher that reverses nothing, in one expression:
    at 200k vouchers the two calls and the generator of the general form are a noticeable share of the
    import. _link_for compares it with rules on a real voucher and picks rules if the two ever disagree."""
    body = "\n".join([f"{code}|{summary}|{d}|{c}" for code, summary, d, c in lines])
    return sha256(f"{prev}\n{village_code}|{ym}|{number}|{day[1]}|\n{body}".encode()).hexdigest()


def _rules_link(prev: str, village_code: str, ym: int, number: int, day: tuple, lines: list[tuple]) -> str:
    """The chain link exactly as rules computes it for the voucher screen and verify-chain."""
    return chain_hash(prev, chain_payload(village_code, ym, number, day[0], None, lines))


def _link_for(v: list):
    """_link, unless it differs from rules on this voucher."""
    sample = ("x", v[V_ORG].code, v[V_DAY][2], 1, v[V_DAY], v[V_LINES])
    return _link if _link(*sample) == _rules_link(*sample) else _rules_link


def _date_order(vouchers: list[list]) -> list[list]:
    """Vouchers by village, then date; within a day, in file order (the sort is stable)."""
    return sorted(vouchers, key=lambda v: v[V_ORG].id * 10_000_000 + v[V_DAY][3])


def _voucher_rows(order: list[list], ids, post: bool, heads: dict, nxt: dict, sqlite: bool, actor_id,
                  emit) -> None:
    """The voucher rows, handed to emit() a batch at a time (each batch sorted by id); when posting, numbered
    from nxt and chained from heads (both advanced)."""
    now = datetime.now()
    # SQLite keeps dates as text: hand it the text SQLAlchemy would write rather than date objects.
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    status, posted_at = ("posted", stamp) if post else ("draft", None)
    link = _link_for(order[0]) if post else None
    vrows = []
    key = head = None  # (village id, ym) being numbered, and that village's chain head
    number = seq = prev = digest = None
    for org, ref, day, _first, chain_lines, total, _credit, index in order:
        vid, ym = org.id, day[2]
        if post:
            if key != (vid, ym):  # vouchers come by village, then date: a month's numbers run on
                if key is not None:
                    nxt[key] = number + 1
                key = (vid, ym)
                number = nxt[key] - 1
                head = heads[vid]
            number += 1
            prev = head[1]
            digest = head[1] = link(prev, org.code, ym, number, day, chain_lines)
            seq = head[0] = head[0] + 1
        vrows.append((ids[index], vid, ym, day[1] if sqlite else day[0], number, status, 0, total, actor_id,
                      stamp, posted_at, ref, seq, prev, digest))
        if len(vrows) == STREAM_VOUCHERS:
            vrows.sort()  # by id: the table's b-tree fills in order
            emit(vrows)
            vrows = []
    if key is not None:
        nxt[key] = number + 1
    vrows.sort()
    emit(vrows)


def _month_counts(order: list[list]) -> dict[tuple[int, int], int]:
    """How many vouchers each (village id, ym) gets."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for v in order:
        counts[(v[V_ORG].id, v[V_DAY][2])] += 1
    return counts


@dataclass
class _Source:
    """The rows to import, in COLUMNS order at `positions`, with their file lines."""

    rows: list | None
    linenos: range | list[int]
    positions: tuple[int, ...]
    skip_blank: bool  # a CSV read here still has its blank rows; a csvio Table has none

    @classmethod
    def of(cls, table: Table | LineFile) -> _Source:
        """Take the rows of a LineFile (it is left empty) or convert a Table's dict rows."""
        if isinstance(table, LineFile):
            rows, table.rows = table.rows, []
            return cls(rows, range(2, len(rows) + 2), table.positions, True)
        rows = [[row.get(c, "") for c in COLUMNS] for _lineno, row in table.rows]  # already stripped
        return cls(rows, [lineno for lineno, _row in table.rows], tuple(range(7)), False)

    def assemble(self, orgs, closed, err, base: int, writer=None) -> _Assembled:
        """_assemble over these rows; then let them go (millions of objects, freed while the writer works)."""
        try:
            return _assemble(self.rows, self.linenos, self.positions, self.skip_blank, orgs, closed, err, base,
                             writer)
        finally:
            self.rows = None


def _import_sqlite(session: Session, source: _Source, orgs, closed, err, post, actor_id):
    """SQLite: the write lock is held (BEGIN IMMEDIATE), so ids, numbers and chain heads are read up front
    and the lines are stored by the writer while the file is still being checked."""
    village_ids = [o.id for o in orgs.values()]
    base = _first_id(session)
    writer = _SQLiteWriter(session)
    try:
        heads = lock_chains(session, village_ids) if post else {}  # inside the savepoint: undone on refusal
        last = read_counters(session, village_ids) if post else {}
        a = source.assemble(orgs, closed, err, base, writer)
        if err.errors:
            raise ImportError_(err.errors)
        if not a.vouchers:
            raise ImportError_([(err.name, 2, "-", "文件中没有凭证")])
        writer.add(L_SQL, a.lines[a.streamed:])
        order = _date_order(a.vouchers)
        nxt = {key: last.get(key, 0) + 1 for key in _month_counts(order)} if post else {}
        _voucher_rows(order, range(base, base + len(order)), post, heads, nxt, True, actor_id,
                      lambda vrows: writer.add(V_SQL, vrows))
        writer.finish()
    except BaseException:
        writer.abort()
        raise
    _open_periods(session, a.vouchers)
    if post:
        store_counters(session, {key: n - 1 for key, n in nxt.items()})
        save_chains(session, heads)
        add_turnover_fen(session, a.turnover)
    return a


def _import_other(session: Session, source: _Source, orgs, closed, err, post, actor_id):
    """PostgreSQL (or any other database): check the whole file, then lock, number and insert with
    executemany; vouchers before their lines, as the foreign keys are checked per row."""
    a = source.assemble(orgs, closed, err, 0)
    if err.errors:
        raise ImportError_(err.errors)
    if not a.vouchers:
        raise ImportError_([(err.name, 2, "-", "文件中没有凭证")])
    ids = _allocate_ids(session, len(a.vouchers))
    lines = [(v, ids[k], n, s, acc, d, c) for v, k, n, s, acc, d, c in a.lines]
    order = _date_order(a.vouchers)
    heads, nxt = {}, {}
    if post:
        counts = _month_counts(order)
        heads = lock_chains(session, {vid for vid, _ym in counts})  # chain heads first, as post_voucher does
        nxt = take_numbers_bulk(session, counts)
    _open_periods(session, a.vouchers)
    conn = session.connection()
    vrows = []
    _voucher_rows(order, ids, post, heads, nxt, False, actor_id, vrows.extend)
    conn.exec_driver_sql(V_SQL + "(" + ", ".join(["%s"] * 15) + ")", vrows)
    conn.exec_driver_sql(L_SQL + "(" + ", ".join(["%s"] * 7) + ")", lines)
    if post:
        save_chains(session, heads)
        add_turnover_fen(session, a.turnover)
    return a


def import_vouchers(session: Session, table: Table | LineFile, *, post: bool = False, actor=None) -> dict[str, int]:
    """Import a voucher file all-or-nothing; with post=True they are numbered, chained and posted."""
    err = _Collector(table.name)
    with _bulk():
        source = _Source.of(table)
        codes = {c.strip() for c in set(map(itemgetter(source.positions[0]), source.rows))}
        orgs, closed = _lookups(session, codes)
        run = _import_sqlite if session.bind.dialect.name == "sqlite" else _import_other
        try:
            a = run(session, source, orgs, closed, err, post, getattr(actor, "id", None))
        finally:
            for org in orgs.values():  # a voucher points at its org: no cycle left for a (disabled) GC
                org.vouchers.clear()
    per_village: dict[int, list] = {}
    for v in a.vouchers:
        per_village.setdefault(v[V_ORG].id, [v[V_ORG], 0])[1] += 1
    for vid, (org, count) in sorted(per_village.items()):
        record(session, "voucher.import", actor=actor, township_id=org.township_id, village_id=vid,
               detail={"file": table.name, "vouchers": count, "posted": post})
    return {"vouchers": len(a.vouchers), "lines": len(a.lines), "villages": len(per_village)}
