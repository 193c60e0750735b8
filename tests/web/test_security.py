"""Security through the web: CSRF, login throttling, cookies and headers, session ending, user admin limits."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, login
from tests.web.conftest import count, csrf_login, csrf_token, tbody
from tests.web.test_access import ROUTES, make_record, send
from threeassets.auth.models import User
from threeassets.core.audit import AuditEvent, CountyAuditEvent
from threeassets.ledger.models import Voucher

POST_ROUTES = [x for x in ROUTES if x.method == "POST"]
ALERT = re.compile(r'role="alert">([^<]*)<')


def _fresh(session, model, row_id):
    session.rollback()
    return session.get(model, row_id, populate_existing=True)


def _logged_in(client) -> bool:
    """Whether the client's session still opens a page (instead of bouncing to /login)."""
    resp = client.get("/password")
    return resp.status_code == 200


# CSRF ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda x: x.id)
def test_post_without_csrf_token_is_400(route, csrf_app, csrf_client, world, records, ctx, session):
    """Every POST route refuses a request without the token, for a user who may otherwise use it."""
    user = "admin" if "admin" in route.allowed and route.scope != "village" else "head"
    assert csrf_login(csrf_client, user).status_code == 302
    record_id = make_record(records, world, ctx, route, world.a1)
    vouchers = count(session, Voucher)
    resp = send(csrf_client, csrf_app, route, world.a1, ctx["ta"], record_id, ctx)
    assert resp.status_code == 400
    assert count(session, Voucher) == vouchers
    assert _logged_in(csrf_client)


def test_login_without_csrf_token_is_400(csrf_client, world):
    resp = csrf_client.post("/login", data={"username": "head", "password": "test-pass-123"})
    assert resp.status_code == 400 and not _logged_in(csrf_client)


def test_post_with_the_token_works_and_a_foreign_token_does_not(csrf_app, world, records, session):
    v = records.voucher(world.a1)
    mine, other = csrf_app.test_client(), csrf_app.test_client()
    csrf_login(mine, "reviewer")
    csrf_login(other, "reviewer")
    url = f"/v/{world.a1.id}/vouchers/{v.id}/review"
    assert mine.post(url, data={"csrf_token": csrf_token(other, "/password")}).status_code == 400
    assert _fresh(session, Voucher, v.id).status == "draft"
    assert mine.post(url, data={"csrf_token": csrf_token(mine, "/password")}).status_code == 302
    assert _fresh(session, Voucher, v.id).status == "reviewed"


def test_logout_needs_the_token(csrf_client, world):
    csrf_login(csrf_client, "clerk")
    assert csrf_client.post("/logout").status_code == 400 and _logged_in(csrf_client)
    assert csrf_client.post("/logout", data={"csrf_token": csrf_token(csrf_client, "/password")}).status_code == 302
    assert not _logged_in(csrf_client)


# Login -----------------------------------------------------------------------------------------------

@pytest.fixture
def still(monkeypatch):
    """The server's clock stands still, so a wait of one second cannot run out while a busy machine runs the test."""
    monkeypatch.setattr("threeassets.core.clock.now", lambda: datetime(2024, 5, 6, 9, 0))


