"""Case state machine (every state × action pair), the clock, applicant checks, masking, notice lists."""
from datetime import date

import pytest

from threeassets.core.errors import IllegalMove, RuleError
from threeassets.windows import rules
from threeassets.windows.rules import Action, State


def allowed_moves(state, accepted=False):
    """The moves the table and the acceptance guard allow, read off the rule itself (not a copy of it)."""
    return [a for a in rules.CASE_FLOW.actions(state) if rules.refusal(state, a, accepted=accepted) is None]

S, A = State, Action
# The full table: (state, action, accepted before?) → next state, or None when the move is illegal.
EXPECTED = {
    (S.INTAKE, A.MATERIALS): S.INTAKE, (S.INTAKE, A.NOTIFY): S.SUPPLEMENT, (S.INTAKE, A.ACCEPT): S.ACCEPTED,
    (S.INTAKE, A.REJECT): S.REJECTED,
    (S.SUPPLEMENT, A.MATERIALS): S.SUPPLEMENT, (S.SUPPLEMENT, A.REJECT): S.REJECTED,
    (S.ACCEPTED, A.NOTIFY): S.SUPPLEMENT, (S.ACCEPTED, A.START): S.IN_PROGRESS, (S.ACCEPTED, A.TRANSFER): S.ACCEPTED,
    (S.ACCEPTED, A.COMPLETE): S.DONE, (S.ACCEPTED, A.REJECT): S.REJECTED,
    (S.IN_PROGRESS, A.NOTIFY): S.SUPPLEMENT, (S.IN_PROGRESS, A.TRANSFER): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.COMPLETE): S.DONE, (S.IN_PROGRESS, A.REJECT): S.REJECTED,
    (S.DONE, A.RATE): S.DONE,
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_every_state_and_action(state, action):
    want = EXPECTED.get((state, action))
    if state == S.SUPPLEMENT and action in (A.ACCEPT, A.RESUME):
        return  # depends on whether the case was accepted before: test_supplement_before_and_after_acceptance
    if want is None:
        with pytest.raises(IllegalMove) as exc:
            rules.move(state, action)
        assert rules.STATE_LABELS[state] in str(exc.value) and rules.ACTION_LABELS[action] in str(exc.value)
        assert action not in allowed_moves(state)
    else:
        assert rules.move(state, action) == want
        assert action in allowed_moves(state, accepted=state in (S.ACCEPTED, S.IN_PROGRESS, S.DONE))


def test_supplement_before_and_after_acceptance():
    assert rules.move(S.SUPPLEMENT, A.ACCEPT, accepted=False) == S.ACCEPTED
    assert rules.move(S.SUPPLEMENT, A.RESUME, accepted=True) == S.IN_PROGRESS
    with pytest.raises(IllegalMove, match="补正后继续办理"):
        rules.move(S.SUPPLEMENT, A.ACCEPT, accepted=True)
    with pytest.raises(IllegalMove, match="尚未受理"):
        rules.move(S.SUPPLEMENT, A.RESUME, accepted=False)
    assert allowed_moves(S.SUPPLEMENT, accepted=False) == [A.MATERIALS, A.ACCEPT, A.REJECT]
    assert allowed_moves(S.SUPPLEMENT, accepted=True) == [A.MATERIALS, A.RESUME, A.REJECT]


def test_terminal_states_offer_nothing_but_rating():
    assert allowed_moves(S.REJECTED) == []
    assert allowed_moves(S.DONE, accepted=True) == [A.RATE]


def test_unknown_state_or_action_is_an_error():
    with pytest.raises(ValueError):
        rules.move("archived", "accept")
    with pytest.raises(ValueError):
        rules.move("intake", "approve")


def test_due_date_counts_from_the_next_working_day_and_pauses_push_it():
    # Accepted Friday 27 Sept 2024, 5 working days: 29 Sept (Sunday make-up), 30 Sept, 8, 9, 10 Oct.
    assert rules.due_date(date(2024, 9, 27), 5) == date(2024, 10, 10)
    # Notice on Monday 30 Sept, materials back Wednesday 9 Oct: 8 and 9 Oct were paused → due 14 Oct.
    paused = rules.paused_working_days(date(2024, 9, 30), date(2024, 10, 9))
    assert paused == 2
    assert rules.due_date(date(2024, 9, 27), 5, paused) == date(2024, 10, 12)  # Saturday 12 Oct is a workday


