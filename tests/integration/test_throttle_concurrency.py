"""Fault tests: several OS processes guess one account's password at the same instant, from one address, or each
from addresses of its own once the account is past the point where strangers wait. The counts live in the
database and a check holds the rows it reads until its guess is counted, so parallel guesses are counted one
after the other: exactly the guesses the rules allow get through, never more. Runs on the test database (SQLite
file, or PostgreSQL when TEST_DATABASE_URL is set)."""
from __future__ import annotations

import os
import traceback
from datetime import datetime

import pytest

from tests.spawned import run_spawned

WORKERS, PER_WORKER = 4, 5
T0 = datetime(2024, 5, 6, 9, 0)  # one instant for every guess: no wait ever runs out


def _worker(url: str, own_addresses: bool, barrier, results) -> None:
    """One process: its own engine; PER_WORKER wrong passwords, one transaction each, as the login route does, from
    one shared address or (own_addresses) from a new address each."""
    try:
        from threeassets import models_registry  # noqa: F401  (every mapper, as in the app)
        from threeassets.auth import service
        from threeassets.core.db import Database, transaction

        database = Database()
        database.bind(url)
        session = database.session()
        barrier.wait(timeout=60)
        outcomes = []
        for n in range(PER_WORKER):
            pid = os.getpid()
            ip = f"10.{pid // 250 % 250}.{pid % 250}.{n}" if own_addresses else "203.0.113.66"
            with transaction(session):
                result = service.authenticate(session, "reviewer", "wrong-pass-1", now=T0, ip=ip)
            outcomes.append("wait" if result.wait else "wrong")
        session.close()
        database.engine.dispose()
        results.put(("ok", outcomes))
    except BaseException:  # report everything: the parent turns it into the test failure
        results.put(("error", traceback.format_exc()))


@pytest.mark.slow
def test_parallel_guesses_are_all_counted_and_none_slips_through(db_url, session, world):
    from sqlalchemy import select

    from threeassets.core.throttle import Throttle
    session.close()
    outcomes = run_spawned(_worker, [(db_url, False)] * WORKERS)
    assert outcomes.count("wrong") == 6 and outcomes.count("wait") == WORKERS * PER_WORKER - 6
    levels = {(r.subject, r.address): r.level for r in session.scalars(select(Throttle))}
    assert levels == {("", "203.0.113.66"): 6, ("reviewer", "203.0.113.66"): 6, ("reviewer", ""): 6}


@pytest.mark.slow
def test_parallel_strangers_cannot_slip_past_the_accounts_wait(db_url, session, world):
    """60 misses from as many addresses, then four processes guessing from addresses never seen: the 61st miss
    makes every stranger wait, and only one of the parallel guesses is that miss."""
    from sqlalchemy import select

    from threeassets.auth import service
    from threeassets.core.db import transaction
    from threeassets.core.throttle import Throttle
    for n in range(60):
        with transaction(session):
            assert service.authenticate(session, "reviewer", "wrong-pass-1", now=T0, ip=f"198.51.100.{n}").error
    session.close()
    outcomes = run_spawned(_worker, [(db_url, True)] * WORKERS)
    assert outcomes.count("wrong") == 1 and outcomes.count("wait") == WORKERS * PER_WORKER - 1
    assert session.scalar(select(Throttle.level).filter_by(subject="reviewer", address="")) == 61
