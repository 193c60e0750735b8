"""The posting mechanics shared by the voucher screen and bulk import: numbers, chain links, turnover."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from threeassets.core.money import to_fen
from threeassets.ledger.models import AccountTurnover, ChainHead, Voucher, VoucherCounter
from threeassets.ledger.rules import VoucherStatus, chain_hash, chain_payload


def insert_for(session: Session):
    """The dialect's INSERT with ON CONFLICT support (SQLite and PostgreSQL both have it)."""
    return (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)


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
