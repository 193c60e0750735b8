"""Township settings form validation: amounts, lead days, phone and the 四议两公开 rule rows."""
from __future__ import annotations

from decimal import Decimal

import pytest

from threeassets.settings.rules import parse_settings, rule_rows

GOOD = {"large_cash_threshold": "5,000", "contract_expiry_days": "90", "disclosure_group_threshold": "0",
        "supervision_phone": "0551-12345678",
        "rule-0-min": "0", "rule-0-resolution": "1", "rule-0-notice": "1",
        "rule-1-min": "50000", "rule-1-proposal": "1", "rule-1-committees": "1", "rule-1-members": "1",
        "rule-1-resolution": "1", "rule-1-notice": "1", "rule-1-result_notice": "1",
        "rule-2-min": ""}


def parse(**changes):
    form = {**GOOD, **changes}
    return parse_settings({k: v for k, v in form.items() if v is not None})


def test_good_form_parses():
    values, problems = parse()
    assert problems == {}
    assert values.large_cash_threshold == Decimal("5000.00") and values.contract_expiry_days == 90
    assert values.disclosure_group_threshold == Decimal("0.00") and values.supervision_phone == "0551-12345678"
    assert values.decision_rules == [
        {"min_amount": "0.00", "steps": ["resolution", "notice"]},
        {"min_amount": "50000.00", "steps": ["proposal", "committees", "members", "resolution", "notice",
                                             "result_notice"]}]


@pytest.mark.parametrize("field, text, reason", [
    ("large_cash_threshold", "-1", "负数"), ("large_cash_threshold", "0", "大于 0"),
    ("large_cash_threshold", "", "必填"), ("large_cash_threshold", "abc", "不是有效金额"),
    ("large_cash_threshold", "1.234", "两位小数"), ("disclosure_group_threshold", "-0.01", "负数"),
    ("contract_expiry_days", "0", "1 至 730"), ("contract_expiry_days", "731", "1 至 730"),
    ("contract_expiry_days", "-5", "1 至 730"), ("contract_expiry_days", "30.5", "1 至 730"),
    ("supervision_phone", "call me", "电话"), ("supervision_phone", "123", "电话"),
    ("supervision_phone", "1" * 41, "电话"),
])
def test_bad_fields(field, text, reason):
    _values, problems = parse(**{field: text})
    assert reason in problems[field]


@pytest.mark.parametrize("days", ["1", "730"])
def test_lead_day_limits_are_accepted(days):
    assert parse(contract_expiry_days=days)[1] == {}


@pytest.mark.parametrize("phone", ["", "0551-12345678", "0551-1234567转8001", "12345678、0551-87654321",
                                   "（0551）12345678"])
def test_phones_accepted(phone):
    assert parse(supervision_phone=phone)[1] == {}


def test_rule_rows_must_start_at_zero():
    _v, problems = parse(**{"rule-0-min": "100"})
    assert "为 0" in problems["rules"]


def test_no_rules_at_all_is_refused():
    form = {k: v for k, v in GOOD.items() if not k.startswith("rule-")}
    assert "为 0" in parse_settings(form)[1]["rules"]


@pytest.mark.parametrize("changes, reason", [
    ({"rule-0-min": "-1"}, "负数"),
    ({"rule-0-min": "x"}, "不是有效金额"),
    ({"rule-1-min": ""}, "起点金额"),
    ({"rule-1-min": "0"}, "重复"),
    ({"rule-2-min": "20000"}, "至少勾选"),
    ({"rule-0-resolution": None}, "村民（代表）会议决议"),
])
def test_bad_rule_rows(changes, reason):
    _v, problems = parse(**changes)
    row = next(k for k in problems if k.startswith("rule-"))
    assert reason in problems[row]


def test_higher_band_may_not_need_fewer_steps():
    _v, problems = parse(**{"rule-2-min": "10000", "rule-2-resolution": "1"})  # lacks notice of the 0 band
    assert "缺决议公开" in problems["rule-2"]
    _v, problems = parse(**{"rule-1-notice": None})
    assert "缺决议公开" in problems["rule-1"]


def test_rows_sorted_by_amount_whatever_their_order_on_the_form():
    values, problems = parse(**{"rule-0-min": "50000", "rule-0-proposal": "1", "rule-0-committees": "1",
                                "rule-0-members": "1", "rule-0-result_notice": "1",
                                "rule-1-min": "0", "rule-1-proposal": None, "rule-1-committees": None,
                                "rule-1-members": None, "rule-1-result_notice": None})
    assert problems == {}
    assert [r["min_amount"] for r in values.decision_rules] == ["0.00", "50000.00"]


def test_blank_rows_are_dropped_and_indexes_kept():
    assert [i for i, _t, _s in rule_rows({"rule-0-min": "0", "rule-0-notice": "1", "rule-3-min": " ",
                                          "rule-7-min": "5"})] == [0, 7]
