"""The disclosure notice's state machine: one test per (state, action) pair, and the form checks."""
from __future__ import annotations

from datetime import date

import pytest

from threeassets.core.errors import IllegalMove, RuleError
from threeassets.disclosure.rules import (
    MIN_DISPLAY_DAYS,
    Action,
    State,
    allowed_actions,
    check_archive,
    check_other,
    check_period_started,
    check_publication,
    check_remarks,
    check_signoff,
    default_display_until,
    display_days,
    is_public,
    next_state,
    pdf_name,
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
    check_archive(date(2024, 6, 15), date(2024, 6, 16))
    with pytest.raises(RuleError, match="期满后"):
        check_archive(date(2024, 6, 15), date(2024, 6, 15))
