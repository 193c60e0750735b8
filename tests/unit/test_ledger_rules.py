"""Pure ledger rules: line validation, the voucher state machine, periods, balances and the hash chain."""
import hashlib
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threeassets.core.errors import IllegalMove, RuleError
from threeassets.ledger.rules import (
    ACTIONS,
    TRANSITIONS,
    VOUCHER_FLOW,
    LineInput,
    Problems,
    VoucherStatus,
    chain_hash,
    chain_payload,
    check_balance,
    parse_line,
    split_balance,
    validate_lines,
)

D = Decimal


def row(summary="", account="", debit="", credit=""):
    """A raw line as the voucher form posts it."""
    return {"summary": summary, "account": account, "debit": debit, "credit": credit}


# ---------------------------------------------------------------- validate_lines

def test_balanced_voucher_is_accepted():
    lines, problems = validate_lines([row("买文具", "513", "12.30"), row("买文具", "101", "", "12.30")])
    assert not problems
    assert [(ln.account_code, ln.debit, ln.credit) for ln in lines] == [
        ("513", D("12.30"), D("0")), ("101", D("0"), D("12.30"))]


def test_several_lines_each_side():
    lines, problems = validate_lines([
        row("工资", "513", "1,000.00"), row("工资", "511", "234.56"),
        row("工资", "101", "", "200"), row("工资", "102", "", "1034.56")])
    assert not problems
    assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines) == D("1234.56")


def test_unbalanced_voucher_reports_both_totals():
    _lines, problems = validate_lines([row("a", "513", "100"), row("a", "101", "", "99.99")])
    assert len(problems.general) == 1
    message = problems.general[0]
    assert "借贷不平衡" in message and "100.00" in message and "99.99" in message and "0.01" in message


def test_empty_rows_are_ignored():
    raw = [row(), row("a", "513", "5"), row("  ", " ", " ", ""), row("a", "101", "", "5"), row()]
    lines, problems = validate_lines(raw)
    assert not problems
    assert len(lines) == 2


def test_at_least_two_lines():
    _lines, problems = validate_lines([row("a", "513", "5"), row()])
    assert any("至少需要两行" in m for m in problems.general)


def test_no_lines_at_all():
    lines, problems = validate_lines([row(), row()])
    assert lines == []
    assert any("至少需要两行" in m for m in problems.general)


def test_total_must_be_positive():
    # Two zero lines never reach the balance check (each line lacks an amount).
    _lines, problems = validate_lines([row("a", "513", "0"), row("a", "101", "", "0")])
    assert problems.fields[(0, "amount")] == "请填写借方或贷方金额"
    problems = Problems()
    check_balance([LineInput("a", "513"), LineInput("a", "101")], problems)
    assert any("必须大于零" in m for m in problems.general)


def test_one_side_per_line():
    _lines, problems = validate_lines([row("a", "513", "5", "5"), row("a", "101", "", "5")])
    assert problems.fields == {(0, "amount"): "一行只能填借方或贷方之一"}
    assert problems.messages() == ["第1行金额：一行只能填借方或贷方之一"]


def test_line_without_amount():
    _lines, problems = validate_lines([row("a", "513"), row("a", "101", "", "5")])
    assert (0, "amount") in problems.fields


def test_two_decimals_at_most_names_line_and_field():
    _lines, problems = validate_lines([row("a", "513", "5"), row("a", "101", "", "5.001")])
    assert problems.fields == {(1, "credit"): "金额最多两位小数"}
    assert problems.messages() == ["第2行贷方金额：金额最多两位小数"]
    assert not problems.general  # the balance is not checked while lines are wrong


def test_negative_amount_refused_in_normal_entry():
    _lines, problems = validate_lines([row("a", "513", "-5"), row("a", "101", "", "-5")])
    assert set(problems.fields) == {(0, "debit"), (1, "credit")}


def test_missing_summary_and_account_name_their_line():
    raw = [row(), row("", "513", "5"), row("a", "", "", "5")]
    _lines, problems = validate_lines(raw)
    # line numbers count the form's rows, empty ones included
    assert problems.messages() == ["第2行摘要：请填写摘要", "第3行科目：请填写科目"]


def test_summary_too_long():
    _lines, problems = validate_lines([row("字" * 201, "513", "5"), row("字" * 200, "101", "", "5")])
    assert list(problems.fields) == [(0, "summary")]


def test_every_problem_is_reported_at_once():
    _lines, problems = validate_lines([row("a", "513", "x"), row("", "", "", "1.111")])
    assert set(problems.fields) == {(0, "debit"), (1, "summary"), (1, "account"), (1, "credit")}


def test_parse_line_allows_red_amounts_for_reversals():
    problems = Problems()
    line = parse_line(row("冲销", "513", "-12.5"), 0, problems, allow_negative=True)
    assert not problems
    assert line.debit == D("-12.50") and line.credit == 0


