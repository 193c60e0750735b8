"""The disclosure notice's state machine: one test per (state, action) pair, who may do what to a notice (role ×
state), and the form checks."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from threeassets.auth.rules import Role, permissions_of
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.core.workflow import refuse
from threeassets.disclosure.rules import (
    MIN_DISPLAY_DAYS,
    Action,
    NoticeFacts,
    State,
    allowed_actions,
    check_other,
    check_period_started,
    check_publication,
    check_remarks,
    check_signoff,
    default_display_until,
    display_days,
    is_public,
    next_state,
    notice_actions,
    notice_refusal,
    notice_refusals,
    pdf_name,
    signer_refusal,
    split_names,
)

S, A = State, Action
# Written out by hand (not copied from TRANSITIONS) so a change to the table has to be made twice.
EXPECTED = {
    (S.DRAFT, A.REGENERATE): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.SIGN_OFF): S.SIGNED_OFF,
    (S.SUBMITTED, A.SEND_BACK): S.DRAFT,
    (S.SUBMITTED, A.WITHDRAW): S.DRAFT,
    (S.SIGNED_OFF, A.WITHDRAW): S.DRAFT,
    (S.SIGNED_OFF, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.ARCHIVE): S.ARCHIVED,
    (S.PUBLISHED, A.SUPERSEDE): S.ARCHIVED,
    (S.ARCHIVED, A.SUPERSEDE): S.ARCHIVED,
    (S.PUBLISHED, A.CORRECT): S.PUBLISHED,
    (S.ARCHIVED, A.CORRECT): S.ARCHIVED,
}
PAIRS = [(s, a) for s in State for a in Action]


@pytest.mark.parametrize("state, action", PAIRS, ids=lambda x: str(x))
def test_each_state_action_pair(state, action):
    if (state, action) in EXPECTED:
        assert next_state(state, action) == EXPECTED[(state, action)]
    else:
        with pytest.raises(IllegalMove):
            next_state(state, action)


def test_published_notice_cannot_be_regenerated_or_signed_again():
    for action in (A.REGENERATE, A.SUBMIT, A.SIGN_OFF, A.SEND_BACK, A.PUBLISH, A.WITHDRAW):
        with pytest.raises(IllegalMove, match="已公布"):
            next_state("published", action)


def test_allowed_actions_never_offer_supersede():
    assert allowed_actions("draft") == [A.REGENERATE, A.SUBMIT]
    assert set(allowed_actions("submitted")) == {A.SIGN_OFF, A.SEND_BACK, A.WITHDRAW}
    assert set(allowed_actions("published")) == {A.ARCHIVE, A.CORRECT}
    assert allowed_actions("archived") == [A.CORRECT]


def test_only_published_and_archived_are_public():
    assert [s for s in State if is_public(s)] == [S.PUBLISHED, S.ARCHIVED]


def test_signoff_names_are_split_and_joined():
    assert split_names(" 刘理财, 王五，赵六、 孙七  ") == ["刘理财", "王五", "赵六", "孙七"]
    assert check_signoff("刘理财 王五", date(2024, 6, 3), date(2024, 6, 1), date(2024, 6, 5)) == "刘理财、王五"


@pytest.mark.parametrize("names, on, field", [
    ("", date(2024, 6, 3), "names"),
    ("刘理财", None, "signoff_on"),
    ("刘理财", date(2024, 6, 6), "signoff_on"),   # after today
    ("刘理财", date(2024, 5, 31), "signoff_on"),  # before it was submitted
    ("长" * 201, date(2024, 6, 3), "names"),
])
def test_signoff_refusals_name_the_field(names, on, field):
    with pytest.raises(RuleError) as exc:
        check_signoff(names, on, date(2024, 6, 1), date(2024, 6, 5))
    assert field in exc.value.fields


def test_send_back_needs_remarks_sign_off_does_not():
    assert check_remarks("", required=False) == ""
    assert check_remarks("  请补列修路支出明细 ", required=True) == "请补列修路支出明细"
    with pytest.raises(RuleError):
        check_remarks("  ", required=True)
    with pytest.raises(RuleError):
        check_remarks("x" * 501, required=False)


def test_other_text_is_limited():
    assert check_other(None) == ""
    with pytest.raises(RuleError):
        check_other("x" * 1001)


def test_display_period_counts_both_ends_and_needs_15_days():
    posted = date(2024, 6, 1)
    assert MIN_DISPLAY_DAYS == 15
    assert display_days(posted, date(2024, 6, 15)) == 15
    assert default_display_until(posted) == date(2024, 6, 15)
    check_publication(posted, date(2024, 6, 15), date(2024, 5, 30))
    with pytest.raises(RuleError) as exc:
        check_publication(posted, date(2024, 6, 14), date(2024, 5, 30))
    assert "display_until" in exc.value.fields and "14天" in str(exc.value)


def test_publication_not_before_signoff_and_dates_required():
    with pytest.raises(RuleError) as exc:
        check_publication(date(2024, 5, 29), date(2024, 7, 1), date(2024, 5, 30))
    assert "posted_on" in exc.value.fields
    with pytest.raises(RuleError) as exc:
        check_publication(None, None, None)
    assert set(exc.value.fields) == {"posted_on", "display_until"}


def test_future_period_is_refused():
    check_period_started(date(2024, 6, 1), date(2024, 6, 1))
    with pytest.raises(RuleError):
        check_period_started(date(2024, 7, 1), date(2024, 6, 30))


def test_pdf_name_keeps_chinese_and_drops_path_characters():
    assert pdf_name("A1", "甲一村", "2024-Q2") == "A1-甲一村-2024-Q2.pdf"
    assert pdf_name("A/1", "东 风村", "2024-05") == "A_1-东_风村-2024-05.pdf"


def test_archive_only_after_the_display_period():
    refuse(notice_refusal(NoticeFacts("published", date(2024, 6, 16), date(2024, 6, 15)), A.ARCHIVE, 7))
    with pytest.raises(IllegalMove, match="期满后"):
        refuse(notice_refusal(NoticeFacts("published", date(2024, 6, 15), date(2024, 6, 15)), A.ARCHIVE, 7))


# ---------------------------------------------------------------- who may do what to a notice

DAY = date(2024, 6, 20)
OVER = DAY - timedelta(days=1)  # a display period that ended yesterday
# Role → state → the actions it may take (display period over, no correction under way); every other pair: none.
# Written out by hand, in the table's order.
AGENCY = {S.DRAFT: ["regenerate", "submit"], S.SUBMITTED: ["withdraw"], S.SIGNED_OFF: ["withdraw", "publish"],
          S.PUBLISHED: ["archive", "correct"], S.ARCHIVED: ["correct"]}
MAY = {Role.AGENCY_ACCOUNTANT: AGENCY, Role.AGENCY_HEAD: AGENCY,
       Role.VILLAGE_BOARD: {S.SUBMITTED: ["sign_off", "send_back"]}}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("state", list(State))
def test_notice_actions(role, state):
    facts = NoticeFacts(state, DAY, OVER if state in (S.PUBLISHED, S.ARCHIVED) else None)
    assert notice_actions(facts, 7, permissions_of(role)) == MAY.get(role, {}).get(state, [])


@pytest.mark.parametrize("role, status, kw, expected", [
    ("agency_head", "published", {"display_until": DAY}, ["correct"]),  # on the board until today
    ("agency_accountant", "published", {"display_until": OVER, "pending_version": 2}, ["archive"]),  # v2 under way
    ("agency_accountant", "archived", {"pending_version": 2}, []),
    ("agency_head", "archived", {"superseded": True}, []),  # only the newest version is corrected
    ("county_supervisor", "published", {"display_until": OVER}, []),
])
def test_notice_actions_beyond_the_state(role, status, kw, expected):
    assert notice_actions(NoticeFacts(status, DAY, **kw), 7, permissions_of(role)) == expected


def test_a_notice_refusal_says_why():
    assert notice_refusal(NoticeFacts("published", DAY), A.REGENERATE, 7) == "“已公布”状态的公开榜不能重新生成"
    assert notice_refusal(NoticeFacts("archived", DAY, OVER, superseded=True), A.CORRECT, 7) == (
        "该公开榜已被更正版本替代，请在最新版本上办理更正")
    assert notice_refusal(NoticeFacts("published", DAY, OVER, pending_version=3), A.CORRECT, 7) == (
        "该期已有未公布的第3版，请在该版本上继续办理")
    assert notice_refusal(NoticeFacts("published", DAY, DAY), A.ARCHIVE, 7) == "公示期至 2024-06-20，期满后才能撤榜归档"
    assert notice_refusal(NoticeFacts("draft", DAY), A.SUBMIT, None) is None  # the command line has no user


def test_what_waits_is_said_rather_than_offered():
    facts = NoticeFacts("published", DAY, DAY, pending_version=2)
    assert notice_refusals(facts, 7, permissions_of("agency_head")) == {
        "archive": "公示期至 2024-06-20，期满后才能撤榜归档", "correct": "该期已有未公布的第2版，请在该版本上继续办理"}
    assert notice_refusals(facts, 7, permissions_of("village_board")) == {}  # nothing of theirs waits
    assert notice_refusals(NoticeFacts("draft", DAY), 7, permissions_of("agency_head")) == {}
    assert notice_refusals(NoticeFacts("archived", DAY, OVER), 7, permissions_of("agency_head")) == {}


def test_only_the_villages_own_board_signs():
    assert signer_refusal("village_board", 3, 3) is None
    assert signer_refusal("village_board", 4, 3) == "只有本村民主理财小组成员可以审核签字"
    assert signer_refusal("agency_head", None, 3) == "只有本村民主理财小组成员可以审核签字"
