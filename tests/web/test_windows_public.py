"""Public case lookup: number + phone tail, no login, masked applicant, one answer for every mismatch, CSRF,
growing waits for the guessing address that never block the applicant elsewhere."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.web.access_windows import make_case
from tests.web.conftest import csrf_token
from threeassets.windows.models import Case

URL = "/public/case"


def _number(session, case_id) -> str:
    session.rollback()
    return session.get(Case, case_id).number


def _result(resp) -> str:
    """The answer part of the page (the form above it echoes what was typed)."""
    page = resp.get_data(as_text=True)
    return page.split('id="lookup-result"', 1)[1] if 'id="lookup-result"' in page else ""


def test_lookup_shows_status_and_nothing_else(client, world, session):
    case_id = make_case(session, world, world.a1, ["accept"])
    number = _number(session, case_id)
    resp = client.post(URL, data={"number": number, "tail": "1234"})
    assert resp.status_code == 200
    shown = _result(resp)
    assert "证明开具" in shown and "已受理" in shown and "张*" in shown and number in shown
    case = session.get(Case, case_id)
    assert case.due_on.isoformat() in shown and case.accepted_on.isoformat() in shown
    page = resp.get_data(as_text=True)
    for secret in ("张三", "13800001234", "开具证明", "甲一村", "clerk"):
        assert secret not in page, secret
    assert "menu-link" not in page and "退出" not in page  # the public base: no staff menu


def test_lowercase_number_is_found(client, world, session):
    number = _number(session, make_case(session, world, world.a1))
    assert "接件" in _result(client.post(URL, data={"number": number.lower(), "tail": "1234"}))


@pytest.mark.parametrize("number, tail", [("right", "9999"), ("TA-20000101-0001", "1234"), ("nonsense", "0000")])
def test_wrong_number_or_phone_gets_the_same_answer(client, world, session, number, tail):
    real = _number(session, make_case(session, world, world.a1))
    resp = client.post(URL, data={"number": real if number == "right" else number, "tail": tail})
    assert resp.status_code == 200
    assert _result(resp) == _result(client.post(URL, data={"number": "TA-19990101-0001", "tail": "4321"}))
    assert "未查到符合条件的办件" in _result(resp) and real not in _result(resp)


def test_done_and_paused_cases(client, world, session):
    done = _number(session, make_case(session, world, world.a1, ["accept", "complete"]))
    assert "已办结（" in _result(client.post(URL, data={"number": done, "tail": "1234"}))
    paused = _number(session, make_case(session, world, world.a1, ["accept", "notify"]))
    shown = _result(client.post(URL, data={"number": paused, "tail": "1234"}))
    assert "补正材料期间暂停计时" in shown and "待补正" in shown


def test_tail_must_be_four_digits(client, world):
    resp = client.post(URL, data={"number": "TA-1", "tail": "12a"})
    assert "请输入4位数字" in resp.get_data(as_text=True) and _result(resp) == ""


def test_form_needs_its_csrf_token(csrf_client, world, session):
    number = _number(session, make_case(session, world, world.a1))
    assert csrf_client.post(URL, data={"number": number, "tail": "1234"}).status_code == 400
    token = csrf_token(csrf_client, URL)
    resp = csrf_client.post(URL, data={"number": number, "tail": "1234", "csrf_token": token})
    assert resp.status_code == 200 and "证明开具" in _result(resp)


def _at(client, address: str):
    """The client, seen at an address."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_failed_lookups_make_the_guessing_address_wait(app, client, world, session, monkeypatch):
    monkeypatch.setattr("threeassets.core.clock.now", lambda: datetime(2024, 5, 6, 9, 0))  # the 1 s wait lasts
    number = _number(session, make_case(session, world, world.a1))
    for tail in range(6):
        assert client.post(URL, data={"number": number, "tail": f"{tail:04d}"}).status_code == 200
    resp = client.post(URL, data={"number": number, "tail": "1234"})  # even the right one, from this address
    assert resp.status_code == 429 and "查询过于频繁，请1秒后再试" in _result(resp) and "证明开具" not in _result(resp)


def test_a_stranger_guessing_does_not_block_the_applicant(app, world, session, monkeypatch):
    """Hundreds of guesses at one case number from one address, and from many: the applicant on his own phone
    still sees his case at once."""
    now = [datetime(2024, 5, 6, 9, 0)]
    monkeypatch.setattr("threeassets.core.clock.now", lambda: now[0])
    number = _number(session, make_case(session, world, world.a1))
    stranger = _at(app.test_client(), "203.0.113.66")
    for n in range(100):  # as fast as the waits allow
        while stranger.post(URL, data={"number": number, "tail": f"{n:04d}"}).status_code == 429:
            now[0] += timedelta(minutes=5)
    assert now[0] - datetime(2024, 5, 6, 9, 0) > timedelta(hours=12), "a hundred guesses took the stranger hours"
    for n in range(50):
        _at(app.test_client(), f"198.51.100.{n}").post(URL, data={"number": number, "tail": f"{5000 + n:04d}"})
    assert stranger.post(URL, data={"number": number, "tail": "4321"}).status_code == 429
    applicant = _at(app.test_client(), "192.0.2.10")
    resp = applicant.post(URL, data={"number": number, "tail": "1234"})
    assert resp.status_code == 200 and "证明开具" in _result(resp)


def test_an_address_guessing_many_numbers_waits_then_may_try_again(app, client, world, session, monkeypatch):
    now = [datetime(2024, 5, 6, 9, 0)]
    monkeypatch.setattr("threeassets.core.clock.now", lambda: now[0])
    number = _number(session, make_case(session, world, world.a1))
    for n in range(11):
        assert client.post(URL, data={"number": f"TA-{n}", "tail": "1234"}).status_code == 200
    resp = client.post(URL, data={"number": number, "tail": "1234"})
    assert resp.status_code == 429 and "查询过于频繁" in _result(resp)
    assert _at(app.test_client(), "192.0.2.10").post(URL, data={"number": number, "tail": "1234"}).status_code == 200
    now[0] += timedelta(seconds=1)
    assert "证明开具" in _result(client.post(URL, data={"number": number, "tail": "1234"}))


def test_the_counts_are_shared_by_every_app_process(app, db_url, client, world, session, monkeypatch):
    from threeassets import create_app
    monkeypatch.setattr("threeassets.core.clock.now", lambda: datetime(2024, 5, 6, 9, 0))  # the 1 s wait lasts
    number = _number(session, make_case(session, world, world.a1))
    for tail in range(6):
        client.post(URL, data={"number": number, "tail": f"{tail:04d}"})
    other = create_app({"DATABASE_URL": db_url, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "x"})
    assert other.test_client().post(URL, data={"number": number, "tail": "1234"}).status_code == 429


def test_the_page_works_without_login_and_is_listed_public(client):
    from tests.web.access_windows import PUBLIC
    page = client.get(URL)
    assert page.status_code == 200 and "办件进度查询" in page.get_data(as_text=True)
    assert {"windows_public.lookup"} == PUBLIC
