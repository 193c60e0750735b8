"""Fault test: several OS processes guess one account's password from one address at the same instant. The counts
live in the database and a check holds the address's rows until its guess is counted, so parallel guesses are
counted one after the other: exactly the free five and the one that starts the wait get through, never more.
Runs on the test database (SQLite file, or PostgreSQL when TEST_DATABASE_URL is set)."""
from __future__ import annotations

import traceback
from datetime import datetime

import pytest

from tests.spawned import run_spawned

WORKERS, PER_WORKER = 4, 5
T0 = datetime(2024, 5, 6, 9, 0)  # one instant for every guess: no wait ever runs out


def _worker(url: str, barrier, results) -> None:
    """One process: its own engine; PER_WORKER wrong passwords, one transaction each, as the login route does."""
    try:
        from threeassets import models_registry  # noqa: F401  (every mapper, as in the app)
        from threeassets.auth import service
        from threeassets.core.db import Database, transaction

        database = Database()
        database.bind(url)
        session = database.session()
        barrier.wait(timeout=60)
        outcomes = []
        for _ in range(PER_WORKER):
            with transaction(session):
                result = service.authenticate(session, "reviewer", "wrong-pass-1", now=T0, ip="203.0.113.66")
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
    outcomes = run_spawned(_worker, [(db_url,)] * WORKERS)
    assert outcomes.count("wrong") == 6 and outcomes.count("wait") == WORKERS * PER_WORKER - 6
    levels = {(r.subject, r.address): r.level for r in session.scalars(select(Throttle))}
    assert levels == {("", "203.0.113.66"): 6, ("reviewer", "203.0.113.66"): 6, ("reviewer", ""): 6}
