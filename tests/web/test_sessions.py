"""Sessions end when they should (issue 11, point 3): logout ends the login on the server, so a copy of the cookie
taken before is refused after; an administrator ends all of a user's logins; a password change ends the others;
a cookie shown by another browser opens nothing; the 8-hour limit holds on the server's clock."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, login
from tests.web.conftest import count, csrf_login, csrf_token, tbody
from threeassets.auth.models import LoginSession
from threeassets.core.audit import AuditEvent

COOKIE = "ta_session"
T0 = datetime(2024, 5, 6, 9, 0)


def _logged_in(client) -> bool:
    """Whether the client's cookie still opens a page (instead of bouncing to /login)."""
    return client.get("/password").status_code == 200


def _copy(app, client, agent: str | None = None, address: str | None = None):
    """Another client holding a copy of this client's session cookie (a stolen or replayed cookie)."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    if agent:
        thief.environ_base["HTTP_USER_AGENT"] = agent
    if address:
        thief.environ_base["REMOTE_ADDR"] = address
    return thief


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, set by the test (no sleeping)."""
    class Clock:
        now = T0

        def move(self, **delta):
            self.now += timedelta(**delta)
    fake = Clock()
    monkeypatch.setattr("threeassets.core.clock.now", lambda: fake.now)
    return fake


# Logout --------------------------------------------------------------------------------------------------------

def test_a_cookie_copied_before_logout_is_refused_after(app, world):
    victim = app.test_client()
    login(victim, "accountant")
    copy = _copy(app, victim)
    assert _logged_in(copy), "the copy works while the login lasts"
    assert victim.post("/logout").status_code == 302
    assert not _logged_in(copy)
    assert copy.get(f"/v/{world.a1.id}/vouchers").headers["Location"].startswith("/login")


def test_logout_ends_that_login_only(app, world):
    office, phone = app.test_client(), app.test_client()
    login(office, "head")
    login(phone, "head")
    office.post("/logout")
    assert not _logged_in(office) and _logged_in(phone)


def test_logout_with_the_real_form_ends_the_login(csrf_app, world):
    client = csrf_app.test_client()
    csrf_login(client, "clerk")
    copy = _copy(csrf_app, client)
    assert client.post("/logout", data={"csrf_token": csrf_token(client, "/password")}).status_code == 302
    assert not _logged_in(copy)


def test_the_database_keeps_no_usable_secret(app, world, session):
    client = app.test_client()
    login(client, "reviewer")
    session.rollback()
    row = session.scalar(select(LoginSession))
    login_id, secret = _key(app, client).split(":")
    assert int(login_id) == row.id and secret not in (row.secret_hash, row.agent_hash) and len(secret) >= 40


def _key(app, client) -> str:
    """The login key ("<id>:<secret>") the client's cookie carries."""
    with app.test_request_context():
        from flask import current_app
        return current_app.session_interface.get_signing_serializer(current_app).loads(
            client.get_cookie(COOKIE).value).get("_user_id", "")


def test_each_login_gets_its_own_secret_and_a_cookie_from_before_stays_anonymous(app, world):
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"  # a cookie handed to the victim before he logs in
    before = _copy(app, client)
    login(client, "head")
    first = _key(app, client)
    assert not _logged_in(before)
    client.post("/logout")
    login(client, "head")
    second = _key(app, client)
    assert first.split(":")[0] != second.split(":")[0] and first.split(":")[1] != second.split(":")[1]
    assert len(second.split(":")[1]) >= 43  # 256 bits, url-safe base64


# An administrator ends a user's logins ---------------------------------------------------------------------------

def test_the_head_ends_all_logins_of_a_user(app, world, session):
    office, phone, head = app.test_client(), app.test_client(), app.test_client()
    login(office, "vacct")
    login(phone, "vacct")
    stolen = _copy(app, phone)
    login(head, "head")
    vacct = world.user("vacct")
    page = head.get(f"/users/{vacct.id}").get_data(as_text=True)
    assert page.count("<tr><td") == 2 and f"/users/{vacct.id}/logins/end" in page  # two open logins listed
    resp = head.post(f"/users/{vacct.id}/logins/end", follow_redirects=True)
    assert "已结束用户 vacct 的 2 个登录会话" in resp.get_data(as_text=True)
    assert not any(_logged_in(c) for c in (office, phone, stolen))
    assert _logged_in(head)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "user.logins_end"))
    assert event.actor_name == "head" and event.object_id == vacct.id and '"ended": 2' in event.detail
    assert event.township_id == world.township_a.id
    assert "结束登录会话" in tbody(head.get("/audit?action=user.logins_end").get_data(as_text=True))
    assert login(office, "vacct").status_code == 302 and _logged_in(office), "the user may log in again"


