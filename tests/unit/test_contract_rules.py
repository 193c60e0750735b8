"""Pure contract and resource rules: IDs and credit codes, the state machine, terms, overlaps, input checks."""
from datetime import date
from decimal import Decimal as D

import pytest
from stdnum.cn import ric, uscc

from threeassets.contracts import rules
from threeassets.contracts.rules import TRANSITIONS, check_credit_code, check_person_id, move, parse_contract
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.resources.rules import parse_area, parse_resource, parse_status

TODAY = date(2025, 6, 1)
PERSON = "340121198005121234"  # valid: region 340121, born 1980-05-12, check digit 4
ORG = "93340100MA2N0DEM0J"


def test_fixtures_are_valid_numbers():
    assert ric.is_valid(PERSON) and uscc.is_valid(ORG)


def test_valid_person_id_is_normalised():
    assert check_person_id(" 340121198005121234 ", TODAY) == PERSON
    body = "11010519491231002"
    assert check_person_id(body + "x", TODAY) == body + "X"  # lower-case x accepted, stored upper-case


@pytest.mark.parametrize("number, words", [
    ("340121198005121235", "校验位"),  # last digit changed
    ("34012119800512123", "18位"),
    ("3401211980051212A4", "数字"),
    ("340121198002301234"[:17] + ric.calc_check_digit("34012119800230123" + "0"), "出生日期"),  # 30 Feb
    ("990121198005121234"[:17] + ric.calc_check_digit("99012119800512123" + "0"), "地区码"),
    # 110001 makes the library raise KeyError instead of a validation error: still a clear refusal
    ("11000119800512123" + ric.calc_check_digit("11000119800512123" + "0"), "地区码"),
])
def test_bad_person_ids_name_the_field(number, words):
    with pytest.raises(RuleError) as err:
        check_person_id(number, TODAY)
    assert "party_id_no" in err.value.fields
    assert words in str(err.value) and "对方证件号码" in str(err.value)


def test_birth_date_in_the_future_is_refused():
    body = "34012120300101123"
    with pytest.raises(RuleError, match="出生日期"):
        check_person_id(body + ric.calc_check_digit(body + "0"), TODAY)


def test_credit_codes():
    assert check_credit_code(ORG.lower()) == ORG
    with pytest.raises(RuleError, match="校验位") as err:
        check_credit_code(ORG[:-1] + "K")
    assert err.value.fields == {"party_id_no": "统一社会信用代码校验位错误"}
    with pytest.raises(RuleError, match="18位"):
        check_credit_code("9134010")
    with pytest.raises(RuleError):
        check_credit_code("AB340100MA2N0DEM0J")


STATES = list(rules.STATUS_LABELS)
ACTIONS = list(rules.ACTION_LABELS)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_action_pair(state, action):
    if (state, action) in TRANSITIONS:
        assert move(state, action) == TRANSITIONS[(state, action)]
        assert rules.allowed(state, action)
    else:
        with pytest.raises(IllegalMove):
            move(state, action)
        assert not rules.allowed(state, action)


def test_transition_table_content():
    assert move("draft", "activate") == "active"
    assert move("active", "end") == "ended"
    assert move("active", "terminate") == "terminated"
    assert move("active", "renew") == "renewed" and move("ended", "renew") == "renewed"
    assert move("draft", "delete") is None


def test_overlaps_are_inclusive():
    a = (date(2025, 1, 1), date(2025, 12, 31))
    assert rules.overlaps(*a, date(2025, 12, 31), date(2026, 12, 31))
    assert not rules.overlaps(*a, date(2026, 1, 1), date(2026, 12, 31))
    assert rules.overlaps(*a, date(2024, 1, 1), date(2030, 1, 1))


def test_installment_status_and_days_overdue():
    assert rules.installment_status(D("100"), D("0")) == "due"
    assert rules.installment_status(D("100"), D("40")) == "partial"
    assert rules.installment_status(D("100"), D("100")) == "paid"
    assert rules.days_overdue(date(2025, 5, 1), TODAY) == 31
    assert rules.days_overdue(date(2025, 7, 1), TODAY) == 0
    assert rules.can_end(date(2025, 6, 1), TODAY) and not rules.can_end(date(2025, 6, 2), TODAY)


def _form(**kw):
    data = dict(code="HT-1", title="耕地承包", kind="contracting", party_type="person", party_name="张三",
                party_id_no=PERSON, award_method="negotiation", signed_on="2025-01-01", starts_on="2025-01-01",
                ends_on="2029-12-31", total_price="50,000.00", deposit="1000", frequency="yearly")
    data.update(kw)
    return data


def test_parse_contract_ok_with_default_income_account():
    inp = parse_contract(_form(), TODAY)
    assert inp.total_price == D("50000.00") and inp.income_account == "501"
    assert parse_contract(_form(kind="investment"), TODAY).income_account == "502"
    assert parse_contract(_form(party_type="org", party_id_no=ORG.lower()), TODAY).party_id_no == ORG


@pytest.mark.parametrize("field, value, problem", [
    ("ends_on", "2024-12-31", "终止日期不能早于起始日期"),
    ("total_price", "-5", "负数"),
    ("total_price", "0", "大于0"),
    ("party_id_no", "340121198005121235", "校验位"),
    ("kind", "gift", "请选择"),
    ("starts_on", "2025-13-01", "YYYY-MM-DD"),
    ("income_account", "101", "收入科目"),
    ("code", "合同一", "合同编号"),
])
def test_parse_contract_refusals_name_the_field(field, value, problem):
    with pytest.raises(RuleError) as err:
        parse_contract(_form(**{field: value}), TODAY)
    assert problem in err.value.fields[field]


def test_resource_area_must_be_positive():
    assert parse_area("1,234.5") == D("1234.50")
    for bad, why in (("-3", "负数"), ("0", "大于0"), ("1.234", "两位小数"), ("", "请填写"), ("abc", "不是有效")):
        with pytest.raises(RuleError) as err:
            parse_area(bad)
        assert why in err.value.fields["area_mu"]


def test_parse_resource():
    inp = parse_resource({"code": "GD-1", "name": "东地", "rtype": "耕地", "area_mu": "3.5", "status": "已发包"})
    assert inp.status == "let" and inp.area_mu == D("3.50")
    with pytest.raises(RuleError) as err:
        parse_resource({"code": "", "name": "", "rtype": "田", "area_mu": "-1", "status": "x"})
    assert set(err.value.fields) == {"code", "name", "rtype", "area_mu", "status"}
    assert parse_status("") == "unlet" and parse_status("self_used") == "self_used" and parse_status("?") is None