def test_check_balance_reversal_must_be_negative():
    red = [LineInput("x", "513", D("-5")), LineInput("x", "101", D("0"), D("-5"))]
    problems = Problems()
    assert check_balance(red, problems, reversal=True) == D("-5")
    assert not problems
    problems = Problems()
    check_balance(red, problems)
    assert any("必须大于零" in m for m in problems.general)
    black = [LineInput("x", "513", D("5")), LineInput("x", "101", D("0"), D("5"))]
    problems = Problems()
    check_balance(black, problems, reversal=True)
    assert any("应为负数" in m for m in problems.general)


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=8))
def test_any_split_of_a_total_balances(fens):
    total = sum(fens)
    raw = [row("s", "513", str(D(f).scaleb(-2))) for f in fens] + [row("s", "101", "", str(D(total).scaleb(-2)))]
    lines, problems = validate_lines(raw)
    assert not problems
    assert len(lines) == len(fens) + 1


# ---------------------------------------------------------------- state machine

ILLEGAL = object()
DELETED = None
# Written from the workflow, not copied from TRANSITIONS: draft → reviewed → posted; posted is final.
EXPECTED = {
    (VoucherStatus.DRAFT, "edit"): VoucherStatus.DRAFT,
    (VoucherStatus.DRAFT, "delete"): DELETED,
    (VoucherStatus.DRAFT, "review"): VoucherStatus.REVIEWED,
    (VoucherStatus.DRAFT, "send_back"): VoucherStatus.DRAFT,  # 退回: still a draft, with the reason
    (VoucherStatus.REVIEWED, "unreview"): VoucherStatus.DRAFT,
    (VoucherStatus.REVIEWED, "post"): VoucherStatus.POSTED,
    (VoucherStatus.POSTED, "reverse"): VoucherStatus.POSTED,
}
PAIRS = [(s, a) for s in VoucherStatus for a in ACTIONS]


@pytest.mark.parametrize("status, action", PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_transition(status, action):
    expected = EXPECTED.get((status, action), ILLEGAL)
    if expected is ILLEGAL:
        with pytest.raises(IllegalMove):
            VOUCHER_FLOW.next(status, action)
    else:
        assert VOUCHER_FLOW.next(status, action) == expected
        assert VOUCHER_FLOW.next(str(status), action) == expected  # plain strings from the DB work too


def test_table_has_no_pair_outside_the_known_states_and_actions():
    assert all(s in set(VoucherStatus) and a in ACTIONS for s, a in TRANSITIONS)
    assert len(PAIRS) == 21  # 3 states × 7 actions


def test_posted_voucher_cannot_be_edited_or_deleted():
    for action in ("edit", "delete", "review", "unreview", "post"):
        with pytest.raises(IllegalMove):
            VOUCHER_FLOW.next(VoucherStatus.POSTED, action)


def test_illegal_transition_message_speaks_chinese():
    with pytest.raises(IllegalMove) as exc:
        VOUCHER_FLOW.next(VoucherStatus.POSTED, "edit")
    assert str(exc.value) == "凭证已记账，不能修改"
    assert isinstance(exc.value, RuleError)  # the one type every route and command shows as is


@pytest.mark.parametrize("net, expected", [
    ("125.50", ("125.50", "0")), ("-125.50", ("0", "125.50")), ("0", ("0", "0")), ("0.01", ("0.01", "0"))])
def test_split_balance(net, expected):
    assert split_balance(D(net)) == (D(expected[0]), D(expected[1]))


@given(st.integers(min_value=-10**14, max_value=10**14))
def test_split_balance_sides(fen):
    net = D(fen).scaleb(-2)
    debit, credit = split_balance(net)
    assert debit >= 0 and credit >= 0 and debit - credit == net
    assert debit == 0 or credit == 0


# ---------------------------------------------------------------- hash chain

BASE = dict(village_code="A1", ym=202405, number=3, voucher_date=date(2024, 5, 3), reverses=None,
            lines=[("513", "买文具", 1234, 0), ("101", "买文具", 0, 1234)])


def payload(**change):
    """The canonical text of BASE with some fields changed."""
    return chain_payload(**{**BASE, **change})


def test_chain_hash_is_sha256_of_previous_and_payload():
    text = payload()
    expected = hashlib.sha256(("abc" + "\n" + text).encode("utf-8")).hexdigest()
    assert chain_hash("abc", text) == expected
    assert len(expected) == 64
    assert chain_hash("abc", text) == chain_hash("abc", payload())  # deterministic


@pytest.mark.parametrize("change", [
    {"village_code": "A2"},
    {"ym": 202406},
    {"number": 4},
    {"voucher_date": date(2024, 5, 4)},
    {"reverses": 17},
    {"lines": [("513", "买文具", 1235, 0), ("101", "买文具", 0, 1235)]},   # amount
    {"lines": [("513", "买文具", 1234, 0), ("101", "买文具", 0, 1233)]},   # one amount only
    {"lines": [("513", "买墨水", 1234, 0), ("101", "买文具", 0, 1234)]},   # summary
    {"lines": [("511", "买文具", 1234, 0), ("101", "买文具", 0, 1234)]},   # account
    {"lines": [("513", "买文具", 0, 1234), ("101", "买文具", 1234, 0)]},   # sides swapped
    {"lines": [("101", "买文具", 0, 1234), ("513", "买文具", 1234, 0)]},   # order
    {"lines": [("513", "买文具", 1234, 0)]},                              # a line dropped
], ids=["village", "month", "number", "date", "reverses", "amount", "one-amount", "summary", "account",
        "sides", "order", "dropped"])
def test_any_change_changes_the_hash(change):
    assert payload(**change) != payload()
    assert chain_hash("p", payload(**change)) != chain_hash("p", payload())


def test_previous_link_changes_the_hash():
    assert chain_hash("", payload()) != chain_hash("0" * 64, payload())


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**12))
def test_distinct_amounts_give_distinct_hashes(a, b):
    ha = chain_hash("", payload(lines=[("513", "x", a, 0), ("101", "x", 0, a)]))
    hb = chain_hash("", payload(lines=[("513", "x", b, 0), ("101", "x", 0, b)]))
    assert (ha == hb) == (a == b)


