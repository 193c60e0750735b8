"""Pure claim rules: a test per (state, action) pair, 白条, masking, line and submit checks."""
from datetime import date
from decimal import Decimal as D

import pytest

from threeassets.claims.rules import (
    ACTIONS,
    STATUSES,
    TRANSITIONS,
    ClaimInput,
    LineDraft,
    claim_refusal,
    header_problems,
    is_white_slip,
    line_problems,
    next_status,
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


def test_line_problems_name_line_and_field():
    leaves = {"513", "51301"}
    assert line_problems(2, LineDraft("纸", "51301", D("1"), "vat"), leaves) == {}
    got = line_problems(2, LineDraft(" ", "999", D("0"), "x"), leaves)
    assert got == {"lines-2-purpose": "第3行：用途不能为空",
                   "lines-2-account_code": "第3行：科目 999 不是本村的末级科目",
                   "lines-2-amount": "第3行：金额应大于零", "lines-2-invoice": "第3行：票据类型无效"}


def _input(**kw):
    base = dict(payee="张三", payee_kind="person", payee_account="6222021000123456789", pay_method="bank",
                occurred_on=date(2024, 5, 1), contact_phone="13800001111", handler_name="甲", oversight_name="乙",
                head_name="丙", signed_on=date(2024, 5, 2), lines=(LineDraft("纸", "513", D("5"), "vat"),))
    return ClaimInput(**(base | kw))


def test_header_problems():
    assert header_problems(_input()) == {}
    got = header_problems(_input(payee=" ", payee_kind="x", pay_method="cheque", lines=()))
    assert set(got) == {"payee", "payee_kind", "pay_method", "lines"}


def test_submit_problems_cash_needs_no_account():
    assert submit_problems(_input(pay_method="cash", payee_account=""), {"513"}, 1) == {}
    assert "payee_account" in submit_problems(_input(payee_account="12"), {"513"}, 1)
    assert "receipts" in submit_problems(_input(), {"513"}, 0)


@pytest.mark.parametrize("phone, ok", [("13800001111", True), ("0571-87654321", True), ("138 0000 1111", True),
                                       ("12345", False), ("", False)])
def test_contact_phone_is_what_the_window_accepts(phone, ok):
    assert ("contact_phone" not in submit_problems(_input(contact_phone=phone), {"513"}, 1)) is ok


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
