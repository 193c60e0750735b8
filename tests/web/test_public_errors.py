"""A page served without logging in that fails keeps the visitor where he is: the kiosk's own layout with its 返回 and
回到首页 buttons, or the public layout — never the staff error page, whose 返回首页 leads to the staff login."""
from __future__ import annotations

import re

import pytest

STAFF_HOME = re.compile(r'href="/"')


def _kiosk(world) -> str:
    return f"/public/t/{world.township_a.code}"


@pytest.mark.parametrize("tail", ["/policies/999999", "/services/999999", "/notices/999999",
                                  "/villages/999999", "/villages/999999/lists/1"])
def test_a_missing_kiosk_page_stays_in_the_kiosk(client, world, tail):
    resp = client.get(_kiosk(world) + tail, headers={"Referer": f"http://localhost{_kiosk(world)}/policies"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 404
    assert 'id="kiosk-home"' in page and f'href="{_kiosk(world)}"' in page and "没有找到您要查看的内容" in page
    assert f'id="kiosk-back" href="http://localhost{_kiosk(world)}/policies"' in page  # back where he came from
    assert not STAFF_HOME.search(page) and "/login" not in page


def test_another_site_is_not_the_way_back(client, world):
    page = client.get(_kiosk(world) + "/policies/999999", headers={"Referer": "https://evil.example/"}).get_data(
        as_text=True)
    assert "evil.example" not in page and f'id="kiosk-back" href="{_kiosk(world)}"' in page


@pytest.mark.parametrize("path", ["/verify/NOSUCHCODE", "/verify/NOSUCHCODE/pdf", "/public/villages/999999",
                                  "/public/t/NOSUCHTOWN", "/public/t/NOSUCHTOWN/policies", "/no/such/page"])
def test_a_missing_public_page_keeps_the_public_layout(client, world, path):
    resp = client.get(path)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 404 and "没有找到该页面或内容" in page and "public-body" in page
    assert not STAFF_HOME.search(page) and "/login" not in page


def test_a_logged_in_user_gets_the_staff_error_page(as_user, world):
    page = as_user("accountant").get("/no/such/page").get_data(as_text=True)
    assert "404：找不到该页面或记录" in page and STAFF_HOME.search(page) and "public-body" not in page


def test_an_expired_form_says_so_in_chinese(csrf_app, world):
    """Flask-WTF's reasons are English ("The CSRF token is missing."): the page says what happened in Chinese."""
    from tests.conftest import login
    client = csrf_app.test_client()
    page = client.post("/login", data={"username": "accountant", "password": "x"}).get_data(as_text=True)
    assert "页面已过期或来源无法核实" in page and "CSRF" not in page and "public-body" in page
    assert login(client, "accountant").status_code == 400  # (no token: the same page, for a logged-out clerk)


def test_the_apps_own_reason_is_shown_and_werkzeugs_english_is_not(as_user, client, world):
    page = as_user("accountant").get("/?q=a%00b").get_data(as_text=True)
    assert "请求中含有非法字符（NUL），已拒绝" in page
    assert "The browser (or proxy)" not in client.get("/public/t/TA/policies/1?x=%00").get_data(as_text=True)
