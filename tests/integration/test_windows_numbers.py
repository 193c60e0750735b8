"""Concurrent intake in several OS processes: case numbers of one township and day come out 1..N, no gaps."""
from __future__ import annotations

import traceback
from datetime import date

import pytest

from tests.spawned import run_spawned

WORKERS = 4
PER_WORKER = 10
DAY = date(2026, 11, 26)


def _worker(url: str, township_id: int, item_id: int, clerk_id: int, barrier, results) -> None:
    """One process with its own engine: PER_WORKER intakes, one transaction each."""
    try:
        from threeassets.core.db import Database, transaction
        from threeassets.models_registry import ServiceItem, Township, User
        from threeassets.windows import service

        database = Database()
        database.bind(url)
        session = database.session()
        township, item, clerk = (session.get(Township, township_id), session.get(ServiceItem, item_id),
                                 session.get(User, clerk_id))
        session.rollback()
        barrier.wait(timeout=60)
        numbers = []
        for i in range(PER_WORKER):
            with transaction(session):
                case = service.intake(session, township=township, item=item, actor=clerk, applicant_name=f"申请人{i}",
                                      applicant_phone="13800001234", today=DAY)
            numbers.append(case.number)
        session.close()
        database.engine.dispose()
        results.put(("ok", numbers))
    except BaseException:  # the parent turns it into the failure
        results.put(("error", traceback.format_exc()))


@pytest.mark.slow
def test_parallel_intake_numbers_are_gapless(db_url, session, world):
    from sqlalchemy import select

    from threeassets.windows.catalogue import item_by_code
    from threeassets.windows.models import Case, CaseCounter
    item = item_by_code(session, world.township_a.id, "cert")
    args = (db_url, world.township_a.id, item.id, world.user("clerk").id)
    session.rollback()
    got = run_spawned(_worker, [args] * WORKERS)
    total = WORKERS * PER_WORKER
    assert sorted(got) == [f"TA-20261126-{n:04d}" for n in range(1, total + 1)]
    session.rollback()
    assert sorted(session.scalars(select(Case.number))) == sorted(got)
    assert session.get(CaseCounter, (world.township_a.id, DAY)).last == total