def _from(client, address: str):
    """The client, seen at another address."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_wrong_passwords_make_the_address_wait_not_the_account(app, client, world, session, still):
    for _ in range(6):
        assert login(client, "accountant", "wrong-pass-1").status_code == 401
    resp = login(client, "accountant")
    assert resp.status_code == 429 and "登录尝试过于频繁，请1秒后再试" in resp.get_data(as_text=True)
    assert not _logged_in(client)
    assert count(session, AuditEvent, action="login.failed") == 6
    assert login(client, "accountant2").status_code == 302, "other users are not held back"
    owner = _from(app.test_client(), "192.0.2.200")
    assert login(owner, "accountant").status_code == 302, "nor is the owner at another address"


def test_the_wait_ends(client, world, monkeypatch):
    now = [datetime(2024, 5, 6, 9, 0)]
    monkeypatch.setattr("threeassets.core.clock.now", lambda: now[0])
    for _ in range(8):
        now[0] += timedelta(minutes=1)  # each wait so far (at most 2 s) has passed
        assert login(client, "vacct", "wrong-pass-1").status_code == 401
    assert login(client, "vacct").status_code == 429  # the 8th failure: 4 s
    now[0] += timedelta(seconds=3)
    assert login(client, "vacct").status_code == 429
    now[0] += timedelta(seconds=1)
    assert login(client, "vacct").status_code == 302


def test_a_success_clears_what_the_address_owed(client, world):
    for _ in range(4):
        login(client, "board", "wrong-pass-1")
    assert login(client, "board").status_code == 302
    client.post("/logout")
    assert login(client, "board", "wrong-pass-1").status_code == 401  # forgiven: this address's slate is clean
    assert login(client, "board").status_code == 302


def test_unknown_user_and_wrong_password_look_the_same(app, world, still):
    """Same words, same status, and the same waits after repeated tries (each from its own address)."""
    answers = {}
    for name, address in (("nobody", "192.0.2.1"), ("head", "192.0.2.2")):
        c = _from(app.test_client(), address)
        answers[name] = [(r.status_code, ALERT.findall(r.get_data(as_text=True)))
                         for r in (login(c, name, "whatever-1") for _ in range(7))]
    assert answers["nobody"] == answers["head"]
    assert answers["head"][0] == (401, ["用户名或密码错误"])
    assert answers["head"][6] == (429, ["登录尝试过于频繁，请1秒后再试"])


def _attack(app, username: str, bots: int = 70) -> None:
    """Wrong passwords for one account from many addresses, one each (past the 60 that make strangers wait)."""
    for n in range(bots):
        assert login(_from(app.test_client(), f"198.51.100.{n}"), username, "wrong-pass-1").status_code in (401, 429)


def _device_cookie(client) -> str:
    cookie = client.get_cookie("ta_device")
    assert cookie is not None, "a login leaves a device cookie"
    return cookie.value


def test_the_owners_browser_gets_in_while_his_account_is_attacked_from_many_addresses(app, world):
    laptop = app.test_client()
    assert login(laptop, "head").status_code == 302  # his browser has logged in before: it is known
    laptop.post("/logout")
    _attack(app, "head")
    stranger = _from(app.test_client(), "192.0.2.77")
    resp = login(stranger, "head")
    assert resp.status_code == 429 and "登录尝试过于频繁，请15分钟后再试" in resp.get_data(as_text=True)
    assert login(_from(laptop, "100.64.0.9"), "head").status_code == 302, "his browser, at a new address too"
    assert _logged_in(laptop)


def test_a_device_cookie_counts_only_for_the_names_it_was_earned_by(app, world):
    """The cookie is signed and lists who logged in with it: another user's, or a forged one, is a stranger's."""
    mine = app.test_client()
    login(mine, "accountant")
    _attack(app, "head")
    assert login(_from(mine, "192.0.2.78"), "head").status_code == 429
    from itsdangerous import URLSafeTimedSerializer
    forged = _from(app.test_client(), "192.0.2.79")
    forged.set_cookie("ta_device", URLSafeTimedSerializer("a guessed key", salt="threeassets.device")
                      .dumps({"d": "attacker-device-0001", "u": ["head"]}))
    assert login(forged, "head").status_code == 429
    resp = login(_from(mine, "192.0.2.78"), "accountant")
    assert resp.status_code == 302, "the user it was earned by is not held back by the attack on another"


def test_a_device_cookie_lists_the_names_that_logged_in_with_it(app, world):
    c = app.test_client()
    login(c, "head")
    first = _device_cookie(c)
    login(c, "accountant")
    assert _device_cookie(c).split(".")[0] != first.split(".")[0], "renewed with the second name"
    from itsdangerous import URLSafeTimedSerializer
    data = URLSafeTimedSerializer(app.secret_key, salt="threeassets.device").loads(_device_cookie(c))
    assert data["u"] == ["head", "accountant"] and len(data["d"]) >= 20


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "javascript:alert(1)",
                                    "/%5Cevil.example", "/%5C%5Cevil.example", "/%09/evil.example"])
def test_login_does_not_redirect_off_site(target, client, world):
    resp = client.post(f"/login?next={target}", data={"username": "head", "password": "test-pass-123"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/"


def test_login_follows_a_local_next(client, world):
    resp = client.post(f"/login?next=/v/{world.a1.id}/vouchers", data={"username": "head",
                                                                      "password": "test-pass-123"})
    assert resp.headers["Location"] == f"/v/{world.a1.id}/vouchers"


def test_logout_is_post_only(as_user, world):
    c = as_user("clerk")
    assert c.get("/logout").status_code == 405
    assert _logged_in(c)


# Cookies and headers ---------------------------------------------------------------------------------

def _session_cookie(resp, name: str = "ta_session") -> str:
    cookies = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert cookies, resp.headers.getlist("Set-Cookie")
    return cookies[-1]


@pytest.mark.parametrize("name", ["ta_session", "ta_device"])
def test_session_cookie_flags(name, client, world):
    resp = login(client, "head")
    cookie = _session_cookie(resp, name)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert not any(h.startswith("remember_token") for h in resp.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("name", ["__Host-ta_session", "__Host-ta_device"])
def test_secure_cookie_when_configured(name, db_url, world, monkeypatch):
    """Behind HTTPS: Secure, and the __Host- prefix (the browser keeps the cookie only from this host, path /)."""
    from threeassets import create_app
    monkeypatch.setenv("THREEASSETS_SECURE_COOKIES", "1")
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "SECRET_KEY": "test-secret"})
    client = app.test_client()
    cookie = _session_cookie(login(client, "head"), name)
    assert "Secure" in cookie and "Path=/;" in cookie + ";" and "Domain=" not in cookie
    assert client.get("/password", base_url="https://localhost").status_code == 200, "the login works"


@pytest.mark.parametrize("who, path", [(None, "/login"), ("head", "/"), ("head", "/v/999999/vouchers"),
                                       ("clerk", "/audit"), ("head", "/password")])
def test_security_headers(who, path, client, world):
    if who:
        login(client, who)
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "no-store"


def test_pdf_carries_the_headers(as_user, world, records):
    v = records.voucher(world.a1, "posted")
    resp = as_user("head").get(f"/v/{world.a1.id}/vouchers/{v.id}/pdf")
    assert resp.headers["X-Frame-Options"] == "DENY" and resp.headers["Cache-Control"] == "no-store"


# Ending sessions -------------------------------------------------------------------------------------

def _user_form(user, **changes):
    data = {"display_name": user.display_name, "role": user.role, "township_id": str(user.township_id or ""),
            "village_id": str(user.village_id or ""), "active": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_deactivated_user_loses_the_open_session(app, world, session):
    victim, admin = app.test_client(), app.test_client()
    login(victim, "vacct")
    assert _logged_in(victim)
    login(admin, "head")
    vacct = world.user("vacct")
    assert admin.post(f"/users/{vacct.id}", data=_user_form(vacct, active=None)).status_code == 302
    assert _fresh(session, User, vacct.id).active is False
    assert not _logged_in(victim)
    assert victim.get(f"/v/{world.a1.id}/vouchers").headers["Location"].startswith("/login")
    assert login(victim, "vacct").status_code == 401


def test_changing_password_ends_other_sessions(app, world):
    here, there = app.test_client(), app.test_client()
    login(here, "accountant")
    login(there, "accountant")
    resp = here.post("/password", data={"current": PASSWORD, "password": "new-pass-456", "confirm": "new-pass-456"})
    assert resp.status_code == 302
    assert _logged_in(here) and not _logged_in(there)


def test_password_reset_by_the_head_ends_the_users_sessions(app, world):
    victim, head = app.test_client(), app.test_client()
    login(victim, "board")
    login(head, "head")
    board = world.user("board")
    assert head.post(f"/users/{board.id}", data=_user_form(board, password="reset-pass-1")).status_code == 302
    assert not _logged_in(victim)
    assert login(victim, "board", "reset-pass-1").status_code == 302


# User administration by an agency head ---------------------------------------------------------------

def test_head_sees_only_his_townships_users(as_user, world):
    page = as_user("head").get("/users").get_data(as_text=True)
    for name in ("accountant2", "reviewer", "clerk", "vacct", "board"):
        assert f"<td>{name}</td>" in page
    for name in ("accountant_b", "head_b", "admin", "supervisor"):
        assert f"<td>{name}</td>" not in page
    assert "<td>accountant_b</td>" not in as_user("head").get("/users?q=accountant_b").get_data(as_text=True)


def test_head_cannot_edit_another_townships_user(as_user, world, session):
    other = world.user("accountant_b")
    c = as_user("head")
    assert c.get(f"/users/{other.id}").status_code == 404
    resp = c.post(f"/users/{other.id}", data=_user_form(other, display_name="被改", active=None))
    assert resp.status_code == 404
    other = _fresh(session, User, other.id)
    assert other.display_name == "accountant_b" and other.active is True


@pytest.mark.parametrize("role", ["admin", "county_supervisor"])
def test_head_cannot_grant_admin_or_supervisor(role, as_user, world, session):
    c = as_user("head")
    form = c.get("/users/new").get_data(as_text=True)
    assert f'value="{role}"' not in form
    c.post("/users/new", data={"username": "boss", "display_name": "boss", "role": role, "township_id": "",
                               "village_id": "", "password": "pass-1234", "active": "y"})
    assert count(session, User, username="boss") == 0
    clerk = world.user("clerk")
    c.post(f"/users/{clerk.id}", data=_user_form(clerk, role=role, township_id=""))
    assert _fresh(session, User, clerk.id).role == "window_clerk"


def test_head_cannot_place_users_in_another_township(as_user, world, session):
    c = as_user("head")
    for scope in ({"role": "agency_accountant", "township_id": str(world.township_b.id), "village_id": ""},
                  {"role": "village_accountant", "township_id": "", "village_id": str(world.b1.id)}):
        c.post("/users/new", data={"username": "spy", "display_name": "spy", "password": "pass-1234",
                                   "active": "y", **scope})
        assert count(session, User, username="spy") == 0
    clerk = world.user("clerk")
    c.post(f"/users/{clerk.id}", data=_user_form(clerk, township_id=str(world.township_b.id)))
    assert _fresh(session, User, clerk.id).township_id == world.township_a.id


def test_head_cannot_deactivate_himself(as_user, world, session):
    head = world.user("head")
    page = as_user("head").post(f"/users/{head.id}", data=_user_form(head, active=None)).get_data(as_text=True)
    assert "不能停用自己" in page and _fresh(session, User, head.id).active is True


def test_audit_page_shows_only_the_heads_township(app, world, records):
    records.voucher(world.a1, amount="123.45")
    records.voucher(world.b1, amount="678.90")
    pages = {}
    for who in ("head", "head_b", "admin", "supervisor"):
        c = app.test_client()
        login(c, who)
        pages[who] = tbody(c.get("/audit?action=voucher").get_data(as_text=True))
    assert "123.45" in pages["head"] and "678.90" not in pages["head"]
    assert "678.90" in pages["head_b"] and "123.45" not in pages["head_b"]
    for who in ("admin", "supervisor"):
        assert "123.45" in pages[who] and "678.90" in pages[who]


def test_login_failures_of_unknown_users_stay_out_of_township_audit(app, client, world, session):
    login(client, "ghost", "whatever-1")
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "login.failed")) is None
    assert "ghost" in session.scalar(select(CountyAuditEvent.detail).where(CountyAuditEvent.action == "login.failed"))
    login(client, "head")
    assert "ghost" not in tbody(client.get("/audit?action=login").get_data(as_text=True))


def test_changing_password_needs_the_current_one(app, world):
    c = app.test_client()
    login(c, "accountant")
    resp = c.post("/password", data={"current": "wrong-pass-1", "password": "new-pass-456", "confirm": "new-pass-456"})
    assert resp.status_code == 200 and "当前密码不正确" in resp.data.decode()
    c2 = app.test_client()
    assert login(c2, "accountant").status_code == 302  # the old password still works
