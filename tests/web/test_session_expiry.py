"""Sessions end eight hours after login, even for a user who keeps clicking."""
from datetime import datetime, timedelta


def test_session_older_than_eight_hours_is_logged_out(as_user, world):
    c = as_user("accountant")
    assert c.get("/").status_code == 200
    with c.session_transaction() as sess:
        sess["login_at"] = (datetime.now() - timedelta(hours=8, minutes=1)).timestamp()
    resp = c.get(f"/v/{world.a1.id}/vouchers")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_session_younger_than_eight_hours_stays(as_user, world):
    c = as_user("accountant")
    with c.session_transaction() as sess:
        sess["login_at"] = (datetime.now() - timedelta(hours=7, minutes=59)).timestamp()
    assert c.get(f"/v/{world.a1.id}/vouchers").status_code == 200