def test_overdue_and_due_soon():
    today = date(2024, 10, 11)
    assert rules.is_overdue("in_progress", date(2024, 10, 10), today)
    assert not rules.is_overdue("supplement", date(2024, 10, 10), today)  # clock stopped
    assert not rules.is_overdue("done", date(2024, 10, 10), today)
    assert not rules.is_overdue("accepted", date(2024, 10, 11), today)
    assert rules.due_soon("accepted", date(2024, 10, 14), today)  # 12 (Saturday make-up) and 14: two days
    assert not rules.due_soon("accepted", date(2024, 10, 16), today)
    assert not rules.due_soon("accepted", date(2024, 10, 10), today)  # already overdue, not "soon"


def test_case_number():
    assert rules.case_number("TA", date(2026, 11, 26), 7) == "TA-20261126-0007"


def test_applicant_checks():
    assert rules.applicant_problems(" 张三 ", "138 0000 1234", "") == (("张三", "13800001234", ""), {})
    assert rules.applicant_problems("李四", "0551-62781234", "11010519491231002x")[0][2] == "11010519491231002X"
    _, problems = rules.applicant_problems("", "12345", "110105194912310021")
    assert set(problems) == {"applicant_name", "applicant_phone", "applicant_id_no"}


def test_a_phone_is_read_in_ascii_digits_and_quoted_short():
    assert rules.applicant_problems("张三", "١٣٨٠٠٠٠١٢٣٤", "")[1]  # Arabic-Indic digits are not a phone here
    _, problems = rules.applicant_problems("张三", "9" * 500, "")
    assert problems["applicant_phone"].startswith("联系电话“" + "9" * 20 + "…”不是11位手机号")


def test_a_filled_phone_is_never_called_missing():
    _, problems = rules.applicant_problems("张三", "", "")
    assert problems == {"applicant_phone": "请填写联系电话：11位手机号或带区号的固定电话（"
                                           "如 13800001111 或 0551-66881201）"}
    _, problems = rules.applicant_problems("张三", "12", "")
    assert problems == {"applicant_phone": "联系电话“12”不是11位手机号，也不是带区号的固定电话（"
                                           "如 13800001111 或 0551-66881201）"}
    assert rules.applicant_problems("张三", "１３８　００００　１２３４", "") == (("张三", "13800001234", ""), {})


@pytest.mark.parametrize("then, missing, expected", [
    ("accept", [], {}), ("register", ["身份证"], {}), ("notify", ["身份证"], {}),
    ("accept", ["身份证", "照片"], {"materials": "材料不齐全，不能受理，请出具一次性告知书：身份证、照片"}),
    ("notify", [], {"materials": "材料已齐全，无需补正，请直接受理"}),
])
def test_what_the_clerk_chose_must_fit_the_checklist(then, missing, expected):
    assert rules.intake_choice_problem(then, missing) == expected


def test_masks_and_phone_tail():
    assert rules.mask_name("张三") == "张*"
    assert rules.mask_name("欧阳娜娜") == "欧***"
    assert rules.mask_name("王") == "王*"
    assert rules.phone_tail("0551-62781234") == "1234"


def test_missing_materials_and_notice_lists():
    ticks = [rules.Tick("申请书", True, True, True), rules.Tick("身份证", True, True, False),
             rules.Tick("照片", False, False, False)]
    assert rules.missing_materials(ticks) == ["身份证（须核验原件）", "照片"]
    assert rules.clean_missing([" 照片 ", "", "照片", "合同"]) == ["照片", "合同"]
    with pytest.raises(RuleError):
        rules.clean_missing(["", "  "])
    with pytest.raises(RuleError) as caught:
        rules.clean_missing(["照片", "村委会推荐意见" * 15])  # 105 characters: named, never cut
    assert caught.value.fields == {"missing": "补正材料“" + ("村委会推荐意见" * 3)[:20] + "…”最多100字（现 105 字）"}


