"""Pure claim rules: a test per (state, action) pair, 白条, masking, line and submit checks."""
from datetime import date
from decimal import Decimal as D

import pytest

from threeassets.claims.rules import (
    ACTIONS,
    STATUSES,
    TRANSITIONS,
    AccountFact,
    ClaimInput,
    LineDraft,
    account_digits,
    account_refusal,
    claim_refusal,
    date_problems,
    earliest_occurrence,
    header_problems,
    is_white_slip,
    line_problems,
    next_status,
    payee_account_problem,
    submit_problems,
)
from threeassets.core.errors import IllegalMove

EXPECTED = {
    ("draft", "edit"): "draft", ("draft", "delete"): None, ("draft", "submit"): "submitted",
    ("returned", "edit"): "returned", ("returned", "submit"): "submitted",
    ("submitted", "receive"): "received", ("received", "accept"): "accepted", ("received", "reject"): "returned",
}


@pytest.mark.parametrize("state", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_action_pair(state, action):
    if (state, action) in EXPECTED:
        assert next_status(state, action) == EXPECTED[(state, action)]
    else:
        with pytest.raises(IllegalMove, match="报账单"):
            next_status(state, action)


def test_table_is_the_expected_one():
    assert TRANSITIONS == EXPECTED


def test_illegal_move_message_names_state_and_action():
    with pytest.raises(IllegalMove, match="报账单已受理（凭证草稿），不能修改"):
        next_status("accepted", "edit")


@pytest.mark.parametrize("status, ok", [("draft", True), ("returned", True), ("submitted", False),
                                        ("received", False), ("accepted", False)])
def test_editable(status, ok):
    assert (claim_refusal(status, "edit") is None) is ok


@pytest.mark.parametrize("invoices, white", [(["vat"], False), (["vat", "receipt"], True), (["none"], True),
                                             ([], False)])
def test_white_slip(invoices, white):
    assert is_white_slip(invoices) is white


TODAY = date(2026, 12, 7)
# The village's chart as the line check sees it: 513 has sub-accounts, 101 is a leaf but pays the claim.
CHART = {"101": AccountFact("库存现金", "asset", True), "10201": AccountFact("银行存款-农商行", "asset", True),
         "501": AccountFact("经营收入", "income", True), "301": AccountFact("资本", "equity", True),
         "513": AccountFact("管理费用", "expense", False), "51301": AccountFact("管理费用-办公费", "expense", True),
         "514": AccountFact("公益支出", "expense", True), "211": AccountFact("应付款", "liability", True)}


def test_line_problems_name_line_and_field():
    assert line_problems(2, LineDraft("纸", "51301", D("1"), "vat"), CHART) == {}
    got = line_problems(2, LineDraft(" ", "999", D("0"), "x"), CHART)
    assert got == {"lines-2-purpose": "第3行：用途不能为空",
                   "lines-2-account_code": "第3行：本村没有科目 999，请输入编码或名称从列表中选择",
                   "lines-2-amount": "第3行：金额应大于零", "lines-2-invoice": "第3行：票据类型无效"}
    assert line_problems(0, LineDraft("纸", "", D("1"), "vat"), CHART) == {
        "lines-0-account_code": "第1行：请选择建议科目"}


@pytest.mark.parametrize("code, reason", [
    ("101", "101 库存现金是付款的科目（报账款从现金或银行付出），不能作为建议科目"),  # a leaf, yet never claimed
    ("10201", "10201 银行存款-农商行是付款的科目"),
    ("501", "501 经营收入是收入类科目，不能作为建议科目，请选择支出、成本、资产或负债类的末级科目"),
    ("301", "301 资本是所有者权益类科目"),
    ("513", "513 管理费用下设明细科目，请选择其下的末级科目（输入 513 可列出）"),
    ("51307", "本村没有科目 51307"),
])
def test_an_account_a_line_may_not_suggest_is_refused_with_the_real_reason(code, reason):
    why = account_refusal(code, CHART.get(code))
    assert why is not None and why.startswith(reason)
    assert "不是本村的末级科目" not in why


@pytest.mark.parametrize("code", ["51301", "514", "211"])
def test_leaves_of_expense_cost_asset_and_liability_may_be_suggested(code):
    assert account_refusal(code, CHART[code]) is None


def _input(**kw):
    base = dict(payee="张三", payee_kind="person", payee_account="6222021000123456789", pay_method="bank",
                occurred_on=date(2026, 11, 1), contact_phone="13800001111", handler_name="甲", oversight_name="乙",
                head_name="丙", signed_on=date(2026, 11, 2), lines=(LineDraft("纸", "514", D("5"), "vat"),))
    return ClaimInput(**(base | kw))


def test_header_problems():
    assert header_problems(_input(), TODAY) == {}
    got = header_problems(_input(payee=" ", payee_kind="x", pay_method="cheque", lines=(), occurred_on=None), TODAY)
    assert got == {"payee": "请填写收款人", "payee_kind": "收款人类型无效", "pay_method": "支付方式无效",
                   "occurred_on": "请填写发生日期", "lines": "至少填写一行报账明细"}


def test_submit_problems_cash_needs_no_account():
    assert submit_problems(_input(pay_method="cash", payee_account=""), CHART, 1, TODAY) == {}
    assert "payee_account" in submit_problems(_input(payee_account="12"), CHART, 1, TODAY)
    assert "receipts" in submit_problems(_input(), CHART, 0, TODAY)


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("occurred, signed, expected", [
    (date(2026, 12, 7), date(2026, 12, 7), {}),  # the same day, today
    (date(2026, 11, 30), None, {}),  # a draft may leave the signing date blank
    (date(2027, 3, 1), date(2026, 12, 7), {"occurred_on": "发生日期不能晚于今天"}),  # the signing is not blamed
    (date(2026, 12, 8), None, {"occurred_on": "发生日期不能晚于今天"}),
    (date(2026, 12, 1), date(2026, 12, 8), {"signed_on": "签字日期不能晚于今天"}),
    (date(2020, 1, 1), date(2019, 1, 1), {"occurred_on": "发生日期不能早于 2023-12-07：3年以前的支出不能报账，"
                                                          "请核对日期或与乡镇代理服务中心联系"}),
    (date(2024, 1, 1), date(2023, 12, 31), {"signed_on": "签字日期不能早于发生日期 2024-01-01"}),
    (date(2023, 12, 7), date(2023, 12, 7), {}),  # exactly three years back is still accepted
    (date(2023, 12, 6), date(2026, 12, 7), {"occurred_on": "发生日期不能早于 2023-12-07：3年以前的支出不能报账，"
                                                            "请核对日期或与乡镇代理服务中心联系"}),
    (date(2027, 1, 1), date(2027, 1, 2), {"occurred_on": "发生日期不能晚于今天", "signed_on": "签字日期不能晚于今天"}),
])
def test_impossible_dates_are_named_at_their_field(occurred, signed, expected):
    assert date_problems(occurred, signed, TODAY) == expected


def test_the_earliest_date_of_occurrence_is_three_years_back_to_the_day():
    assert earliest_occurrence(date(2026, 12, 7)) == date(2023, 12, 7)
    assert earliest_occurrence(date(2028, 2, 29)) == date(2025, 2, 28)  # no 29 February in 2025


def test_every_problem_of_a_claim_is_named_at_once():
    data = _input(payee_account="123", occurred_on=date(2027, 3, 1), handler_name=" ", oversight_name="",
                  head_name="", signed_on=None, contact_phone="12345",
                  lines=(LineDraft("纸", "101", D("5"), "vat"), LineDraft("", "513", D("0"), "vat")))
    got = submit_problems(data, CHART, 0, TODAY)
    assert set(got) == {"payee_account", "occurred_on", "handler_name", "oversight_name", "head_name", "signed_on",
                        "contact_phone", "receipts", "lines-0-account_code", "lines-1-purpose",
                        "lines-1-account_code", "lines-1-amount"}
    assert (got["handler_name"], got["oversight_name"], got["head_name"]) == (
        "请填写经办人", "请填写民主理财小组签字人", "请填写村主任")  # the fields' labels
    assert got["signed_on"] == "请填写签字日期"
    assert submit_problems(_input(signed_on=date(2026, 12, 8)), CHART, 1, TODAY) == {
        "signed_on": "签字日期不能晚于今天"}


# ---------------------------------------------------------------- the payee's account and the phone

@pytest.mark.parametrize("text, digits", [("6222021000123456789", 19),
                                          ("县农商银行城关支行 6222 0210 0012 3456 789", 19), ("6222-0210-0012", 12),
                                          ("农商行第3支行 1234567890", 10), ("", 0),
                                          ("县农商银行", 0)])
def test_account_digits_count_the_longest_number(text, digits):
    assert account_digits(text) == digits


@pytest.mark.parametrize("text, reason", [
    ("", "银行转账须填写收款账号（开户行及账号）"),
    ("123", "收款账号“123”只有3位数字，不是完整的银行账号：请填写开户行及完整账号（银行账号一般为10至30位数字）"),
    ("县农商银行城关支行", "收款账号“县农商银行城关支行”中没有账号数字"),
    ("1" * 31, "有31位数字，比银行账号长"),
    ("县农商银行城关支行 6222 0210 0012 3456 789", None),
    ("1234567890", None),
])
def test_a_payee_account_says_what_is_wrong_with_it(text, reason):
    why = payee_account_problem(text)
    assert (why is None) if reason is None else (why is not None and reason in why)


def test_a_filled_payee_account_is_never_called_missing():
    got = submit_problems(_input(payee_account="123"), CHART, 1, TODAY)
    assert "须填写" not in got["payee_account"] and "只有3位数字" in got["payee_account"]


@pytest.mark.parametrize("phone, ok", [("13800001111", True), ("0571-87654321", True), ("138 0000 1111", True),
                                       ("12345", False), ("", False)])
def test_contact_phone_is_what_the_window_accepts(phone, ok):
    assert ("contact_phone" not in submit_problems(_input(contact_phone=phone), CHART, 1, TODAY)) is ok


def test_the_phone_message_says_whether_it_is_missing_or_wrong():
    assert submit_problems(_input(contact_phone=""), CHART, 1, TODAY)["contact_phone"].startswith("请填写报账员电话")
    wrong = submit_problems(_input(contact_phone="12345"), CHART, 1, TODAY)["contact_phone"]
    assert wrong.startswith("报账员电话“12345”不是11位手机号") and "请填写" not in wrong


# ---------------------------------------------------------------- who may do what to a claim

# Written from the feature, not derived from the tables: the village's accountant keeps his drafts and returned
# claims, the window's case handlers receive submitted ones; from 接件 on, the case decides (no claim action).
HANDLERS = {"window_clerk", "agency_head", "agency_accountant", "reviewer"}
MAY = {
    ("village_accountant", "draft"): ["edit", "delete", "submit"],
    ("village_accountant", "returned"): ["edit", "submit"],
    **{(role, "submitted"): ["receive"] for role in HANDLERS},
}
ROLES = ["admin", "agency_head", "agency_accountant", "reviewer", "window_clerk", "village_accountant",
         "village_board", "county_supervisor"]
MATRIX = [(role, status) for role in ROLES for status in STATUSES]


@pytest.mark.parametrize("role, status", MATRIX, ids=[f"{r}-{s}" for r, s in MATRIX])
def test_claim_actions(role, status):
    from threeassets.auth.rules import Role, permissions_of
    from threeassets.claims.rules import claim_actions
    assert set(ROLES) == set(Role)  # every role is in the matrix
    assert claim_actions(status, permissions_of(role)) == MAY.get((role, status), [])


def test_a_claim_refusal_says_why():
    from threeassets.claims.rules import claim_actions, claim_refusal
    assert claim_refusal("submitted", "edit") == "报账单已提交待接件，不能修改"
    assert claim_refusal("returned", "delete") == "报账单已退回，不能删除"
    assert claim_refusal("draft", "receive") == "报账单草稿，不能接件"
    assert claim_refusal("returned", "submit") is None
    assert claim_refusal("received", "accept") is None  # the window's case decides, not a claim page
    assert claim_actions("received", {"cases.handle", "claims.submit"}) == []
