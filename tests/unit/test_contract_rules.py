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
        assert rules.CONTRACT_FLOW.allows(state, action)
    else:
        with pytest.raises(IllegalMove):
            move(state, action)
        assert not rules.CONTRACT_FLOW.allows(state, action)


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
    ("starts_on", "2025-13-01", "不是日期"),
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


# ---------------------------------------------------------------- who may do what to a contract

END = date(2025, 12, 31)


def _facts(status: str, *, on: date = date(2025, 6, 1), deposit: str = "0", received: str = "0",
           renewed: bool = False) -> rules.ContractFacts:
    return rules.ContractFacts(status, END, on, D(deposit), D(received), renewed)


def _may(role: str, facts: rules.ContractFacts) -> list[str]:
    from threeassets.auth.rules import permissions_of
    return rules.contract_actions(facts, permissions_of(role))


@pytest.mark.parametrize("role, facts, expected", [
    ("agency_accountant", _facts("draft"), ["edit", "delete", "activate"]),
    ("agency_accountant", _facts("draft", deposit="500"), ["edit", "delete", "activate", "deposit"]),
    # a draft holding a deposit is not deleted until the deposit is refunded
    ("agency_head", _facts("draft", deposit="500", received="500"), ["edit", "activate", "refund"]),
    ("agency_accountant", _facts("active"), ["terminate", "renew"]),
    ("agency_accountant", _facts("active", on=END), ["end", "terminate", "renew"]),  # 到期终止 from the end date
    ("agency_accountant", _facts("active", renewed=True), ["terminate"]),  # renewed once is enough
    ("agency_accountant", _facts("active", deposit="500", received="200"), ["terminate", "renew", "deposit",
                                                                            "refund"]),
    ("agency_accountant", _facts("ended", deposit="500", received="500"), ["renew", "refund"]),
    ("agency_accountant", _facts("ended", deposit="500"), ["renew"]),  # no deposit after the term
    ("agency_head", _facts("terminated", received="100", deposit="100"), ["refund"]),
    ("agency_head", _facts("renewed", on=END), []),
    ("reviewer", _facts("draft", deposit="500"), []),
    ("village_accountant", _facts("active", on=END, deposit="500", received="500"), []),
    ("village_board", _facts("draft"), []),
    ("county_supervisor", _facts("active", on=END), []),
    ("window_clerk", _facts("active"), []),
])
def test_contract_actions(role, facts, expected):
    assert _may(role, facts) == expected


def test_a_contract_refusal_says_why():
    assert rules.contract_refusal(_facts("active"), "edit") == "合同状态为“履行中”，不能修改"
    assert rules.contract_refusal(_facts("active"), "end") == "合同终止日为 2025-12-31，未到期；提前终止请用“解除合同”"
    assert rules.contract_refusal(_facts("draft"), "end") == "合同状态为“草稿”，不能到期终止"  # the state speaks first
    assert rules.contract_refusal(_facts("ended", renewed=True), "renew") == "该合同已有续签合同，不能重复续签"
    assert rules.contract_refusal(_facts("draft", received="1", deposit="1"), "delete") == \
        "已收履约保证金的合同不能删除，请先退还保证金"
    assert rules.contract_refusal(_facts("terminated", deposit="500"), "deposit") == "合同已终止，不能再收保证金"
    assert rules.contract_refusal(_facts("active", deposit="5", received="5"), "deposit") == "履约保证金已收足"
    assert rules.contract_refusal(_facts("active"), "refund") == "没有可退还的履约保证金"
    assert rules.contract_refusal(_facts("draft"), "receive") == "合同未生效，不能确认应收"
    assert rules.contract_refusal(_facts("terminated"), "accrue") is None  # what fell due is still owed


def _inst(status: str, due: date = date(2025, 6, 1), seq: int = 2) -> rules.InstallmentFacts:
    return rules.InstallmentFacts(seq, status, due)


@pytest.mark.parametrize("role, contract, inst, expected", [
    ("agency_accountant", "active", _inst("due"), ["receive"]),
    ("agency_accountant", "active", _inst("partial", date(2020, 1, 1)), ["receive"]),
    ("agency_accountant", "active", _inst("scheduled", date(2025, 7, 1)), ["receive"]),  # due within 30 days
    ("agency_accountant", "active", _inst("scheduled", date(2025, 7, 2)), []),  # further ahead: the form takes it
    ("agency_accountant", "terminated", _inst("due"), ["receive"]),
    ("agency_accountant", "active", _inst("paid"), []),
    ("agency_accountant", "terminated", _inst("cancelled"), []),
    ("agency_head", "draft", _inst("scheduled"), []),  # a draft owes nothing yet
    ("reviewer", "active", _inst("due"), []),
    ("village_accountant", "active", _inst("due"), []),
])
def test_installment_actions(role, contract, inst, expected):
    from threeassets.auth.rules import permissions_of
    assert rules.installment_actions(_facts(contract), inst, permissions_of(role)) == expected


def test_an_installment_refusal_says_why():
    active = _facts("active")
    assert rules.installment_refusal(active, _inst("paid")) == "第2期已收清或已取消"
    assert rules.installment_refusal(active, _inst("due"), "accrue") == "第2期已确认应收或已取消"
    assert rules.installment_refusal(_facts("draft"), _inst("scheduled"), "accrue") == "合同未生效，不能确认应收"
    assert rules.installment_refusal(active, _inst("scheduled", date(2030, 1, 1))) is None  # paid in advance
