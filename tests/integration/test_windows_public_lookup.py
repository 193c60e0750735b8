"""The public case lookup as a service (windows.service.public_lookup), on a fake clock: a hit shows the case, a
miss is counted against the address and the number, a waiting address is not answered at all, the applicant at
another address is; the number is matched however it was typed."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from tests.web.access_windows import make_case
from threeassets.core.backoff import NO_WAIT
from threeassets.core.db import transaction
from threeassets.core.throttle import Throttle
from threeassets.windows import queries, service
from threeassets.windows.models import Case

T0 = datetime(2024, 5, 6, 9, 0)
STRANGER, APPLICANT = "203.0.113.66", "192.0.2.10"


def _look(session, number, tail, address=STRANGER, now=T0):
    with transaction(session):
        return service.public_lookup(session, number, tail, address=address, now=now)


def test_a_hit_shows_the_case_and_a_miss_is_counted(session, world):
    number = session.get(Case, make_case(session, world, world.a1)).number
    status, owed = _look(session, number.lower(), "1234")
    assert isinstance(status, queries.PublicStatus) and status.number == number and owed == NO_WAIT
    assert _look(session, number, "9999") == (None, NO_WAIT)
    levels = {(r.subject, r.address): r.level for r in session.scalars(select(Throttle).filter_by(scope="case"))}
    assert levels == {("", STRANGER): 1, (number.upper(), STRANGER): 1, (number.upper(), ""): 1}


def test_a_waiting_address_is_not_answered_and_the_applicant_is(session, world, monkeypatch):
    number = session.get(Case, make_case(session, world, world.a1)).number
    for tail in range(6):
        assert _look(session, number, f"{tail:04d}")[0] is None
    looked = []
    monkeypatch.setattr(queries, "public_status", lambda *a: looked.append(a))
    status, owed = _look(session, number, "1234")
    assert status is None and owed == timedelta(seconds=1) and looked == [], "the case is not even looked at"
    monkeypatch.undo()
    status, owed = _look(session, number, "1234", address=APPLICANT)
    assert status is not None and status.applicant == "张*" and owed == NO_WAIT
    assert _look(session, number, "1234", now=T0 + timedelta(seconds=1))[0] is not None, "the wait over"
