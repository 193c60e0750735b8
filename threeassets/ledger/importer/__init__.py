"""Bulk voucher import (docs/import-formats.md): all-or-nothing, errors by file, line, column and reason.

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

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.ledger.bulk_posting import (
    V_DAY,
    V_FIRST,
    V_ORG,
    V_SQL,
    add_turnover_fen,
    date_order,
    lock_chains,
    month_counts,
    numbered_rows,
    read_counters,
    save_chains,
    store_counters,
    take_numbers_bulk,
)
from threeassets.ledger.importer.check import (  # noqa: F401  (COLUMNS, LIMITS, LineFile, read_vouchers: the API)
    COLUMNS,
    L_SQL,
    LIMITS,
    LineFile,
    _assemble,
    _Assembled,
    _bulk,
    _Collector,
    _lookups,
    read_vouchers,
)
from threeassets.ledger.importer.write import _allocate_ids, _first_id, _open_periods, _SQLiteWriter
from threeassets.ledger.models import Period
from threeassets.ledger.rules import LockedMonths


@dataclass
class _Source:
    """The rows to import, in COLUMNS order at `positions`, with their file lines."""

    rows: list | None
    linenos: range | list[int]
    positions: tuple[int, ...]
    skip_blank: bool  # a CSV read here still has its blank rows; a csvio Table has none
    progress: Callable[[int], None] | None = None  # told the lines checked, every STREAM_LINES

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
                             writer, self.progress)
        finally:
            self.rows = None


def _import_sqlite(session: Session, source: _Source, orgs, closed, err, post, actor_id):
    """SQLite: the write lock is held (BEGIN IMMEDIATE), so ids, numbers and chain heads are read up front
    and the lines are stored by the writer while the file is still being checked. Returns the file and the
    chain heads it advanced (village id → [seq, hash]; empty for drafts)."""
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
        order = date_order(a.vouchers)
        nxt = {key: last.get(key, 0) + 1 for key in month_counts(order)} if post else {}
        numbered_rows(order, range(base, base + len(order)), post, heads, nxt, True, actor_id,
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
    return a, heads


def _import_other(session: Session, source: _Source, orgs, closed, err, post, actor_id):
    """PostgreSQL (or any other database): check the whole file, then lock, number and insert with
    executemany; vouchers before their lines, as the foreign keys are checked per row. Returns what
    _import_sqlite does."""
    a = source.assemble(orgs, closed, err, 0)
    if err.errors:
        raise ImportError_(err.errors)
    if not a.vouchers:
        raise ImportError_([(err.name, 2, "-", "文件中没有凭证")])
    ids = _allocate_ids(session, len(a.vouchers))
    lines = [(v, ids[k], n, s, acc, d, c) for v, k, n, s, acc, d, c in a.lines]
    order = date_order(a.vouchers)
    heads, nxt = {}, {}
    if post:
        counts = month_counts(order)
        heads = lock_chains(session, {vid for vid, _ym in counts})  # chain heads first, as posting.post does
        _refuse_months_closed_meanwhile(session, a.vouchers, err)
        nxt = take_numbers_bulk(session, counts)
    _open_periods(session, a.vouchers)
    conn = session.connection()
    vrows = []
    numbered_rows(order, ids, post, heads, nxt, False, actor_id, vrows.extend)
    conn.exec_driver_sql(V_SQL + "(" + ", ".join(["%s"] * 15) + ")", vrows)
    conn.exec_driver_sql(L_SQL + "(" + ", ".join(["%s"] * 7) + ")", lines)
    if post:
        save_chains(session, heads)
        add_turnover_fen(session, a.turnover)
    return a, heads


def _refuse_months_closed_meanwhile(session: Session, vouchers: list[list], err) -> None:
    """Periods were read before the chain heads were locked; a month close takes the chain head too, so once
    they are held the periods read again are final: a month closed in between refuses the file, as it would
    have at the start (PostgreSQL; SQLite already holds its write lock from the first read)."""
    closed = LockedMonths(session.execute(select(Period.village_id, Period.ym, Period.status)
                                          .where(Period.village_id.in_({v[V_ORG].id for v in vouchers}))))
    for v in vouchers:
        key = (v[V_ORG].id, v[V_DAY][2])
        if key in closed:
            err.add(v[V_FIRST], "date", closed.why(v[V_ORG].code, key))
    if err.errors:
        raise ImportError_(err.errors)


def import_vouchers(session: Session, table: Table | LineFile, *, post: bool = False, actor=None,
                    progress: Callable[[int], None] | None = None) -> dict:
    """Import a voucher file all-or-nothing; with post=True they are numbered, chained and posted. progress, if
    given, is told how many lines have been checked as the check goes. History is imported as the old books hold
    it — no book control refuses it — and the months that left cash on hand in credit are listed
    (cash_deficits: village name → ["2024-03", …]) for the accountant to look at."""
    err = _Collector(table.name)
    with _bulk():
        source = _Source.of(table)
        source.progress = progress
        codes = {c.strip() for c in set(map(itemgetter(source.positions[0]), source.rows))}
        orgs, closed = _lookups(session, codes, post)
        run = _import_sqlite if session.bind.dialect.name == "sqlite" else _import_other
        try:
            a, heads = run(session, source, orgs, closed, err, post, getattr(actor, "id", None))
        finally:
            for org in orgs.values():  # a voucher points at its org: no cycle left for a (disabled) GC
                org.vouchers.clear()
    per_village: dict[int, list] = {}
    for v in a.vouchers:
        per_village.setdefault(v[V_ORG].id, [v[V_ORG], 0])[1] += 1
    for vid, (org, count) in sorted(per_village.items()):
        detail = {"file": table.name, "vouchers": count, "posted": post}
        if post:  # the new chain head: the audit log anchors it (ledger/chain.py checks the chain still holds it)
            detail |= {"head_seq": heads[vid][0], "head_hash": heads[vid][1]}
        record(session, "voucher.import", actor=actor, township_id=org.township_id, village_id=vid, detail=detail)
    deficits = {}
    if post:
        from threeassets.ledger.service import cash_deficit_months
        from threeassets.orgs.models import Village
        months = {vid: found for vid in sorted(per_village) if (found := cash_deficit_months(session, vid))}
        names = dict(session.execute(select(Village.id, Village.name).where(Village.id.in_(months))).all()) \
            if months else {}
        deficits = {names[vid]: [f"{ym // 100}-{ym % 100:02d}" for ym, _b in found] for vid, found in months.items()}
    return {"vouchers": len(a.vouchers), "lines": len(a.lines), "villages": len(per_village),
            "cash_deficits": deficits}