# ---------------------------------------------------------------- who may do what to a case

# Written from the hall's rules, not derived from the tables: (facts) → the moves, then the papers, a case
# handler is offered; every other role is offered nothing.
HANDLERS = {"window_clerk", "agency_head", "agency_accountant", "reviewer"}
ROLES = ["admin", "agency_head", "agency_accountant", "reviewer", "window_clerk", "village_accountant",
         "village_board", "county_supervisor"]
SCENES = {
    "intake": (rules.CaseFacts(S.INTAKE), ["materials", "notify", "accept", "reject"]),
    "waiting": (rules.CaseFacts(S.SUPPLEMENT, notified=True), ["materials", "accept", "reject", "notice_pdf"]),
    "paused": (rules.CaseFacts(S.SUPPLEMENT, accepted=True, notified=True),
               ["materials", "resume", "reject", "notice_pdf", "receipt_pdf"]),
    "accepted": (rules.CaseFacts(S.ACCEPTED, accepted=True),
                 ["notify", "start", "transfer", "complete", "reject", "receipt_pdf"]),
    "handling": (rules.CaseFacts(S.IN_PROGRESS, accepted=True, notified=True),
                 ["notify", "transfer", "complete", "reject", "notice_pdf", "receipt_pdf"]),
    "done": (rules.CaseFacts(S.DONE, accepted=True), ["rate", "receipt_pdf"]),
    "rated": (rules.CaseFacts(S.DONE, accepted=True, rated=True), ["receipt_pdf"]),  # rated once
    "rejected": (rules.CaseFacts(S.REJECTED), ["rejection_pdf"]),
    "rejected after notice": (rules.CaseFacts(S.REJECTED, notified=True), ["notice_pdf", "rejection_pdf"]),
}
MATRIX = [(role, scene) for role in ROLES for scene in SCENES]


@pytest.mark.parametrize("role, scene", MATRIX, ids=[f"{r}-{s}" for r, s in MATRIX])
def test_case_actions(role, scene):
    from threeassets.auth.rules import Role, permissions_of
    assert set(ROLES) == set(Role)  # every role is in the matrix
    facts, offered = SCENES[scene]
    assert rules.case_actions(facts, permissions_of(role)) == (offered if role in HANDLERS else [])


def test_the_moves_offered_are_the_ones_the_table_allows():
    for state in State:
        for accepted in (False, True):
            moves = [a for a in rules.case_actions(rules.CaseFacts(state, accepted), {"cases.handle"})
                     if a not in rules.PAPERS]
            assert moves == allowed_moves(state, accepted=accepted), (state, accepted)


def test_a_case_refusal_says_why():
    rated = rules.CaseFacts(S.DONE, accepted=True, rated=True)
    assert rules.case_refusal(rated, "rate") == "满意度已登记，不能重复评价"
    assert rules.case_refusal(rules.CaseFacts(S.INTAKE), "complete") == "办件接件，不能办结"
    assert rules.case_refusal(rules.CaseFacts(S.SUPPLEMENT, accepted=True), "accept").startswith("该件已受理")
    assert rules.case_refusal(rules.CaseFacts(S.INTAKE), "receipt_pdf") == "该件尚未受理，没有受理回执"
    assert rules.case_refusal(rules.CaseFacts(S.INTAKE), "notice_pdf") == "该件未出具一次性告知书"
    assert rules.case_refusal(rules.CaseFacts(S.DONE, accepted=True), "rejection_pdf")
    assert rules.case_refusal(rules.CaseFacts(S.REJECTED), "rejection_pdf") is None


def test_a_phone_on_papers_hides_its_middle_and_keeps_a_landlines_area_code():
    from threeassets.windows.queries import mask_phone
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0551-66881201") == "0551-****1201"
    assert mask_phone("66881201") == "6688****"
    assert mask_phone("110") == "110"
