"""Bulk voucher import (docs/import-formats.md): all-or-nothing, errors by file, line, column and reason.

Built for a township's year in one file (500k lines within a few times a bare load; see bench/): no ORM object
per line and no dict per row, and memory bounded by the vouchers, not the lines. The command line streams a
CSV from disk a batch of rows at a time (read_vouchers → LineFile); a web upload, an XLSX or the demo come as a
csvio Table. One pass checks every line (a clean line costs a few dict look-ups and string tests; only a line
with a problem goes through the slow path that words its errors), looks up each village the first time a
batch names it, groups the lines into vouchers and hands the lines to a writer as they are checked: from a
second thread on SQLite (_SQLiteWriter), with COPY on PostgreSQL (_CopyWriter). What stays in memory is a few
values per voucher (bulk_posting: its id, date, totals and the text its lines add to the hash chain). Posting
then numbers the vouchers gapless per village and month in date order, chains them per village, writes their
rows, adds their turnover and writes one audit row per village; chain heads, counters and turnover are read and
written once per import, not per voucher. A refused file leaves nothing: the writers work inside a savepoint.
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.core.db import analyze_if_believed_smaller
from threeassets.ledger.bulk_posting import (
    V_DAY,
    V_FIRST,
    V_ORG,
    V_SQL,
    add_turnover_fen,
    check_link,
    date_order,
    lock_chains,
    month_counts,
    numbered_rows,
    read_counters,
    save_chains,
    store_counters,
    take_numbers_bulk,
)
from threeassets.ledger.importer import check
from threeassets.ledger.importer.check import (  # noqa: F401  (COLUMNS, LIMITS, LineFile, read_vouchers: the API)
    CLI_LIMITS,
    COLUMNS,
    LIMITS,
    LineFile,
    _assemble,
    _Assembled,
    _bulk,
    _Collector,
    _lookups,
    read_vouchers,
)
from threeassets.ledger.importer.write import (
    KeysChanged,
    _CopyWriter,
    _first_id,
    _IdBlocks,
    _open_periods,
    _SQLiteWriter,
    hold_keys,
)
from threeassets.ledger.models import Period
from threeassets.ledger.rules import LockedMonths


@dataclass
class _Source:
    """The rows to import, a batch at a time: (line numbers, rows in COLUMNS order at `positions`)."""

    batches: object  # an iterator of (line numbers, rows)
    positions: tuple[int, ...]
    skip_blank: bool  # a CSV read here still has its blank rows; a csvio Table has none
    rows: int  # at most this many rows (a voucher has two lines or more: at most rows // 2 vouchers are valid)
    progress: Callable[[int], None] | None = None  # told the lines checked, every STREAM_LINES

    @classmethod
    def of(cls, table: Table | LineFile) -> _Source:
        """Stream a LineFile from disk, or convert a Table's dict rows a batch at a time."""
        if isinstance(table, LineFile):
            return cls(table.batches(), table.positions, True, table.lines)

        def batches():
            rows = iter(table.rows)  # already stripped
            while chunk := list(islice(rows, check.BATCH_ROWS)):
                yield [n for n, _row in chunk], [[row.get(c, "") for c in COLUMNS] for _n, row in chunk]
        return cls(batches(), tuple(range(7)), False, len(table.rows))

    def assemble(self, lookup, err, new_id, writer) -> _Assembled:
        """_assemble over these rows."""
        return _assemble(self.batches, self.positions, self.skip_blank, lookup, err, new_id, writer, self.progress)


def _checked(a: _Assembled, err) -> _Assembled:
    """The pass's result, unless the file is refused."""
    if err.errors:
        raise ImportError_(err.errors)
    if not a.vouchers:
        raise ImportError_([(err.name, 2, "-", "文件中没有凭证")])
    return a


