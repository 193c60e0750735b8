"""The checklist rules of conditional materials (视情形提交): which rows block 受理 and go on the one-time notice,
which marks a window may make, and what the notice must name."""
import pytest

from threeassets.claims.rules import payment_material
from threeassets.windows import rules
from threeassets.windows.rules import Mark, Tick


def tick(name="残疾证", *, conditional=False, received=False, na=False, original=False, seen=False) -> Tick:
    return Tick(name, original, received, seen, conditional=conditional, not_applicable=na)


# (the row as marked) → what it puts on the notice ([] when it does not block 受理). Written out by hand from the
# rule: only missing always-required rows and missing applicable conditional rows block.
BLOCKING = [
    ("必交, received", tick(received=True), []),
    ("必交, missing", tick(), ["残疾证"]),
    ("必交, original unseen", tick(received=True, original=True), ["残疾证（须核验原件）"]),
    ("必交, original seen", tick(received=True, original=True, seen=True), []),
    ("必交 marked not applicable is never excused", tick(na=True), ["残疾证"]),
    ("视情形, received", tick(conditional=True, received=True), []),
    ("视情形, not applicable", tick(conditional=True, na=True), []),
    ("视情形, not applicable, original required", tick(conditional=True, na=True, original=True), []),
    ("视情形, applies and missing", tick(conditional=True), ["残疾证"]),
    ("视情形, applies, original unseen", tick(conditional=True, received=True, original=True),
     ["残疾证（须核验原件）"]),
]


@pytest.mark.parametrize("row, expected", [(r, e) for _, r, e in BLOCKING], ids=[i for i, _, _ in BLOCKING])
def test_which_rows_block_acceptance(row, expected):
    assert rules.missing_materials([row]) == expected
    assert (rules.incomplete(rules.missing_materials([row])) is None) == (not expected)


def test_a_checklist_blocks_by_its_missing_rows_only_in_order():
    rows = [tick("申请书", received=True), tick("户口簿"), tick("残疾证", conditional=True, na=True),
            tick("银行卡", conditional=True), tick("身份证", received=True, original=True)]
    assert rules.missing_materials(rows) == ["户口簿", "银行卡", "身份证（须核验原件）"]
    assert rules.incomplete(rules.missing_materials(rows)) == \
        "材料不齐全，不能受理，请出具一次性告知书：户口簿、银行卡、身份证（须核验原件）"


MARKS = [
    ("received", False, Mark(received=True), "", False, None),
    ("missing", False, Mark(), "", False, None),
    ("必交 not applicable", False, Mark(not_applicable=True), "", False, "“证明”为必交材料，不能标为不适用"),
    ("视情形 not applicable", True, Mark(not_applicable=True), "", False, None),
    ("both at once", True, Mark(received=True, not_applicable=True), "", False,
     "“证明”不能既登记已收到又标为不适用"),
    ("source said not needed, kept", True, Mark(not_applicable=True), "报账单为现金支付", True, None),
    ("source said not needed, ticked received", True, Mark(received=True), "报账单为现金支付", True,
     "“证明”本件不需提交（报账单为现金支付），不能改为需要"),
    ("source said needed, received", True, Mark(received=True), "报账单为银行转账支付", False, None),
    ("source said needed, missing", True, Mark(), "报账单为银行转账支付", False, None),
    ("source said needed, not applicable", True, Mark(not_applicable=True), "报账单为银行转账支付", False,
     "“证明”本件需要提交（报账单为银行转账支付），不能标为不适用"),
]


@pytest.mark.parametrize("conditional, mark, decided_by, was_na, expected", [m[1:] for m in MARKS],
                         ids=[m[0] for m in MARKS])
def test_which_marks_a_window_may_make(conditional, mark, decided_by, was_na, expected):
    assert rules.mark_refusal("证明", conditional=conditional, mark=mark, decided_by=decided_by,
                              was_not_applicable=was_na) == expected


def test_a_catalogue_material_states_its_requirement_and_a_conditional_one_its_case():
    assert rules.requirement_problem("户口簿", "always", "") is None
    assert rules.requirement_problem("残疾证", "conditional", "有残疾或重病成员时提供") is None
    assert rules.requirement_problem("残疾证", "conditional", "  ") == \
        "材料“残疾证”视情形提交，请在说明中写明何种情形需提交"
    assert rules.requirement_problem("残疾证", "sometimes", "x") == "材料“残疾证”的提交要求应为必交或视情形提交"
    assert set(rules.REQUIREMENTS) == {rules.ALWAYS, rules.CONDITIONAL}


CHECKLIST = [tick("申请书", received=True), tick("户口簿"), tick("身份证", received=True, original=True),
             tick("残疾证", conditional=True, na=True), tick("银行卡", conditional=True)]


@pytest.mark.parametrize("listed, expected", [
    (["户口簿", "身份证（须核验原件）", "银行卡"], None),
    (["户口簿", "身份证", "银行卡", "收入证明"], None),  # the plain name of an unseen original; one beyond the list
    (["户口簿", "身份证（须核验原件）", "银行卡", "申请书"], None),  # a received one found wanting may be asked again
    (["户口簿", "银行卡"], "一次性告知书须一次列明全部尚缺材料，还缺：身份证（须核验原件）"),
    (["收入证明"], "一次性告知书须一次列明全部尚缺材料，还缺：户口簿、身份证（须核验原件）、银行卡"),
    (["户口簿", "身份证", "银行卡", "残疾证"], "本件不适用的材料不能列入一次性告知书：残疾证"),
])
def test_a_one_time_notice_names_exactly_what_is_missing(listed, expected):
    assert rules.notice_problem(CHECKLIST, listed) == expected


def test_the_receipt_says_why_a_material_is_not_needed():
    assert rules.excused_reason("有残疾或重病成员时提供") == "有残疾或重病成员时提供；本件不属于此情形"
    assert rules.excused_reason("转账支付时提供", "报账单为现金支付") == "转账支付时提供；报账单为现金支付"
    assert rules.excused_reason("", "") == "本件不属于此情形"


def test_a_claims_payment_method_decides_the_bank_details():
    assert payment_material("bank") == (True, "报账单为银行转账支付")
    assert payment_material("cash") == (False, "报账单为现金支付")
