"""The kiosk's pure rules: a notice's checks and its state
machine, the counters' keys, the household lookup's subject, pinyin search."""
from __future__ import annotations

from datetime import timedelta

import pytest

from threeassets.core import masking
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.kiosk import rules, search


def _notice(**change) -> rules.NoticeInput:
    values = {"kind": "party", "title": "党费收缴公示", "notice_date": "2026-11-20", "body": "党费合计18,650.00元\n"}
    return rules.NoticeInput(**(values | change))


def test_a_valid_notice_is_cleaned():
    assert rules.check_notice(_notice(body="第一行\r\n第二行\n\n")) == ("party", "党费收缴公示",
                                                                     __import__("datetime").date(2026, 11, 20),
                                                                     "第一行\n第二行")


@pytest.mark.parametrize("change, field", [
    ({"kind": "village"}, "kind"), ({"title": " "}, "title"), ({"title": "长" * 101}, "title"),
    ({"notice_date": "2026-02-30"}, "notice_date"), ({"notice_date": "1999-12-31"}, "notice_date"),
    ({"body": "长" * 20001}, "body"), ({"body": "联系电话13800001234"}, "body"),
    ({"body": "户主张三，身份证340102198001011234"}, "body"), ({"title": "账号6222021234567890123"}, "title"),
])
def test_a_notice_is_refused_field_by_field(change, field):
    with pytest.raises(RuleError) as exc:
        rules.check_notice(_notice(**change))
    assert field in exc.value.fields and str(exc.value).startswith("公告未保存")


def test_the_refusal_names_the_number_and_how_to_write_it():
    with pytest.raises(RuleError) as exc:
        rules.check_notice(_notice(body="监督电话13800001234"))
    assert "手机号“13800001234”" in exc.value.fields["body"] and "138****1234" in exc.value.fields["body"]


def test_the_notice_machine():
    assert rules.NOTICE_FLOW.next("draft", "publish") == "published"
    assert rules.NOTICE_FLOW.next("published", "withdraw") == "withdrawn"
    assert rules.NOTICE_FLOW.next("withdrawn", "redraft") == "draft"
    assert rules.NOTICE_FLOW.next("draft", "delete") is None
    with pytest.raises(IllegalMove, match="请先撤回"):
        rules.NOTICE_FLOW.next("published", "edit")
    with pytest.raises(IllegalMove, match="公告已撤回，不能发布"):
        rules.NOTICE_FLOW.next("withdrawn", "publish")


def test_the_actions_offered_follow_the_state_and_the_permission():
    assert rules.notice_actions("draft", {"kiosk.edit"}) == ["edit", "publish", "delete", "attach", "detach"]
    assert rules.notice_actions("published", {"kiosk.edit"}) == ["withdraw"]
    assert rules.notice_actions("withdrawn", {"kiosk.edit"}) == ["redraft"]
    assert rules.notice_actions("draft", {"kiosk.read"}) == []


def test_counter_keys():
    assert rules.count_key("home", "home") == ("home", "home")
    assert rules.count_key("policy", "policy", 12) == ("policy", "policy:12")
    assert rules.count_key("policy", "household") == ("policy", "household")
    assert rules.item_parts("policy:12") == ("policy", 12) and rules.item_parts("list") == ("list", None)
    assert rules.item_label("policy:12", {("policy", 12): "耕地地力保护补贴"}) == "政策 · 耕地地力保护补贴"
    assert rules.item_label("notice:3") == "公告 #3" and rules.item_label("household") == "我家补贴查询"


@pytest.mark.parametrize("section, what, ident", [
    ("secret", "home", None), ("policy", "张三", None), ("policy", "policy", "1234"), ("policy", "policy", -1),
    ("policy", "policy", True),
])
def test_nothing_typed_can_become_a_counter_key(section, what, ident):
    with pytest.raises(ValueError):
        rules.count_key(section, what, ident)


def test_the_household_subject_is_the_name_as_compared():
    assert rules.household_subject(3, " 张 三 ") == rules.household_subject(3, "张三") == "3:张三"
    assert rules.household_subject(3, "ＡＢ") == "3:AB"
    assert rules.household_subject(4, "张三") != rules.household_subject(3, "张三")


def test_a_long_household_number_shows_its_tail():
    assert rules.short_number("0012") == "0012"
    assert rules.short_number("340102001002") == "尾号1002"
    assert masking.findings(rules.short_number("340102001002")) == []


def test_pinyin_search():
    assert search.initials("耕地地力保护补贴") == "gddlbhbt"
    assert search.matches("gddl", "耕地地力保护补贴") and search.matches("GDDL", "耕地地力保护补贴")
    assert search.matches("报账", "村级报账") and search.matches("", "任何")
    assert not search.matches("zzz", "村级报账")
    assert search.clean("  村级 报账 " + "x" * 100) == ("村级报账" + "x" * 100)[:search.QUERY_MAX]


def test_kiosk_addresses_are_read_from_the_environment(monkeypatch):
    from ipaddress import ip_network

    from threeassets.config import networks
    monkeypatch.setenv("THREEASSETS_KIOSK_ADDRESSES", "192.168.1.20, 10.0.8.0/28 fd00::7")
    assert networks("THREEASSETS_KIOSK_ADDRESSES") == (ip_network("192.168.1.20/32"), ip_network("10.0.8.0/28"),
                                                       ip_network("fd00::7/128"))
    monkeypatch.setenv("THREEASSETS_KIOSK_ADDRESSES", "192.168.1.20,大厅")
    with pytest.raises(ValueError, match="THREEASSETS_KIOSK_ADDRESSES: '大厅'"):
        networks("THREEASSETS_KIOSK_ADDRESSES")
    monkeypatch.delenv("THREEASSETS_KIOSK_ADDRESSES")
    assert networks("THREEASSETS_KIOSK_ADDRESSES") == ()


def test_a_kiosk_is_spared_the_per_address_count_not_the_per_name_one():
    from ipaddress import ip_network
    kiosks = (ip_network("10.0.8.0/28"), "192.168.1.20")
    assert rules.at_kiosk("10.0.8.5", kiosks) and rules.at_kiosk("192.168.1.20", kiosks)
    assert not rules.at_kiosk("10.0.8.16", kiosks) and not rules.at_kiosk("unknown", kiosks)
    assert not rules.at_kiosk("::1", kiosks) and not rules.at_kiosk(None, kiosks)
    at_kiosk = rules.household_throttle(rules.HOUSEHOLD_THROTTLE, True)
    assert at_kiosk.address.delay(100_000) == timedelta(0)
    assert at_kiosk.subject == rules.HOUSEHOLD_THROTTLE.subject
    assert rules.household_throttle(rules.HOUSEHOLD_THROTTLE, False) == rules.HOUSEHOLD_THROTTLE
