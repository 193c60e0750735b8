"""The audit log reads in Chinese from end to end: on the demo, every row of every page names its action, object
and details in words and its people by their names — no action codes, no raw JSON, no logins."""
from __future__ import annotations

import re

import pytest

from threeassets.demo.loader import PASSWORD, USERS

CODE = re.compile(r"\b[a-z_]+\.(?!(?:csv|xlsx|xls|pdf|png|jpe?g|txt)\b)[a-z_]+\b")  # voucher.post …, not a file name


@pytest.fixture
def demo(app, demo_loaded):
    """The demo township, its villages and one user per role (restored from the session's demo_template)."""
    return demo_loaded


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"<[^>]+>", " ", row) for row in body.split("<tr>")[1:]]


def test_every_row_of_the_demo_log_reads_in_chinese(client, demo):
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    logins = {username for username, *_ in USERS}
    rows, page = [], 1
    while True:
        html = client.get(f"/audit?page={page}").get_data(as_text=True)
        rows += _rows(html)
        if f"page={page + 1}" not in html:
            break
        page += 1
    assert len(rows) > 100 and page > 3
    for row in rows:
        cells = row.split()
        assert not CODE.search(row), row
        assert '{"' not in row and "#" not in row, row
        assert cells[2] not in logins, row  # 操作人 by name (a new user's login is a fact of its row's details)
        assert not logins & set(cells[3:6]), row  # nor the 对象
    text = " ".join(rows)
    assert "李会计" in text and "凭证记账" in text and "凭证 记-" in text and "系统" in text
    assert re.search(r"服务事项：\s*村级报账", text)  # a catalogue item by its name, not its code


def test_the_filters_offer_names_and_families(client, demo):
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    html = client.get("/audit?actor=kuaiji&action=voucher").get_data(as_text=True)
    assert '<option value="kuaiji" selected>李会计</option>' in html
    assert '<optgroup label="凭证">' in html and "录入凭证" in html
    assert all("李会计" in row.split()[2:3] or "李会计" in row for row in _rows(html))


def test_a_notice_history_names_people_not_logins(client, session, demo):
    from sqlalchemy import select

    from threeassets.disclosure.models import Disclosure
    village_id, notice_id = session.execute(select(Disclosure.village_id, Disclosure.id)
                                            .where(Disclosure.status == "published")).first()
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    page = client.get(f"/v/{village_id}/disclosure/{notice_id}").get_data(as_text=True)
    history = page.split('id="history"', 1)[1]
    assert "李会计" in history and "kuaiji" not in history


def test_the_county_reads_its_own_log_with_the_townships_and_a_township_reads_its_own(client, demo):
    """An administrator's login is the county's (no township): the county's viewers see it among the townships'
    rows, newest first; the township's head does not."""
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    client.post("/logout", data={})
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    client.post("/logout", data={})
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    county = _rows(client.get("/audit").get_data(as_text=True))
    assert "登录" in county[0].split() and "系统管理员" in county[0] and "县级" in county[0]  # the county's own, newest
    assert any("退出登录" in row and "王主任" in row and "示范镇" in row for row in county[:4])  # the township's
    client.post("/logout", data={})
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    township = " ".join(_rows(client.get("/audit?action=login").get_data(as_text=True)))
    assert "王主任" in township and "系统管理员" not in township


def _insert(session, township_id: int, days: list[str], action: str = "voucher.post") -> None:
    """Audit rows of the township at noon of the given days (as old rows of a long-kept log)."""
    from datetime import datetime

    from threeassets.core.audit import AuditEvent
    from threeassets.core.db import transaction
    with transaction(session):
        session.add_all([AuditEvent(at=datetime.fromisoformat(f"{d}T12:00:00"), actor_name="kuaiji", action=action,
                                    township_id=township_id, object_type="Voucher", object_id=i,
                                    detail='{"number": "记-0001"}') for i, d in enumerate(days, start=1)])


def _township_id(session) -> int:
    from sqlalchemy import select

    from threeassets.orgs.models import Township
    return session.scalar(select(Township.id).order_by(Township.id))


def test_the_dates_reach_back_and_take_both_ends(client, session, demo):
    _insert(session, _township_id(session), ["2016-03-01", "2016-03-02", "2016-03-03", "2016-03-04"])
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    rows = _rows(client.get("/audit?since=2016-03-02&until=2016年3月3日").get_data(as_text=True))
    assert [row.split()[0] for row in rows] == ["2016-03-03", "2016-03-02"]  # newest first, both ends in
    rows = _rows(client.get("/audit?until=２０１６－０３－０１").get_data(as_text=True))  # typed full-width
    assert [row.split()[0] for row in rows] == ["2016-03-01"]


def test_a_date_typed_with_a_time_is_read_as_its_whole_day_and_says_so(client, session, demo):
    _insert(session, _township_id(session), ["2016-03-01", "2016-03-02", "2016-03-03"])
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    html = client.get("/audit?since=2016-03-02 10:30&until=2016年3月2日 9点").get_data(as_text=True)
    assert [row.split()[0] for row in _rows(html)] == ["2016-03-02"]
    assert 'id="since-note">已按 2016-03-02 全天查询，未按所填时间' in html
    assert 'id="until-note"' in html and "is-invalid" not in html
    assert "-note" not in client.get("/audit?since=2016-03-02").get_data(as_text=True)


@pytest.mark.parametrize("query, field, reason", [
    ("since=2016-02-30", "since", "起始日期“2016-02-30”不存在"),
    ("until=昨天", "until", "截止日期“昨天”不是日期"),
    ("since=2016-03-04&until=2016-03-01", "until", "截止日期早于起始日期"),
])
def test_a_date_that_does_not_read_names_its_field_and_the_rest_still_applies(client, session, demo, query, field,
                                                                             reason):
    _insert(session, _township_id(session), ["2016-03-01", "2016-03-04"])
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    response = client.get(f"/audit?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf'<input class="[^"]*is-invalid" id="{field}"', html)
    assert f'<div class="invalid-feedback" id="{field}-error">{reason}' in html
    assert len(_rows(html)) > 1  # that end is left open; the log is still shown


def test_a_long_log_counts_only_its_newest_rows_and_says_so(client, session, demo, monkeypatch):
    from threeassets.auth.routes import audit
    monkeypatch.setattr(audit, "COUNT_CAP", 30)
    monkeypatch.setitem(client.application.config, "PAGE_SIZE", 20)
    client.post("/login", data={"username": "zhuren", "password": PASSWORD})
    first = client.get("/audit").get_data(as_text=True)
    assert "最近 30 条（更早的记录请按日期查询），第 1 / 2 页" in first and "末页" not in first
    assert "第 2 页</a>" in first
    last = client.get("/audit?page=9").get_data(as_text=True)  # past the counted pages: the last of them
    assert "第 2 / 2 页" in last and len(_rows(last)) == 10
    assert "下一页" not in last
    _insert(session, _township_id(session), ["2016-03-01", "2016-03-02"])
    old = client.get("/audit?until=2016-12-31").get_data(as_text=True)
    assert "共 2 条，第 1 / 1 页" in old  # a narrow range is counted whole
