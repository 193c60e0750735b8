"""The posting mechanics shared by the voucher screen and bulk import: numbers, chain links, turnover."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, select, text, update
from sqlalchemy.orm import Session

from threeassets.core.money import to_fen
from threeassets.ledger.models import AccountTurnover, ChainHead, Voucher, VoucherCounter
from threeassets.ledger.rules import VoucherStatus, chain_hash, chain_payload


def insert_for(session: Session):
    """The dialect's INSERT with ON CONFLICT support (SQLite and PostgreSQL both have it)."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def locked_row(session: Session, model, **key):
    """Create a counter-like row if missing (racing creators do nothing), then select it FOR UPDATE."""
    session.execute(insert_for(session)(model).values(**key).on_conflict_do_nothing())
    q = select(model).filter_by(**key).with_for_update()
    return session.scalars(q.execution_options(populate_existing=True)).one()


def take_numbers(session: Session, village_id: int, ym: int, count: int = 1) -> int:
    """Reserve `count` gapless numbers for a village-month; returns the first. Rolls back with the caller."""
    counter = locked_row(session, VoucherCounter, village_id=village_id, ym=ym)
    first = counter.last + 1
    counter.last += count
    session.flush()
    return first


def lock_chain(session: Session, village_id: int) -> ChainHead:
    """Lock the village's chain head: postings of one village are serialised here."""
    return locked_row(session, ChainHead, village_id=village_id)


def fen_lines(lines) -> list[tuple[str, str, int, int]]:
    """(code, summary, debit, credit, ...) with Decimal amounts → the chain's (code, summary, fen, fen)."""
    return [(ln[0], ln[1], to_fen(ln[2]), to_fen(ln[3])) for ln in lines]


def add_turnover(session: Session, village_id: int, totals: dict[tuple[int, int], list[Decimal]]) -> None:
    """Add posted amounts to the per-account, per-month turnover rows (upsert)."""
    if not totals:
        return
    ins = insert_for(session)(AccountTurnover)
    stmt = ins.on_conflict_do_update(
        index_elements=["village_id", "account_id", "ym"],
        set_={"debit": AccountTurnover.debit + ins.excluded.debit,
              "credit": AccountTurnover.credit + ins.excluded.credit})
    rows = [{"village_id": village_id, "account_id": acc, "ym": ym, "debit": d, "credit": c}
            for (acc, ym), (d, c) in sorted(totals.items())]
    session.execute(stmt, rows)


def post_voucher(session: Session, voucher: Voucher, village, lines, *, actor_id: int | None) -> int:
    """Number, chain and post one voucher; lines are (code, summary, debit, credit, account_id)."""
    head = lock_chain(session, village.id)
    number = take_numbers(session, village.id, voucher.ym)
    payload = chain_payload(village.code, voucher.ym, number, voucher.voucher_date, voucher.reverses_id,
                            fen_lines(lines))
    voucher.number, voucher.status = number, VoucherStatus.POSTED
    voucher.poster_id, voucher.posted_at = actor_id, datetime.now()
    voucher.chain_seq, voucher.prev_hash = head.seq + 1, head.last_hash
    voucher.hash = chain_hash(head.last_hash, payload)
    head.seq, head.last_hash = voucher.chain_seq, voucher.hash
    totals: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for _code, _summary, debit, credit, account_id in lines:
        t = totals[(account_id, voucher.ym)]
        t[0] += debit
        t[1] += credit
    session.flush()
    add_turnover(session, village.id, totals)
    return number


# --- Bulk posting (voucher import): the same locks and rows, one statement per table instead of per voucher.
# Locks are taken in the order post_voucher takes them (chain heads, then counters), villages in id order.

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


TURNOVER_UPSERT = (
    "INSERT INTO account_turnover (village_id, account_id, ym, debit, credit) VALUES (:v, :a, :ym, :d, :c) "
    "ON CONFLICT (village_id, account_id, ym) DO UPDATE SET debit = account_turnover.debit + excluded.debit, "
    "credit = account_turnover.credit + excluded.credit")


def add_turnover_fen(session: Session, totals: dict[tuple[int, int, int], list[int]]) -> None:
    """Add posted amounts in fen, keyed (village_id, account_id, ym), to the turnover rows in one executemany."""
    if totals:
        session.execute(text(TURNOVER_UPSERT), [{"v": v, "a": a, "ym": ym, "d": d, "c": c}
                                                for (v, a, ym), (d, c) in sorted(totals.items())])