# ---------------------------------------------------------------- who may do what to a voucher

def _may(role: str, status: str, *, mine: bool = False, reversal: bool = False, reversed_: bool = False):
    from threeassets.auth.rules import permissions_of
    from threeassets.ledger.rules import VoucherFacts, voucher_actions
    facts = VoucherFacts(status, prepared_by=frozenset({7, 9} if mine else {8}), is_reversal=reversal,
                         reversed=reversed_)
    return voucher_actions(facts, 7, permissions_of(role))


@pytest.mark.parametrize("role, status, kw, expected", [
    ("agency_accountant", "draft", {"mine": True}, ["edit", "delete"]),
    ("agency_head", "draft", {"mine": True}, ["edit", "delete"]),  # four eyes: not the head's own draft either
    ("agency_head", "draft", {}, ["edit", "delete", "review", "send_back"]),
    ("reviewer", "draft", {}, ["review", "send_back"]),
    ("reviewer", "reviewed", {}, ["unreview"]),
    ("agency_accountant", "reviewed", {"mine": True}, []),  # four eyes: the preparer does not post it
    ("agency_accountant", "reviewed", {}, ["post"]),
    ("agency_head", "reviewed", {"mine": True}, ["unreview"]),  # nor does the head who prepared or edited it
    ("agency_accountant", "posted", {}, ["reverse"]),
    ("agency_accountant", "posted", {"reversed_": True}, []),  # reversed once is enough
    ("agency_accountant", "posted", {"reversal": True}, []),  # a red voucher is not reversed again
    ("agency_accountant", "draft", {"reversal": True}, ["delete"]),  # a red draft is deleted, never edited
    ("county_supervisor", "draft", {}, []),
    ("village_board", "reviewed", {}, []),
])
def test_voucher_actions(role, status, kw, expected):
    assert _may(role, status, **kw) == expected


def test_a_send_back_needs_a_short_reason():
    from threeassets.ledger.rules import send_back_problem
    assert send_back_problem("  ") == "请写明退回理由（哪一行、哪里不对）" and send_back_problem(None)
    assert send_back_problem("第2行科目应为514") is None
    assert send_back_problem("长" * 201) == "退回理由最多200字（现 201 字）"


def test_a_refusal_says_why():
    from threeassets.ledger.rules import VoucherFacts, voucher_refusal
    hands = frozenset({7, 9})  # prepared by 7, edited by 9
    assert voucher_refusal(VoucherFacts("draft", hands), "review", 7) == "审核人不能是制单人（包括修改过这张凭证的人）"
    assert voucher_refusal(VoucherFacts("draft", hands), "review", 9) == "审核人不能是制单人（包括修改过这张凭证的人）"
    assert voucher_refusal(VoucherFacts("reviewed", hands), "post", 9) == "记账人不能是制单人（包括修改过这张凭证的人）"
    assert voucher_refusal(VoucherFacts("reviewed", hands), "post", 8) is None
    assert voucher_refusal(VoucherFacts("posted", hands), "edit", 8) == "凭证已记账，不能修改"
    assert voucher_refusal(VoucherFacts("posted", hands, reversed=True), "reverse", 8) == "该凭证已被冲销，不能重复冲销"
    assert voucher_refusal(VoucherFacts("draft"), "review", None) is None  # a system draft: anyone reviews


def test_locked_months_merge_the_villages_a_later_look_up_found():
    from threeassets.ledger.rules import LockedMonths
    first = LockedMonths([(1, 202403, "closed")], starts={1: (202401, True)})
    later = LockedMonths([(2, 202405, "closed"), (2, 202406, "open")],
                         starts={2: (202402, True), 3: (202401, False)}, posting=True)
    first.merge(later)
    assert (1, 202402) in first and (1, 202404) not in first  # the first village's months stay as they were
    assert (2, 202404) in first and (2, 202406) not in first  # before village 2's latest close; open after it
    assert (2, 202401) in first  # before its start
    assert (3, 202407) in first  # posting: village 3's opening balances do not balance
