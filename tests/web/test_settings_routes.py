"""The township settings page: defaults shown, the head saves (audited), problems shown and nothing written."""
from __future__ import annotations

import json
from decimal import Decimal

from tests.conftest import login
from tests.web.conftest import count
from threeassets.core.audit import AuditEvent
from threeassets.orgs.models import TownshipSettings
from threeassets.orgs.settings import decision_rules, get_settings

GOOD = {"large_cash_threshold": "8,000", "contract_expiry_days": "60", "disclosure_group_threshold": "200",
        "supervision_phone": "0551-12345678",
        "rule-0-min": "0", "rule-0-resolution": "1", "rule-0-notice": "1",
        "rule-1-min": "20000", "rule-1-proposal": "1", "rule-1-committees": "1", "rule-1-resolution": "1",
        "rule-1-notice": "1", "rule-2-min": ""}


def url(world) -> str:
    return f"/t/{world.township_a.id}/settings"


def test_defaults_are_shown(client, world):
    login(client, "head")
    page = client.get(url(world)).get_data(as_text=True)
    assert 'value="5,000.00"' in page and 'value="90"' in page
    assert 'name="rule-2-min" value="50,000.00"' in page  # the third default band
    assert 'name="rule-3-min" value=""' in page and 'name="rule-4-min" value=""' in page  # rows to add bands
    assert "保存" in page and "disabled" not in page


def test_head_saves_and_it_is_audited(client, session, world):
    login(client, "head")
    resp = client.post(url(world), data=GOOD)
    assert resp.status_code == 302
    row = get_settings(session, world.township_a.id)
    assert (row.large_cash_threshold, row.contract_expiry_days, row.disclosure_group_threshold) == (
        Decimal("8000.00"), 60, Decimal("200.00"))
    assert row.supervision_phone == "0551-12345678"
    assert decision_rules(row) == [{"min_amount": "0.00", "steps": ["resolution", "notice"]},
                                   {"min_amount": "20000.00",
                                    "steps": ["proposal", "committees", "resolution", "notice"]}]
    [event] = session.query(AuditEvent).filter_by(action="settings.update").all()
    changed = json.loads(event.detail)["changed"]
    assert changed["contract_expiry_days"] == {"before": 90, "after": 60}
    assert event.township_id == world.township_a.id and event.actor_id == world.user("head").id
    assert get_settings(session, world.township_b.id).contract_expiry_days == 90  # other township untouched
    page = client.get(url(world)).get_data(as_text=True)
    assert 'value="8,000.00"' in page and 'name="rule-1-min" value="20,000.00"' in page


def test_negative_threshold_is_refused_and_nothing_written(client, session, world):
    login(client, "head")
    resp = client.post(url(world), data={**GOOD, "large_cash_threshold": "-1"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "不能为负数" in page and "is-invalid" in page
    assert 'value="-1"' in page  # what was typed stays on the form
    assert count(session, TownshipSettings) == 0 and count(session, AuditEvent, action="settings.update") == 0


def test_bad_rule_row_is_marked_on_its_row(client, session, world):
    login(client, "head")
    data = {**GOOD, "rule-5-min": "30000", "rule-5-notice": "1"}  # no resolution, and fewer steps than 20000
    resp = client.post(url(world), data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "村民（代表）会议决议" in page
    assert 'name="rule-5-min" value="30000"' in page
    assert count(session, TownshipSettings) == 0


def test_missing_zero_band_is_refused(client, session, world):
    login(client, "head")
    data = {k: v for k, v in GOOD.items() if not k.startswith("rule-0")}
    resp = client.post(url(world), data=data)
    assert resp.status_code == 422 and "须有一档起点金额为 0" in resp.get_data(as_text=True)


def test_staff_read_only(client, session, world):
    login(client, "accountant")
    page = client.get(url(world)).get_data(as_text=True)
    assert "只有中心主任可以修改" in page and "disabled" in page and ">保存<" not in page
    assert client.post(url(world), data=GOOD).status_code == 403
    assert count(session, TownshipSettings) == 0


def test_menu_shows_settings_to_township_staff(client, world):
    login(client, "reviewer")
    page = client.get(f"/t/{world.township_a.id}/alerts").get_data(as_text=True)
    assert f'href="/t/{world.township_a.id}/settings"' in page and "参数设置" in page


def test_the_book_controls_are_chosen_shown_and_a_bad_choice_is_named(client, session, world):
    login(client, "head")
    assert client.post(url(world), data={**GOOD, "cash_deficit": "refuse"}).status_code == 302
    row = get_settings(session, world.township_a.id)
    assert (row.cash_deficit, row.future_dates) == ("refuse", "warn")
    page = client.get(url(world)).get_data(as_text=True)
    assert '<option value="refuse" selected>禁止</option>' in page and "现金赤字控制" in page
    resp = client.post(url(world), data={**GOOD, "future_dates": "maybe"})
    assert resp.status_code == 422 and "请选择“提醒”或“禁止”" in resp.get_data(as_text=True)
    session.expire_all()
    assert get_settings(session, world.township_a.id).future_dates == "warn"


def test_posting_cash_into_credit_says_so_on_the_voucher(client, session, world, records):
    v = records.voucher(world.a1, "reviewed", summary="付误工补贴", amount="800.00", debit="514", credit="101")
    login(client, "accountant2")
    page = client.post(f"/v/{world.a1.id}/vouchers/{v.id}/post", follow_redirects=True).get_data(as_text=True)
    assert "已记账" in page and "库存现金出现贷方余额 800.00 元（现金赤字）" in page