def _import_sqlite(session: Session, source: _Source, lookup, err, post, actor_id):
    """SQLite: the write lock is held (BEGIN IMMEDIATE), so ids, numbers and chain heads are read as the file
    is checked, and the lines are stored by the writer meanwhile. Returns the file and the chain heads it
    advanced (village id → [seq, hash]; empty for drafts)."""
    writer = _SQLiteWriter(session)
    try:
        a = _checked(source.assemble(lookup, err, itertools.count(_first_id(session)).__next__, writer), err)
        village_ids = {o.id for o in a.orgs.values()}
        heads = lock_chains(session, village_ids) if post else {}  # inside the savepoint: undone on refusal
        last = read_counters(session, village_ids) if post else {}
        order = date_order(a.vouchers)
        nxt = {key: last.get(key, 0) + 1 for key in month_counts(order)} if post else {}
        numbered_rows(order, post, heads, nxt, True, actor_id, lambda vrows: writer.add(V_SQL, vrows))
        writer.finish()
    except BaseException as exc:
        writer.abort(exc)
        raise
    _open_periods(session, a.vouchers)
    if post:
        store_counters(session, {key: n - 1 for key, n in nxt.items()})
        save_chains(session, heads)
        add_turnover_fen(session, a.turnover)
    return a, heads


def _import_postgresql(session: Session, source: _Source, lookup, err, post, actor_id):
    """PostgreSQL: lines are copied in as the file is checked (ids reserved a block at a time); once the whole
    file has passed, the chain heads are locked (first, as posting.post does), the months checked again,
    numbers taken, and the vouchers copied in. Returns what _import_sqlite does."""
    writer = _CopyWriter(session)
    if writer.keys_by_set:
        lookup = _holding(session, lookup, err, actor_id)
    try:
        a = _checked(source.assemble(lookup, err, _IdBlocks(session, writer, source.rows // 2 + 1), writer), err)
        writer.pause()
        order = date_order(a.vouchers)
        heads, nxt = {}, {}
        if post:
            counts = month_counts(order)
            heads = lock_chains(session, {vid for vid, _ym in counts})  # chain heads first, as posting.post does
            _refuse_months_closed_meanwhile(session, a.vouchers, err)
            nxt = take_numbers_bulk(session, counts)
        _open_periods(session, a.vouchers)
        numbered_rows(order, post, heads, nxt, False, actor_id, lambda vrows: writer.add(V_SQL, vrows))
        if post:
            with writer.keyed_by_set():
                add_turnover_fen(session, a.turnover)
        writer.finish()
    except BaseException as exc:
        writer.abort(exc)
        raise
    if post:
        save_chains(session, heads)
        analyze_if_believed_smaller(session.connection(), "account_turnover", len(a.turnover))
    return a, heads


def _holding(session: Session, lookup, err, actor_id):
    """The look-up, then the rows it read held as the foreign keys would hold them (write.hold_keys)."""
    def held(codes):
        orgs, closed = lookup(codes)
        try:
            hold_keys(session.connection(), orgs.values(), actor_id)
        except KeysChanged as exc:
            err.add(1, "org_code", f"导入期间有村、科目或用户被删除或改动（{exc}），请重新导入")
            raise ImportError_(err.errors) from None
        return orgs, closed
    return held


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
    if post:
        check_link()
    with _bulk():
        source = _Source.of(table)
        source.progress = progress
        run = _import_sqlite if session.bind.dialect.name == "sqlite" else _import_postgresql
        found: list[dict] = []

        def lookup(codes):
            orgs, closed = _lookups(session, codes, post)
            found.append(orgs)
            return orgs, closed
        try:
            a, heads = run(session, source, lookup, err, post, getattr(actor, "id", None))
        finally:
            for orgs in found:  # a voucher points at its org: no cycle left for a (disabled) GC
                for org in orgs.values():
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
        from threeassets.orgs.models import Village, names_by_id
        months = {vid: found for vid in sorted(per_village) if (found := cash_deficit_months(session, vid))}
        names = names_by_id(session, Village, months)
        deficits = {names[vid]: [f"{ym // 100}-{ym % 100:02d}" for ym, _b in found] for vid, found in months.items()}
    return {"vouchers": len(a.vouchers), "lines": a.lines, "villages": len(per_village),
            "cash_deficits": deficits}
