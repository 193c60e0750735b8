"""Alert pages: lists with counts and filters, re-check, automatic re-check on opening, acknowledge, badge."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import login
from tests.web.conftest import count, tbody
from threeassets.alerts.models import Alert, AlertScan
from threeassets.contracts.models import Contract, Installment
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction


def add_alert(session, village, n=1, rule="installment_overdue", severity="warning", message="逾期 3 天",
              **kw) -> int:
    """Store an open alert directly (the lists show what is stored); returns its id."""
    with transaction(session):
        a = Alert(township_id=village.township_id, village_id=village.id, rule=rule, severity=severity,
                  object_type="installment", object_id=n, key="", message=message, **kw)
        session.add(a)
    alert_id = a.id
    session.expunge_all()
    return alert_id


def mark_fresh(session, *villages):
    """Pretend the villages were scanned just now, so opening a list does not re-check them."""
    with transaction(session):
        for v in villages:
            session.merge(AlertScan(village_id=v.id, scanned_at=datetime.now(), as_of=date.today()))
    session.expunge_all()


def overdue_installment(session, village):
    """An active contract with an installment a month overdue."""
    with transaction(session):
        c = Contract(village_id=village.id, code="HT-009", title="村东鱼塘", kind="contracting", party_type="person",
                     party_name="王五", party_id_no="110101199003070016", award_method="bidding",
                     signed_on=date(2021, 1, 1), starts_on=date(2021, 1, 1), ends_on=date.today() + timedelta(days=900),
                     total_price=Decimal("9000.00"))
        session.add(c)
        session.flush()
        session.add(Installment(village_id=village.id, contract_id=c.id, seq=1,
                                due_on=date.today() - timedelta(days=30), amount=Decimal("3000.00")))
    session.expunge_all()


def test_village_list_counts_and_colours(client, session, world):
    mark_fresh(session, world.a1)
    add_alert(session, world.a1, 1, severity="danger", message="严重逾期 120 天")
    add_alert(session, world.a1, 2, rule="large_cash", message="现金支付 9,000.00 元")
    add_alert(session, world.a2, 3, message="别村的预警")
    login(client, "vacct")
    page = client.get(f"/v/{world.a1.id}/alerts").get_data(as_text=True)
    rows = tbody(page)
    assert "严重逾期 120 天" in rows and "现金支付 9,000.00 元" in rows and "别村的预警" not in rows
    assert rows.index("严重逾期") < rows.index("现金支付")  # severe first
    assert "alerts-sev-danger" in rows and "alerts-sev-warning" in rows
    assert 'class="alerts-count-n">1<' in page  # counts by rule at the top
    assert "alerts-ack" not in rows and "重新检查" not in page  # village users read, staff act


def test_township_list_filters_by_village_rule_and_state(client, session, world):
    mark_fresh(session, world.a1, world.a2)
    add_alert(session, world.a1, 1, message="甲一逾期")
    add_alert(session, world.a2, 2, message="甲二逾期")
    add_alert(session, world.a2, 3, rule="large_cash", message="甲二现金")
    add_alert(session, world.b1, 4, message="乙镇的预警")
    login(client, "reviewer")
    base = f"/t/{world.township_a.id}/alerts"
    rows = tbody(client.get(base).get_data(as_text=True))
    assert "甲一逾期" in rows and "甲二现金" in rows and "乙镇的预警" not in rows and "甲二村" in rows
    rows = tbody(client.get(f"{base}?village={world.a2.id}&rule=installment_overdue").get_data(as_text=True))
    assert "甲二逾期" in rows and "甲一逾期" not in rows and "甲二现金" not in rows
    rows = tbody(client.get(f"{base}?village={world.b1.id}").get_data(as_text=True))  # not ours: ignored
    assert "乙镇的预警" not in rows and "甲一逾期" in rows
    rows = tbody(client.get(f"{base}?state=acknowledged").get_data(as_text=True))
    assert "没有符合条件的预警" in rows


def test_township_list_is_paginated(client, session, world):
    mark_fresh(session, world.a1, world.a2)
    for n in range(25):
        add_alert(session, world.a1, n, message=f"第{n:02d}条")
    login(client, "accountant")
    first = client.get(f"/t/{world.township_a.id}/alerts").get_data(as_text=True)
    second = client.get(f"/t/{world.township_a.id}/alerts?page=2").get_data(as_text=True)
    assert tbody(first).count("<tr") == 20 and tbody(second).count("<tr") == 5
    assert "共 25 条" in first


def test_acknowledge_from_the_township_list_returns_there(client, session, world):
    mark_fresh(session, world.a1, world.a2)
    alert_id = add_alert(session, world.a2, 1, message="甲二逾期")
    login(client, "accountant")
    back = f"/t/{world.township_a.id}/alerts?village={world.a2.id}"
    resp = client.post(f"/v/{world.a2.id}/alerts/{alert_id}/ack", data={"note": "已电话催收", "next": back})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(back)
    a = session.get(Alert, alert_id)
    assert a.note == "已电话催收" and a.acknowledged_by_id == world.user("accountant").id
    assert count(session, AuditEvent, action="alerts.acknowledge") == 1
    page = client.get(back).get_data(as_text=True)
    assert "甲二逾期" not in tbody(page)  # off the open list …
    page = client.get(back + "&state=acknowledged").get_data(as_text=True)
    assert "甲二逾期" in tbody(page) and "已电话催收" in tbody(page)  # … but visible under its filter


def test_acknowledge_without_note_writes_nothing(client, session, world):
    mark_fresh(session, world.a1)
    alert_id = add_alert(session, world.a1)
    login(client, "head")
    resp = client.post(f"/v/{world.a1.id}/alerts/{alert_id}/ack", data={"note": " "}, follow_redirects=True)
    assert "请填写处理说明" in resp.get_data(as_text=True)
    assert session.get(Alert, alert_id).acknowledged_at is None
    assert count(session, AuditEvent, action="alerts.acknowledge") == 0


@pytest.mark.parametrize("target", ["https://evil.example/x", "//evil.example/x", "/login", "/\\evil"])
def test_acknowledge_never_redirects_off_the_lists(client, session, world, target):
    mark_fresh(session, world.a1)
    alert_id = add_alert(session, world.a1)
    login(client, "head")
    resp = client.post(f"/v/{world.a1.id}/alerts/{alert_id}/ack", data={"note": "ok", "next": target})
    assert resp.headers["Location"].endswith(f"/v/{world.a1.id}/alerts")


def test_acknowledging_twice_is_refused(client, session, world):
    mark_fresh(session, world.a1)
    alert_id = add_alert(session, world.a1)
    login(client, "head")
    client.post(f"/v/{world.a1.id}/alerts/{alert_id}/ack", data={"note": "第一次"})
    resp = client.post(f"/v/{world.a1.id}/alerts/{alert_id}/ack", data={"note": "第二次"}, follow_redirects=True)
    assert "已确认过" in resp.get_data(as_text=True)
    assert session.get(Alert, alert_id).note == "第一次"


def test_opening_a_stale_list_rechecks_and_a_fresh_one_does_not(client, session, world):
    overdue_installment(session, world.a1)
    login(client, "board")
    page = client.get(f"/v/{world.a1.id}/alerts").get_data(as_text=True)
    assert "HT-009" in tbody(page) and "逾期 30 天" in tbody(page)
    assert "上次检查" in page
    with transaction(session):
        session.execute(Installment.__table__.update().values(received=Decimal("3000.00"), status="paid"))
    page = client.get(f"/v/{world.a1.id}/alerts").get_data(as_text=True)
    assert "HT-009" in tbody(page)  # scanned minutes ago: the list is not re-checked on every opening


def test_recheck_button_scans_now(client, session, world):
    mark_fresh(session, world.a1, world.a2)
    overdue_installment(session, world.a2)
    login(client, "accountant")
    assert "HT-009" not in tbody(client.get(f"/t/{world.township_a.id}/alerts").get_data(as_text=True))
    resp = client.post(f"/t/{world.township_a.id}/alerts/scan", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "检查完成：新增 1 条" in page and "HT-009" in tbody(page)
    scans = session.scalars(select(AlertScan.village_id)).all()
    assert set(scans) == {world.a1.id, world.a2.id}  # b1 is another township's


def test_automatic_recheck_can_be_switched_off(session, world, db_url):
    from threeassets import create_app
    overdue_installment(session, world.a1)
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "x",
                      "PAGE_SIZE": 20, "ALERTS_RESCAN_MINUTES": 0})
    client = app.test_client()
    login(client, "board")
    assert "HT-009" not in tbody(client.get(f"/v/{world.a1.id}/alerts").get_data(as_text=True))
    assert count(session, AlertScan) == 0


def test_menu_badge_counts_open_alerts(client, session, world):
    mark_fresh(session, world.a1, world.a2)
    add_alert(session, world.a1, 1)
    add_alert(session, world.a2, 2)
    add_alert(session, world.a2, 3, acknowledged_at=datetime.now())
    login(client, "head")
    page = client.get(f"/t/{world.township_a.id}/alerts").get_data(as_text=True)
    assert 'alerts-badge">2<' in page
    page = client.get(f"/v/{world.a1.id}/alerts").get_data(as_text=True)
    assert 'alerts-badge">1<' in page


def test_menu_badge_follows_acknowledging_and_raising(client, session, world):
    """The side menu is rendered once per process for a role, village and page, and kept (core/web.py); its badge
    is counted on every page, so the same page shows the change at once."""
    mark_fresh(session, world.a1, world.a2)
    first = add_alert(session, world.a1, 1)
    add_alert(session, world.a2, 2)
    login(client, "accountant")
    pages = (f"/v/{world.a1.id}/vouchers", f"/t/{world.township_a.id}/alerts")
    assert 'alerts-badge">1<' in client.get(pages[0]).get_data(as_text=True)
    assert 'alerts-badge">2<' in client.get(pages[1]).get_data(as_text=True)
    assert client.post(f"/v/{world.a1.id}/alerts/{first}/ack", data={"note": "已处理"}).status_code == 302
    assert "alerts-badge" not in client.get(pages[0]).get_data(as_text=True)
    assert 'alerts-badge">1<' in client.get(pages[1]).get_data(as_text=True)
    add_alert(session, world.a1, 3)
    add_alert(session, world.a1, 4)
    assert 'alerts-badge">2<' in client.get(pages[0]).get_data(as_text=True)
    assert 'alerts-badge">3<' in client.get(pages[1]).get_data(as_text=True)


def test_village_dashboard_links_open_alerts(client, session, world):
    mark_fresh(session, world.a1)
    add_alert(session, world.a1, 1)
    login(client, "board")
    page = client.get(f"/v/{world.a1.id}/dashboard").get_data(as_text=True)
    assert f'href="/v/{world.a1.id}/alerts">待处理预警 <span class="badge bg-light text-dark">1<' in page