def test_ending_ones_own_logins_keeps_the_one_doing_it(app, world):
    here, there = app.test_client(), app.test_client()
    login(here, "admin")
    login(there, "admin")
    here.post(f"/users/{world.user('admin').id}/logins/end")
    assert _logged_in(here) and not _logged_in(there)


def test_the_head_cannot_end_another_townships_logins(app, world):
    victim, head = app.test_client(), app.test_client()
    login(victim, "accountant_b")
    login(head, "head")
    assert head.post(f"/users/{world.user('accountant_b').id}/logins/end").status_code == 404
    assert _logged_in(victim)


@pytest.mark.parametrize("who", ["accountant", "clerk", "vacct", "supervisor"])
def test_only_user_managers_end_logins(who, app, world):
    victim, other = app.test_client(), app.test_client()
    login(victim, "reviewer")
    login(other, who)
    assert other.post(f"/users/{world.user('reviewer').id}/logins/end").status_code == 403
    assert _logged_in(victim)


def test_password_change_ends_other_logins_and_their_copies(app, world):
    here, there = app.test_client(), app.test_client()
    login(here, "accountant")
    login(there, "accountant")
    copy_of_here = _copy(app, here)
    resp = here.post("/password", data={"current": PASSWORD, "password": "new-pass-456", "confirm": "new-pass-456"})
    assert resp.status_code == 302
    assert _logged_in(here), "the browser that changed it gets a new login"
    assert not _logged_in(there) and not _logged_in(copy_of_here), "the old cookie of this browser too"


def test_deactivation_ends_logins(app, world, session):
    victim, head = app.test_client(), app.test_client()
    login(victim, "board")
    login(head, "head")
    board = world.user("board")
    head.post(f"/users/{board.id}", data={"display_name": "board", "role": "village_board", "township_id": "",
                                          "village_id": str(world.a1.id)})
    assert not _logged_in(victim)
    session.rollback()
    assert session.scalar(select(LoginSession.end_reason).where(LoginSession.user_id == board.id)) == "deactivated"


# Session binding (what Flask-Login's "strong" protection promised) -------------------------------------------

def test_a_cookie_shown_by_another_browser_is_refused(app, world):
    """The login is bound to the browser that began it: its cookie replayed by another program opens nothing."""
    victim = app.test_client()
    victim.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Windows NT 10.0) Chrome/120"
    login(victim, "head")
    thief = _copy(app, victim, agent="curl/8.5", address="198.51.100.7")
    assert not _logged_in(thief)
    assert _logged_in(victim), "the owner keeps his login"


def test_a_phone_that_changes_network_stays_logged_in(app, world):
    """Addresses are not bound: a phone moving from the office Wi-Fi to mobile data keeps its login."""
    phone = app.test_client()
    phone.environ_base.update(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Mobile", REMOTE_ADDR="10.0.0.8")
    login(phone, "vacct")
    phone.environ_base["REMOTE_ADDR"] = "100.64.3.9"
    assert _logged_in(phone)


# The 8-hour limit on the server's clock ---------------------------------------------------------------------

def test_a_login_ends_eight_hours_after_it_began(app, world, clock):
    c = app.test_client()
    login(c, "accountant")
    copy = _copy(app, c)
    clock.move(hours=7, minutes=59)
    assert c.get(f"/v/{world.a1.id}/vouchers").status_code == 200
    clock.move(minutes=2)
    resp = c.get(f"/v/{world.a1.id}/vouchers")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert "登录已超过8小时" in c.get("/login").get_data(as_text=True)
    assert not _logged_in(copy)


def test_activity_does_not_extend_a_login(app, world, clock):
    c = app.test_client()
    login(c, "head")
    for _ in range(9):
        clock.move(minutes=55)
        assert _logged_in(c) == (clock.now < T0 + timedelta(hours=8))
    assert not _logged_in(c)


def test_a_page_does_not_send_the_session_cookie_again(app, world):
    """The 8 hours are kept on the server, so an ordinary page neither signs nor sends the cookie anew (the login,
    the first page's form token and a page that leaves a message do)."""
    c = app.test_client()
    assert "Set-Cookie" in login(c, "accountant").headers
    c.get(f"/v/{world.a1.id}/vouchers")  # its forms' token joins the session
    page = c.get(f"/v/{world.a1.id}/vouchers")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert _logged_in(c)


def test_the_open_logins_list_leaves_out_ended_and_expired_ones(app, world, clock, session):
    old, new, ended, head = (app.test_client() for _ in range(4))
    login(old, "clerk")
    clock.move(hours=7)
    login(new, "clerk")
    login(ended, "clerk")
    ended.post("/logout")
    clock.move(hours=2)
    login(head, "head")
    page = head.get(f"/users/{world.user('clerk').id}").get_data(as_text=True)
    assert page.count("<tr><td") == 1 and "16:00" in page  # only `new`, begun 16:00, expiring 00:00 … listed
    assert count(session, LoginSession) == 4
