"""Sessions end eight hours after login, even for a user who keeps clicking (the server's clock decides)."""
from datetime import datetime, timedelta

import pytest

T0 = datetime(2024, 5, 6, 9, 0)


@pytest.fixture
def now(monkeypatch):
    """The server's clock, as a one-item list the test moves."""
    clock = [T0]
    monkeypatch.setattr("threeassets.core.clock.now", lambda: clock[0])
    return clock


def test_session_older_than_eight_hours_is_logged_out(as_user, world, now):
    c = as_user("accountant")
    assert c.get("/").status_code == 200
    now[0] = T0 + timedelta(hours=8, minutes=1)
    resp = c.get(f"/v/{world.a1.id}/vouchers")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_session_younger_than_eight_hours_stays(as_user, world, now):
    c = as_user("accountant")
    now[0] = T0 + timedelta(hours=7, minutes=59)
    assert c.get(f"/v/{world.a1.id}/vouchers").status_code == 200
