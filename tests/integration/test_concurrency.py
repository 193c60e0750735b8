"""Several OS processes enter, review and post vouchers in one village and month at the same time.

Numbers must come out 1..N without gap or duplicate, the hash chain must verify, and the per-account
turnover must equal the posted lines. Runs on the test database: an SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import traceback
from datetime import date
from decimal import Decimal

import pytest

from tests.spawned import clerks_session, run_spawned

WORKERS = 4
PER_WORKER = 15
DAY = date(2024, 5, 15)
YM = 202405
# (debit, credit) account pairs; each worker rotates through them so turnover rows are shared and contended.
PAIRS = [("513", "101"), ("101", "501"), ("511", "102"), ("102", "503")]


def amount(worker: int, i: int) -> Decimal:
    """A distinct amount per voucher, so a lost or doubled posting shows in the sums."""
    return Decimal(f"{worker + 1}{i:02d}.{(worker * 17 + i) % 100:02d}")


def _worker(url: str, worker: int, village_id: int, user_ids: dict, barrier, results) -> None:
    """One process: its own engine and session; create, review and post PER_WORKER vouchers, one transaction each."""
    try:
        from threeassets.core.db import transaction
        from threeassets.ledger import service
        from threeassets.ledger.rules import LineInput

        database, session, village, (preparer, reviewer, poster) = clerks_session(url, village_id, user_ids)
        barrier.wait(timeout=60)
        posted = []
        for i in range(PER_WORKER):
            debit, credit = PAIRS[(worker + i) % len(PAIRS)]
            value = amount(worker, i)
            summary = f"进程{worker}第{i}张"
            with transaction(session):
                v = service.save_draft(session, village=village, actor=preparer, voucher_date=DAY, attachments=1,
                                       lines=[LineInput(summary, debit, value, Decimal(0)),
                                              LineInput(summary, credit, Decimal(0), value)])
            with transaction(session):
                service.review(session, voucher=v, village=village, actor=reviewer)
            with transaction(session):
                number = service.post(session, voucher=v, village=village, actor=poster)
            posted.append((v.id, number))
        session.close()
        database.engine.dispose()
        results.put(("ok", posted))
    except BaseException:  # report everything: the parent turns it into the test failure
        results.put(("error", f"worker {worker}: {traceback.format_exc()}"))


def _run_workers(url: str, village_id: int, user_ids: dict) -> list[tuple[int, int]]:
    """Start WORKERS spawned processes at once and collect (voucher_id, number) from all of them."""
    return run_spawned(_worker, [(url, w, village_id, user_ids) for w in range(WORKERS)])


@pytest.mark.slow
def test_parallel_posting_is_gapless_chained_and_balanced(db_url, session, world):
    from sqlalchemy import func, select

    from threeassets.ledger.chain import verify
    from threeassets.ledger.models import (
        Account,
        AccountTurnover,
        ChainHead,
        Voucher,
        VoucherCounter,
        VoucherLine,
    )

    village = world.a1
    users = {"preparer": world.user("accountant").id, "reviewer": world.user("reviewer").id,
             "poster": world.user("accountant2").id}
    session.rollback()
    posted = _run_workers(db_url, village.id, users)

    total = WORKERS * PER_WORKER
    session.rollback()
    numbers = sorted(n for _, n in posted)
    assert numbers == list(range(1, total + 1))
    rows = session.execute(select(Voucher.id, Voucher.number, Voucher.status, Voucher.chain_seq)
                           .where(Voucher.village_id == village.id)).all()
    assert len(rows) == total and {r.status for r in rows} == {"posted"}
    assert sorted(r.number for r in rows) == list(range(1, total + 1))
    assert sorted(r.chain_seq for r in rows) == list(range(1, total + 1))
    assert {(r.id, r.number) for r in rows} == set(posted)
    assert session.get(VoucherCounter, (village.id, YM)).last == total
    assert session.get(ChainHead, village.id).seq == total

    problems, checked = verify(session, village.code)
    assert problems == [] and checked == total

    line_sums = {code: (d, c) for code, d, c in session.execute(
        select(Account.code, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
        .join(Account, Account.id == VoucherLine.account_id)
        .where(VoucherLine.village_id == village.id).group_by(Account.code))}
    turnover = {code: (d, c) for code, d, c in session.execute(
        select(Account.code, AccountTurnover.debit, AccountTurnover.credit)
        .join(Account, Account.id == AccountTurnover.account_id)
        .where(AccountTurnover.village_id == village.id, AccountTurnover.ym == YM))}
    assert turnover == line_sums

    expected: dict[str, list[Decimal]] = {}
    for w in range(WORKERS):
        for i in range(PER_WORKER):
            debit, credit = PAIRS[(w + i) % len(PAIRS)]
            expected.setdefault(debit, [Decimal(0), Decimal(0)])[0] += amount(w, i)
            expected.setdefault(credit, [Decimal(0), Decimal(0)])[1] += amount(w, i)
    assert turnover == {code: tuple(v) for code, v in expected.items()}
