"""Books under load and after accidents: a process that posts until told to stop (or killed), and the check that
books are whole (every voucher complete and balanced, numbers and chain gapless, turnover and the trial balance
agreeing with the lines, the chain verifying). Used by the backup and the fault tests."""
from __future__ import annotations

import os
import threading
import time
import traceback
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from tests.spawned import clerks_session, run_spawned
from threeassets.core.db import make_engine
from threeassets.ledger.chain import verify
from threeassets.ledger.models import Account, AccountTurnover, ChainHead, Voucher, VoucherCounter, VoucherLine
from threeassets.reports.service import tb_totals, trial_balance

DAY = date(2024, 5, 15)
YM = 202405
# Four lines a voucher: a copy torn inside a voucher would show as a voucher with fewer lines or unbalanced.
LINES = [("513", True), ("511", True), ("101", False), ("102", False)]


def posted_count(url: str, posted_only: bool = True) -> int:
    """Posted vouchers (or all vouchers) in a database right now (its own short connection)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT count(*) FROM voucher"
                                    + (" WHERE status = 'posted'" if posted_only else "")))
    finally:
        engine.dispose()


def _poster(url: str, village_id: int, user_ids: dict, stop: str, barrier, results) -> None:
    """A separate process: enter, review and post four-line vouchers, one transaction each, until told to stop."""
    try:
        from threeassets.core.db import transaction
        from threeassets.ledger import service
        from threeassets.ledger.rules import LineInput

        database, session, village, (preparer, reviewer, poster) = clerks_session(url, village_id, user_ids)
        barrier.wait(timeout=60)
        n, deadline = 0, time.monotonic() + 180
        while not os.path.exists(stop) and time.monotonic() < deadline:
            n += 1
            a, b = Decimal(f"{n}.{n % 100:02d}"), Decimal(n * 3)
            amounts = {"513": a, "511": b, "101": a, "102": b}
            lines = [LineInput(f"第{n}张", code, amounts[code] if debit else Decimal(0),
                               Decimal(0) if debit else amounts[code]) for code, debit in LINES]
            with transaction(session):
                v = service.save_draft(session, village=village, actor=preparer, voucher_date=DAY, attachments=1,
                                       lines=lines)
                service.review(session, voucher=v, village=village, actor=reviewer)
                service.post(session, voucher=v, village=village, actor=poster)
        session.close()
        database.engine.dispose()
        results.put(("ok", [n]))
    except BaseException:  # report everything: the parent turns it into the test failure
        results.put(("error", traceback.format_exc()))


class Posting:
    """The poster process, run in the background while the test takes its backup."""

    def __init__(self, url: str, village_id: int, user_ids: dict, stop: Path) -> None:
        self.stop, self.total, self.error = stop, None, None
        self.thread = threading.Thread(target=self._run, args=(url, village_id, user_ids), daemon=True)

    def _run(self, url, village_id, user_ids) -> None:
        try:
            (self.total,) = run_spawned(_poster, [(url, village_id, user_ids, str(self.stop))], timeout=300)
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            self.error = exc

    def __enter__(self) -> Posting:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.touch()
        self.thread.join(300)
        if self.error is not None:
            raise self.error


def wait_for_postings(url: str, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while (n := posted_count(url)) < at_least:
        assert time.monotonic() < deadline, f"only {n} vouchers posted in {timeout} s"
        time.sleep(0.2)
    return n


def check_books(url: str, village_id: int, village_code: str) -> int:
    """Every voucher of the village is whole, numbers and chain gapless, turnover and trial balance agree
    with the lines; returns the number of posted vouchers."""
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            rows = s.execute(select(Voucher.id, Voucher.number, Voucher.chain_seq, Voucher.status)
                             .where(Voucher.village_id == village_id)).all()
            n = len(rows)
            assert {r.status for r in rows} == {"posted"}
            assert sorted(r.number for r in rows) == list(range(1, n + 1))
            assert sorted(r.chain_seq for r in rows) == list(range(1, n + 1))
            assert s.get(VoucherCounter, (village_id, YM)).last == n and s.get(ChainHead, village_id).seq == n
            per_voucher = s.execute(select(VoucherLine.voucher_id, func.count(), func.sum(VoucherLine.debit),
                                           func.sum(VoucherLine.credit)).group_by(VoucherLine.voucher_id)).all()
            assert len(per_voucher) == n
            assert all(count == len(LINES) and debit == credit for _id, count, debit, credit in per_voucher)
            lines = dict(s.execute(select(Account.code, func.sum(VoucherLine.debit) - func.sum(VoucherLine.credit))
                                   .join(Account, Account.id == VoucherLine.account_id).group_by(Account.code)).all())
            turnover = dict(s.execute(select(Account.code, AccountTurnover.debit - AccountTurnover.credit)
                                      .join(Account, Account.id == AccountTurnover.account_id)
                                      .where(AccountTurnover.ym == YM)).all())
            assert {k: Decimal(v) for k, v in turnover.items()} == {k: Decimal(v) for k, v in lines.items()}
            totals = tb_totals(trial_balance(s, [village_id], YM, YM))
            debits = s.scalar(select(func.sum(VoucherLine.debit)))
            assert totals[2] == totals[3] == debits
            problems, checked = verify(s, village_code)
            assert problems == [] and checked == n
            return n
    finally:
        engine.dispose()


