"""依申请公开: every (state, action) pair of the flow, the statutory clock across holidays and an extension, and
the annual table's count and its check 一 + 二 = 总计 + 四."""
from datetime import date
from itertools import product

import pytest

from threeassets.inforequests import rules
from threeassets.inforequests.rules import Action, Counted, Facts, State

ALLOWED = {(State.HANDLING, Action.ASK_CORRECTION), (State.HANDLING, Action.EXTEND), (State.HANDLING, Action.ANSWER),
           (State.CORRECTION, Action.CORRECTED), (State.CORRECTION, Action.ANSWER)}


@pytest.mark.parametrize("state, action", list(product(State, Action)))
def test_every_state_and_action_pair(state, action):
    outcome = rules.NOT_CORRECTED if action == Action.ANSWER else None
    why = rules.refusal(Facts(state), action, outcome)
    if (state, action) in ALLOWED:
        assert why is None
        assert rules.FLOW.next(state, action) == {Action.ASK_CORRECTION: State.CORRECTION,
                                                  Action.CORRECTED: State.HANDLING, Action.EXTEND: State.HANDLING,
                                                  Action.ANSWER: State.ANSWERED}[action]
    else:
        assert why == f"申请{rules.STATE_LABELS[state]}，不能{rules.ACTION_LABELS[action]}"


def test_correction_and_extension_happen_once_and_answers_need_a_kind():
    assert "一次性告知" in rules.refusal(Facts(State.HANDLING, correction_asked=True), Action.ASK_CORRECTION)
    assert "只能延长一次" in rules.refusal(Facts(State.HANDLING, extended=True), Action.EXTEND)
    assert rules.refusal(Facts(State.HANDLING), Action.ANSWER, None) == "请选择答复类型"
    assert rules.refusal(Facts(State.HANDLING), Action.ANSWER, "withheld") == "请选择答复类型"  # a heading, no reason
    assert rules.refusal(Facts(State.HANDLING), Action.ANSWER, "withheld_4") is None
    assert "逾期不补正" in rules.refusal(Facts(State.CORRECTION, correction_asked=True), Action.ANSWER, "disclosed")
    assert "已告知补正" in rules.refusal(Facts(State.HANDLING), Action.ANSWER, rules.UNCLEAR_AFTER_CORRECTION)
    assert rules.refusal(Facts(State.HANDLING, correction_asked=True), Action.ANSWER,
                         rules.UNCLEAR_AFTER_CORRECTION) is None


def test_the_clock_across_national_day_with_an_extension_and_a_correction():
    # Received Friday 2024-09-27: Sunday 29 Sept and Saturday 12 Oct are worked, 1–7 Oct are off (counted by hand)
    c = rules.clock(date(2024, 9, 27))
    assert c.starts == date(2024, 9, 27) and c.due == date(2024, 10, 30) and c.correction_by == date(2024, 10, 12)
    assert rules.clock(date(2024, 9, 27), extension_days=20).due == date(2024, 11, 27)
    assert rules.clock(date(2024, 9, 27), extension_days=5).due == date(2024, 11, 6)
    # the corrected request arrived Tuesday 15 Oct: 20 working days from then
    corrected = rules.clock(date(2024, 9, 27), corrected=date(2024, 10, 15))
    assert corrected.starts == date(2024, 10, 15) and corrected.due == date(2024, 11, 12)
    with pytest.raises(ValueError):
        rules.clock(date(2024, 9, 27), extension_days=21)


def test_every_outcome_row_of_the_official_table_exists_once():
    groups = {o.group for o in rules.OUTCOMES.values()}
    assert [t[:5] for t in sorted(groups, key=lambda t: "一二三四五六".index(t[1]))] == [
        "（一）予以", "（二）部分", "（三）不予", "（四）无法", "（五）不予", "（六）其他"]
    counts = {g: sum(1 for o in rules.OUTCOMES.values() if o.group_code == g) for g, _t in rules.GROUPS}
    assert counts == {"disclosed": 1, "partial": 1, "withheld": 8, "unavailable": 3, "not_handled": 5, "other": 3}


def _req(kind, received, answered=None, outcome=None):
    return Counted(kind, date.fromisoformat(received), date.fromisoformat(answered) if answered else None, outcome)


def test_the_annual_table_counts_by_requester_and_balances():
    requests = [
        _req("person", "2025-12-20", "2026-01-10", "disclosed"),  # 上年结转, answered this year
        _req("person", "2025-11-01", "2025-11-20", "disclosed"),  # last year's business only
        _req("business", "2026-03-01", "2026-03-20", "withheld_4"),
        _req("law", "2026-05-01", "2026-05-02", "partial"),
        _req("person", "2026-06-01", "2026-06-30", "other_1"),
        _req("charity", "2026-12-20"),  # 结转下年度
        _req("person", "2026-12-28", "2027-01-05", "disclosed"),  # answered next year: carried out
        _req("research", "2027-01-02"),  # next year's
    ]
    t = rules.annual_table(2026, requests)
    assert t["new"] == {"person": 2, "business": 1, "research": 0, "charity": 1, "law": 1, "other": 0, "total": 5}
    assert t["carried_in"]["person"] == 1 and t["carried_in"]["total"] == 1
    assert t["disclosed"]["total"] == 1 and t["partial"]["law"] == 1
    assert t["withheld_4"]["business"] == 1 and t["withheld"]["business"] == 1
    assert t["other_1"]["person"] == 1 and t["other"]["total"] == 1
    assert t["total"]["total"] == 4 and t["carried_out"]["total"] == 2
    for col in rules.COLUMNS:  # 一 + 二 = 三(七)总计 + 四, in every column
        assert t["new"][col] + t["carried_in"][col] == t["total"][col] + t["carried_out"][col]
    with pytest.raises(ValueError):
        rules.annual_table(2026, [_req("person", "2026-05-01", "2026-04-01", "disclosed")])


def test_an_answer_or_extension_over_its_length_is_named_never_cut():
    from threeassets.inforequests.rules import answer_problems, extension_problems
    assert answer_problems("disclosed", "信" * 4001, "") == {"answer_text": "答复内容最多4000字（现 4001 字）"}
    assert answer_problems("withheld_1", "理由", "条" * 501) == {"answer_basis": "法律依据最多500字（现 501 字）"}
    assert answer_problems("disclosed", "𠀀" * 4000, "") == {}  # a rare character counts once
    assert extension_problems(10, "因" * 4001) == {"extension_reason": "延期理由最多4000字（现 4001 字）"}
