"""Posting many vouchers at once (the bulk importer): the chain-head and counter locks of posting.post, taken
in the same order (chain heads, then counters; villages in id order), the same gapless numbers and the same
chain links, with one statement per table instead of one per voucher. Periods are not share-locked one by one:
the importer reads them, and after the chain heads are held reads them again (a month close takes the chain
head too), refusing a file whose month was closed in between. With posting.py, the only code that sets a
voucher's number, hash or posted state."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from hashlib import sha256

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from threeassets.core.db import insert_for
from threeassets.ledger.models import ChainHead, VoucherCounter
from threeassets.ledger.rules import chain_hash, chain_payload

# A voucher as the importer assembles it and numbered_rows takes it is a list (cheaper than an object at 200k
# vouchers), and all that is kept of it while its lines are already written: [org, voucher_ref, day (date, ISO
# text, yyyymm, ordinal), first file line, its lines as the hash chain takes them (chain_body), debit total,
# credit total, voucher id, number of lines].
V_ORG, V_REF, V_DAY, V_FIRST, V_BODY, V_DEBIT, V_CREDIT, V_ID, V_COUNT = range(9)


V_SQL = ("INSERT INTO voucher (id, village_id, ym, voucher_date, number, status, attachments, total, "
         "preparer_id, created_at, posted_at, source_ref, chain_seq, prev_hash, hash) VALUES ")
STREAM_VOUCHERS = 2_000  # vouchers handed to the writer at a time while the rest are numbered and hashed


def lock_chains(session: Session, village_ids) -> dict[int, list]:
    """Lock the chain heads of many villages; returns village id → [seq, last_hash] to advance in Python."""
    ids = sorted(set(village_ids))
    if not ids:
        return {}
    t = ChainHead.__table__
    session.execute(insert_for(session)(t).on_conflict_do_nothing(),
                    [{"village_id": vid, "seq": 0, "last_hash": ""} for vid in ids])
    q = (select(t.c.village_id, t.c.seq, t.c.last_hash).where(t.c.village_id.in_(ids))
         .order_by(t.c.village_id).with_for_update())
    return {vid: [seq, last_hash] for vid, seq, last_hash in session.execute(q)}


def save_chains(session: Session, heads: dict[int, list]) -> None:
    """Write back chain heads advanced by the caller (rows locked by lock_chains)."""
    if not heads:
        return
    t = ChainHead.__table__
    stmt = (update(t).where(t.c.village_id == bindparam("vid"))
            .values(seq=bindparam("new_seq"), last_hash=bindparam("new_hash")))
    session.execute(stmt, [{"vid": vid, "new_seq": seq, "new_hash": h} for vid, (seq, h) in sorted(heads.items())])


def take_numbers_bulk(session: Session, counts: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
    """Reserve gapless numbers for many village-months: (village_id, ym) → count in, → first number out."""
    if not counts:
        return {}
    t = VoucherCounter.__table__
    keys = sorted(counts)
    session.execute(insert_for(session)(t).on_conflict_do_nothing(),
                    [{"village_id": vid, "ym": ym, "last": 0} for vid, ym in keys])
    q = (select(t.c.village_id, t.c.ym, t.c.last).where(t.c.village_id.in_({vid for vid, _ in keys}))
         .order_by(t.c.village_id, t.c.ym).with_for_update())
    last = {(vid, ym): n for vid, ym, n in session.execute(q)}
    stmt = (update(t).where(t.c.village_id == bindparam("vid"), t.c.ym == bindparam("key_ym"))
            .values(last=bindparam("new_last")))
    session.execute(stmt, [{"vid": vid, "key_ym": ym, "new_last": last[(vid, ym)] + counts[(vid, ym)]}
                           for vid, ym in keys])
    return {key: last[key] + 1 for key in keys}


def read_counters(session: Session, village_ids) -> dict[tuple[int, int], int]:
    """Last numbers handed out, (village_id, ym) → last, for callers that already hold the write lock (SQLite
    under BEGIN IMMEDIATE, or chain heads locked for every one of these villages)."""
    t = VoucherCounter.__table__
    q = select(t.c.village_id, t.c.ym, t.c.last).where(t.c.village_id.in_(sorted(set(village_ids))))
    return {(vid, ym): last for vid, ym, last in session.execute(q)}


def store_counters(session: Session, last: dict[tuple[int, int], int]) -> None:
    """Write counters computed from read_counters (insert or overwrite)."""
    if not last:
        return
    ins = insert_for(session)(VoucherCounter.__table__)
    stmt = ins.on_conflict_do_update(index_elements=["village_id", "ym"], set_={"last": ins.excluded.last})
    session.execute(stmt, [{"village_id": vid, "ym": ym, "last": n} for (vid, ym), n in sorted(last.items())])


_TURNOVER_INTO = "INSERT INTO account_turnover (village_id, account_id, ym, debit, credit) "
_TURNOVER_ADD = ("ON CONFLICT (village_id, account_id, ym) DO UPDATE SET debit = account_turnover.debit + "
                 "excluded.debit, credit = account_turnover.credit + excluded.credit")
TURNOVER_UPSERT = _TURNOVER_INTO + "VALUES (:v, :a, :ym, :d, :c) " + _TURNOVER_ADD
# PostgreSQL: the same upsert as one statement over five arrays (an executemany of a township's ~15,000 rows
# takes about ten times as long, one statement each).
TURNOVER_UPSERT_ARRAYS = (_TURNOVER_INTO + "SELECT * FROM unnest(CAST(:v AS integer[]), CAST(:a AS integer[]), "
                          "CAST(:ym AS integer[]), CAST(:d AS bigint[]), CAST(:c AS bigint[])) " + _TURNOVER_ADD)


def add_turnover_fen(session: Session, totals: dict[tuple[int, int, int], list[int]]) -> None:
    """Add posted amounts in fen, keyed (village_id, account_id, ym), to the turnover rows: one executemany on
    SQLite, one statement over arrays on PostgreSQL. Keys in order, so concurrent writers lock rows alike."""
    if not totals:
        return
    rows = [{"v": v, "a": a, "ym": ym, "d": d, "c": c} for (v, a, ym), (d, c) in sorted(totals.items())]
    if session.bind.dialect.name == "postgresql":
        session.execute(text(TURNOVER_UPSERT_ARRAYS), {k: [r[k] for r in rows] for k in ("v", "a", "ym", "d", "c")})
    else:
        session.execute(text(TURNOVER_UPSERT), rows)


def chain_body(lines) -> str:
    """The lines of a voucher as its chain link takes them; the importer builds the same text a line at a time."""
    return "\n".join([f"{code}|{summary}|{d}|{c}" for code, summary, d, c in lines])


# Frozen: a copy of rules.chain_payload + chain_hash whose digests are stored; test_frozen_formats pins both alike.
def _link(prev: str, village_code: str, ym: int, number: int, day: tuple, body: str) -> str:
    """rules.chain_hash(prev, rules.chain_payload(...)) of a voucher that reverses nothing, in one expression, from
    the text of its lines (chain_body): the importer keeps that text rather than the lines. check_link compares
    it with rules before an import writes anything."""
    return sha256(f"{prev}\n{village_code}|{ym}|{number}|{day[1]}|\n{body}".encode()).hexdigest()


def _rules_link(prev: str, village_code: str, ym: int, number: int, day: tuple, lines: list[tuple]) -> str:
    """The chain link exactly as rules computes it for the voucher screen and verify-chain."""
    return chain_hash(prev, chain_payload(village_code, ym, number, day[0], None, lines))


# An ordinary voucher of two lines, with the characters the canonical text separates by and a reversal's sign.
_SAMPLE = ("p", "A1", 202405, 7, (date(2024, 5, 8), "2024-05-08", 202405, 739014),
           [("1001", "收到 租金|押金", 35650, 0), ("5011", "冲销", 0, -35650)])


def check_link() -> None:
    """Refuse to post with _link if it ever differs from rules (it would write links verify-chain rejects)."""
    *head, lines = _SAMPLE
    if _link(*head, chain_body(lines)) != _rules_link(*head, lines):
        raise RuntimeError("bulk_posting._link differs from rules.chain_hash: fix it before importing")


def date_order(vouchers: list[list]) -> list[list]:
    """Vouchers by village, then date; within a day, in file order (the sort is stable)."""
    return sorted(vouchers, key=lambda v: v[V_ORG].id * 10_000_000 + v[V_DAY][3])


def numbered_rows(order: list[list], post: bool, heads: dict, nxt: dict, sqlite: bool, actor_id, emit) -> None:
    """The voucher rows, handed to emit() a batch at a time (each batch sorted by id); when posting, numbered
    from nxt and chained from heads (both advanced)."""
    now = datetime.now()
    # SQLite keeps dates as text: hand it the text SQLAlchemy would write rather than date objects.
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now
    status, posted_at = ("posted", stamp) if post else ("draft", None)
    vrows = []
    key = head = None  # (village id, ym) being numbered, and that village's chain head
    number = seq = prev = digest = None
    link = _link
    for org, ref, day, _first, body, total, _credit, vid_, _n in order:
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
            digest = head[1] = link(prev, org.code, ym, number, day, body)
            seq = head[0] = head[0] + 1
        vrows.append((vid_, vid, ym, day[1] if sqlite else day[0], number, status, 0, total, actor_id,
                      stamp, posted_at, ref, seq, prev, digest))
        if len(vrows) == STREAM_VOUCHERS:
            vrows.sort()  # by id: the table's b-tree fills in order
            emit(vrows)
            vrows = []
    if key is not None:
        nxt[key] = number + 1
    vrows.sort()
    emit(vrows)


def month_counts(order: list[list]) -> dict[tuple[int, int], int]:
    """How many vouchers each (village id, ym) gets."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for v in order:
        counts[(v[V_ORG].id, v[V_DAY][2])] += 1
    return counts
