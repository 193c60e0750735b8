"""The public kiosk through the web client: no login, pinned to a township, unpublished things missing, text
escaped, the household lookup throttled and answering alike for every miss, CSRF on its forms, counts kept
without anything typed."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.kiosk_data import ID_ZHANG, seed
from tests.web.access_kiosk import make_notice
from tests.web.conftest import csrf_token
from threeassets.kiosk.models import KioskCount, KioskNotice


def _home(world) -> str:
    return f"/public/t/{world.township_a.code}"


def test_public_is_the_kiosk_and_the_login_page_links_to_it(client, world):
    page = client.get("/public").get_data(as_text=True)
    assert "请选择乡镇" in page and "/public/t/TA" in page and "甲一村" in page  # two townships: a choice
    home = client.get(_home(world)).get_data(as_text=True)
    for tile in ("党务公开", "政务公开", "村务公开", "办事公开", "惠农政策"):
        assert tile in home
    assert "/public/t/TB" not in home  # a kiosk stays in its township
    assert 'href="/public"' in client.get("/login").get_data(as_text=True)


def test_one_township_goes_straight_to_its_home(client, app, session):
    from threeassets.core.db import transaction
    from threeassets.orgs.service import upsert_township
    with transaction(session):
        upsert_township(session, "TX", "单镇")
    resp = client.get("/public")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/public/t/TX")


def test_the_old_public_addresses_still_answer(client, world):
    assert client.get("/public/villages").status_code == 200
    assert client.get(f"/public/villages/{world.a1.id}").status_code == 200
    assert client.get("/public/case").status_code == 200
    assert client.get("/verify/NOSUCHCODE").status_code == 404


def test_every_section_opens_without_login(client, world):
    for path in ("", "/party", "/gov", "/villages", f"/villages/{world.a1.id}", "/services", "/case", "/policies",
                 "/payments", f"/villages/{world.a1.id}/lists", "/household"):
        resp = client.get(_home(world) + path)
        assert resp.status_code == 200, path
        assert "退出" not in resp.get_data(as_text=True)


def test_a_township_that_does_not_exist_and_another_townships_village_are_404(client, world):
    assert client.get("/public/t/NOPE").status_code == 404
    assert client.get(f"{_home(world)}/villages/{world.b1.id}").status_code == 404
    assert client.get(f"{_home(world)}/villages/{world.b1.id}/lists").status_code == 404


def test_a_notice_shows_escaped_with_its_line_breaks_and_its_published_file(client, session, world):
    notice_id = make_notice(session, world, world.a1, "published", with_file=True,
                            title="<b>党费</b>公示", body="第一行\n<script>alert(1)</script>\n第三行")
    page = client.get(f"{_home(world)}/notices/{notice_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;b&gt;党费&lt;/b&gt;公示" in page
    assert "第一行\n&lt;script&gt;" in page  # the break is kept (the page shows it: white-space pre-wrap)
    file_id = session.get(KioskNotice, notice_id).files[0].id
    resp = client.get(f"{_home(world)}/notices/{notice_id}/files/{file_id}")
    assert resp.status_code == 200 and resp.mimetype == "image/png"
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in \
        resp.headers["Content-Security-Policy"]
    assert client.get(f"/public/t/TB/notices/{notice_id}").status_code == 404  # not another township's


def test_a_pdf_shows_fitted_without_the_viewers_download_and_print_bar(client, session, world):
    notice_id = make_notice(session, world, world.a1, "published", with_file=True, title="党费公示")
    file_id = session.get(KioskNotice, notice_id).files[0].id
    page = client.get(f"{_home(world)}/notices/{notice_id}/files/{file_id}/view").get_data(as_text=True)
    src = re.search(r'<iframe class="kiosk-pdf" src="([^"]+)"', page).group(1)
    assert src.endswith("#toolbar=0&amp;navpanes=0&amp;view=FitH") and f"/files/{file_id}" in src


@pytest.mark.parametrize("state", ["draft", "withdrawn"])
def test_an_unpublished_notice_and_its_file_are_404(client, session, world, state):
    notice_id = make_notice(session, world, world.a1, state, with_file=True, title="不公开的公告")
    file_id = session.get(KioskNotice, notice_id).files[0].id
    base = f"{_home(world)}/notices/{notice_id}"
    for path in (base, f"{base}/files/{file_id}", f"{base}/files/{file_id}/view"):
        assert client.get(path).status_code == 404, path
    assert "不公开的公告" not in client.get(f"{_home(world)}/party").get_data(as_text=True)


def test_services_are_searchable_by_name_and_initials_and_open_a_guide(client, world):
    base = f"{_home(world)}/services"
    assert "村级报账" in client.get(base).get_data(as_text=True)
    found = client.get(base + "?q=cjbz").get_data(as_text=True)
    assert "村级报账" in found and "合同鉴证备案" not in found
    assert "找到 0 个" in client.get(base + "?q=zzzz").get_data(as_text=True)
    link = found.split(f'href="{base}/', 1)[1].split('"', 1)[0]
    guide = client.get(f"{base}/{link}").get_data(as_text=True)
    assert "需要带的材料" in guide and "办理时限" in guide and "办理依据" in guide


def test_a_window_mobile_is_masked_on_the_guide(client, session, world):
    from threeassets.core.db import transaction
    from threeassets.windows.catalogue import item_by_code
    from threeassets.windows.models import Window
    with transaction(session):
        item = item_by_code(session, world.township_a.id, "claim")
        session.get(Window, item.window_id).phone = "13955101234"
        item_id = item.id
    page = client.get(f"{_home(world)}/services/{item_id}").get_data(as_text=True)
    assert "139****1234" in page and "13955101234" not in page


def test_an_inactive_item_is_404(client, session, world):
    from threeassets.core.db import transaction
    from threeassets.windows.catalogue import item_by_code
    with transaction(session):
        item = item_by_code(session, world.township_a.id, "claim")
        item.active = False
        item_id = item.id
    assert client.get(f"{_home(world)}/services/{item_id}").status_code == 404


def test_the_kiosk_case_lookup_answers_as_the_public_one(client, session, world):
    from tests.web.access_windows import make_case
    from threeassets.windows.models import Case
    case_id = make_case(session, world, world.a1, ["accept"])
    number = session.get(Case, case_id).number
    page = client.post(f"{_home(world)}/case", data={"number": number, "tail": "1234"}).get_data(as_text=True)
    assert "已受理" in page and "张*" in page and "13800001234" not in page
    miss = client.post(f"{_home(world)}/case", data={"number": number, "tail": "9999"}).get_data(as_text=True)
    assert "未查到符合条件的办件" in miss


def _lookup(client, world, name="张三", tail="123X"):
    return client.post(f"{_home(world)}/household", data={"head_name": name, "id_last4": tail})


def _answer(resp) -> str:
    page = resp.get_data(as_text=True)
    return page.split('id="household-result"', 1)[1].split("</main>", 1)[0] if 'id="household-result"' in page \
        else ""


def test_a_household_sees_its_own_payments_masked(client, session, world):
    seed(session, world)
    page = _answer(_lookup(client, world, " 张 三 ", "123x"))
    assert "耕地地力保护补贴" in page and "731.25" in page and "已发放" in page and "公示中" in page
    assert "李四" not in page and ID_ZHANG not in page and "甲一村" in page


@pytest.mark.parametrize("name, tail", [("张三", "1234"), ("王五", "123X"), ("李四", "123X"), ("张三", "0000")])
def test_no_such_household_and_wrong_digits_answer_alike(client, session, world, name, tail):
    seed(session, world)
    resp = _lookup(client, world, name, tail)
    stranger = _lookup(client, world, "查无此人", "9999")
    assert resp.status_code == stranger.status_code == 200
    assert _answer(resp) == _answer(stranger) and "未查到符合条件的补贴记录" in _answer(resp)


def test_the_household_lookup_needs_four_characters(client, world):
    page = _lookup(client, world, "张三", "12").get_data(as_text=True)
    assert "请输入4位" in page and _answer(_lookup(client, world, "张三", "12")) == ""


def _at(client, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_guessing_digits_makes_the_address_wait_but_not_the_household_elsewhere(client, app, session, world):
    seed(session, world)
    guesser = _at(client, "10.9.9.9")
    codes = [_lookup(guesser, world, "张三", f"{n:04d}").status_code for n in range(8)]
    assert codes[:6] == [200] * 6 and codes[-1] == 429  # the name's five free misses, then the waits
    resp = _lookup(guesser, world, "张三", "123X")
    assert resp.status_code == 429 and "查询过于频繁" in resp.get_data(as_text=True)
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "10.1.1.1"
    assert "耕地地力保护补贴" in _answer(_lookup(owner, world))


def test_many_villagers_missing_at_the_halls_kiosk_do_not_lock_it_out(client, app, session, world):
    seed(session, world)
    app.config["KIOSK_ADDRESSES"] = ("10.5.5.0/29",)  # the hall's touch screen
    kiosk = _at(client, "10.5.5.5")
    codes = [_lookup(kiosk, world, f"村民{n}", "1234").status_code for n in range(15)]  # each his own name, mistyped
    assert codes == [200] * 15
    assert "耕地地力保护补贴" in _answer(_lookup(kiosk, world))  # the next villager is answered
    codes = [_lookup(kiosk, world, "张三", f"{n:04d}").status_code for n in range(8)]
    assert codes[-1] == 429  # a name guessed at still waits, at the kiosk as anywhere
    other = app.test_client()  # an address that is no kiosk keeps the per-address count
    other.environ_base["REMOTE_ADDR"] = "10.5.6.1"
    codes = [_lookup(other, world, f"村民{n}", "1234").status_code for n in range(12)]
    assert codes[:11] == [200] * 11 and codes[-1] == 429


def test_a_household_without_payments_counts_as_a_miss(client, app, session, world):
    from threeassets.core.db import transaction
    from threeassets.subsidies.models import Household
    seed(session, world)
    with transaction(session):  # registered, on no published list
        session.add(Household(township_id=world.township_a.id, village_id=world.a1.id, number="0009",
                              head_name="王五", id_number="340102199001019876", id_last4="9876"))
    guesser = _at(client, "10.7.7.7")
    resps = [_lookup(guesser, world, "王五", "9876") for _n in range(8)]
    stranger = _at(app.test_client(), "10.7.7.8")
    assert _answer(resps[0]) == _answer(_lookup(stranger, world, "查无此人", "9999"))
    assert resps[-1].status_code == 429  # counted as misses: right digits on no list do not clear the count


def test_the_kiosk_forms_need_their_csrf_token(csrf_client, session, world):
    seed(session, world)
    path = f"{_home(world)}/household"
    assert csrf_client.post(path, data={"head_name": "张三", "id_last4": "123X"}).status_code == 400
    token = csrf_token(csrf_client, path)
    resp = csrf_client.post(path, data={"head_name": "张三", "id_last4": "123X", "csrf_token": token})
    assert "耕地地力保护补贴" in _answer(resp)
    assert csrf_client.post(f"{_home(world)}/case", data={"number": "X", "tail": "1234"}).status_code == 400


def test_lists_show_published_batches_masked_and_a_draft_is_404(client, session, world):
    ids = seed(session, world)
    base = f"{_home(world)}/villages/{world.a1.id}/lists"
    lists = client.get(base).get_data(as_text=True)
    assert f"{base}/{ids.paid_batch}" in lists and f"{base}/{ids.draft_batch}" not in lists
    page = client.get(f"{base}/{ids.paid_batch}").get_data(as_text=True)
    assert "340102********123X" in page and ID_ZHANG not in page and "尾号1002" in page
    assert "<th class=\"num\">数量（亩）</th><th class=\"num\">标准（元/亩）</th>" in page  # the policy's unit
    assert client.get(f"{base}/{ids.draft_batch}").status_code == 404
    assert client.get(f"/public/t/TB/villages/{world.a1.id}/lists/{ids.paid_batch}").status_code == 404


def test_policies_by_level_department_and_initials(client, session, world):
    ids = seed(session, world)
    base = f"{_home(world)}/policies"

    def listed(query: str) -> str:
        return client.get(base + query).get_data(as_text=True).split('id="policy-list"', 1)[1]
    assert "耕地地力保护补贴" in listed("") and "耕地地力保护补贴" in listed("?q=gddl")
    assert "耕地地力保护补贴" not in listed("?q=zzzz") and "耕地地力保护补贴" not in listed("?level=县")
    assert "耕地地力保护补贴" in listed("?level=中央&dept=农业农村")
    page = client.get(f"{base}/{ids.policy_id}").get_data(as_text=True)
    assert "补贴对象" in page and "发放方式" in page
    assert client.get(f"/public/t/TB/policies/{ids.policy_id}").status_code == 404


def test_a_policy_names_the_hall_item_that_answers_it(client, session, world):
    from threeassets.core.db import transaction
    from threeassets.subsidies.models import Policy
    from threeassets.windows.catalogue import item_by_code
    ids = seed(session, world)
    claim = item_by_code(session, world.township_a.id, "claim")
    subsidy = item_by_code(session, world.township_a.id, "subsidy")
    claim_id, claim_name, subsidy_id, subsidy_name = claim.id, claim.name, subsidy.id, subsidy.name
    url = f"{_home(world)}/policies/{ids.policy_id}"
    page = client.get(url).get_data(as_text=True)
    assert f'{_home(world)}/services/{subsidy_id}" id="policy-item">{subsidy_name} ›</a>' in page
    with transaction(session):
        session.get(Policy, ids.policy_id).service_item = "claim"
    page = client.get(url).get_data(as_text=True)
    assert f'{_home(world)}/services/{claim_id}" id="policy-item">{claim_name} ›</a>' in page
    assert "惠农补贴咨询" not in page.split('id="policy-facts"', 1)[1].split("</dl>", 1)[0]
    with transaction(session):
        session.get(Policy, ids.policy_id).service_item = "nosuch"
    page = client.get(url).get_data(as_text=True)
    assert 'id="policy-item"' not in page and "服务大厅窗口" in page


def test_use_is_counted_by_page_and_never_what_was_typed(client, session, world):
    ids = seed(session, world)
    client.get(_home(world))
    client.get(f"{_home(world)}/policies?q=gddl")
    client.get(f"{_home(world)}/policies/{ids.policy_id}")
    _lookup(client, world, "张三", "123X")
    _lookup(client, world, "王五", "9876")
    session.rollback()
    rows = {(c.section, c.item): c.hits for c in session.scalars(select(KioskCount))}
    assert rows == {("home", "home"): 1, ("policy", "list"): 1, ("policy", f"policy:{ids.policy_id}"): 1,
                    ("policy", "household"): 2}
    assert not any(("gddl" in i or "张三" in i or "9876" in i) for _s, i in rows)


def test_a_page_does_not_wait_for_its_count_while_another_writer_holds_the_lock(client, app, session, world,
                                                                              caplog):
    """Another writer holds the database's write lock (SQLite) or the counter's row (PostgreSQL) while a kiosk
    page opens: the page answers and its count is dropped, instead of the page queueing behind the writer (up to
    30 s on SQLite). The writer lets go by itself after 5 s, so a page that waited for it would count as well."""
    import threading
    from datetime import date

    from sqlalchemy.orm import Session

    from threeassets.core.db import db
    from threeassets.kiosk import counting
    app.config["KIOSK_COUNT_WAIT_MS"] = 50
    holding, release = threading.Event(), threading.Event()

    def writer():
        with Session(db.engine) as other:
            other.connection(execution_options={"write": True})  # BEGIN IMMEDIATE on SQLite
            counting.hit(other, world.township_a.id, "home", "home", day=date.today())
            holding.set()
            release.wait(timeout=5)
            other.commit()
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        resp = client.get(_home(world))
    finally:
        release.set()
        thread.join()
    assert resp.status_code == 200 and "惠农政策" in resp.get_data(as_text=True)
    assert "kiosk count home/home not written" in caplog.text
    session.rollback()
    assert session.scalar(select(KioskCount.hits)) == 1  # the other writer's count only: the page's was dropped
    client.get(_home(world))  # with the lock free the next page counts
    session.rollback()
    assert session.scalar(select(KioskCount.hits)) == 2


def test_staff_see_the_counts_and_export_them(client, session, world):
    client.get(_home(world))
    login(client, "clerk")
    page = client.get(f"/t/{world.township_a.id}/kiosk/usage").get_data(as_text=True)
    assert "查询机使用统计" in page and "首页" in page
    resp = client.get(f"/t/{world.township_a.id}/kiosk/usage.xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"


@pytest.mark.parametrize("query, said", [
    ("start=2026-12-31&end=2026-01-01", "开始日期晚于结束日期，已对调"),
    ("end=0001-01-05&start=2026-11-01", "结束日期“0001-01-05”超出范围"),
    ("start=1999-12-31&end=2026-03-31", "开始日期应在2000年至2099年之间；已显示 2026-03-02 至 2026-03-31"),
    ("start=x&end=2026-02-30", "结束日期“2026-02-30”不存在（2026年2月没有30日）"),
    ("start=2026-01-0x&end=2026-01-31", "；已显示 2026-01-02 至 2026-01-31"),  # the 30 days before the end
    ("start=2020-01-01&end=2026-01-01", "一次最多查询400天，已显示 2024-11-28 至 2026-01-01")])  # 400 days, both ends
def test_the_usage_range_reads_any_dates_and_says_what_it_did_not_take(client, world, query, said):
    login(client, "head")
    resp = client.get(f"/t/{world.township_a.id}/kiosk/usage?{query}")
    assert resp.status_code == 200 and said in resp.get_data(as_text=True)
    assert client.get(f"/t/{world.township_a.id}/kiosk/usage.xlsx?{query}").status_code == 200
    assert said not in client.get(f"/t/{world.township_a.id}/kiosk/usage").get_data(as_text=True)


def _full_width(text: str) -> str:
    """What a phone's Chinese keyboard in full-width mode types: ＤＥＭＯ－２０２６ for DEMO-2026."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@pytest.mark.parametrize("path", ["/public/case", "/public/t/TA/case"])
def test_full_width_case_number_and_digits_are_read_as_typed_half_width(client, session, world, path):
    from tests.web.access_windows import make_case
    from threeassets.windows.models import Case
    number = session.get(Case, make_case(session, world, world.a1, ["accept"])).number
    page = client.post(path, data={"number": _full_width(number.lower()), "tail": _full_width("1234")}).get_data(
        as_text=True)
    assert "已受理" in page and "未查到" not in page


def test_full_width_searches_and_household_digits(client, session, world):
    seed(session, world)
    found = client.get(f"{_home(world)}/services?q={_full_width('CJBZ')}").get_data(as_text=True)
    assert "村级报账" in found and "合同鉴证备案" not in found
    assert "耕地地力保护补贴" in client.get(f"{_home(world)}/policies?q={_full_width('GDDL')}").get_data(as_text=True)
    assert "731.25" in _answer(_lookup(client, world, "张三", _full_width("123X")))
