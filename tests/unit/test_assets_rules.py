"""Pure asset rules: straight-line depreciation schedules, card checks, card states."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from threeassets.assets import rules
from threeassets.assets.rules import (
    ACTIONS,
    amount_for_month,
    depreciable_amount,
    monthly_amount,
    next_status,
    parse_card,
    schedule,
)
from threeassets.core.errors import IllegalMove

D = Decimal
TODAY = date(2025, 6, 15)


def test_monthly_amount_and_depreciable_amount():
    assert depreciable_amount(D("120000.00"), D("5.00")) == D("114000.00")
    assert monthly_amount(D("120000.00"), D("5.00"), 240) == D("475.00")


def test_schedule_starts_the_month_after_acquisition_mid_month():
    rows = schedule(D("1200.00"), D("0.00"), 12, date(2024, 3, 17))
    assert rows[0].ym == 202404 and rows[-1].ym == 202503
    assert len(rows) == 12 and all(r.amount == D("100.00") for r in rows)


def test_acquired_on_the_last_day_of_a_month_starts_next_month():
    assert schedule(D("1200.00"), D("0.00"), 12, date(2024, 1, 31))[0].ym == 202402
    assert amount_for_month(D("1200.00"), D("0.00"), 12, date(2024, 1, 31), 202401, D("0")) == 0
    assert schedule(D("1200.00"), D("0.00"), 12, date(2024, 12, 31))[0].ym == 202501


def test_rounding_remainder_goes_to_the_last_month_and_total_is_exact():
    rows = schedule(D("10000.00"), D("5.00"), 36, date(2024, 1, 5))
    assert depreciable_amount(D("10000.00"), D("5.00")) == D("9500.00")
    assert rows[0].amount == D("263.89")  # 9500 / 36 = 263.888… half up
    assert rows[-1].amount == D("9500.00") - D("263.89") * 35 == D("263.85")
    assert rows[-1].accumulated == D("9500.00") and rows[-1].net == D("500.00")


def test_monthly_rounded_up_never_overshoots_the_total():
    rows = schedule(D("0.10"), D("0.00"), 12, date(2024, 1, 5))  # 0.0083 → 0.01 a month
    assert sum(r.amount for r in rows) == D("0.10")
    assert len(rows) == 10  # full after ten months, nothing more


def test_zero_salvage_depreciates_the_whole_cost():
    rows = schedule(D("3000.00"), D("0.00"), 3, date(2024, 1, 5))
    assert [r.amount for r in rows] == [D("1000.00")] * 3 and rows[-1].net == 0


def test_salvage_is_kept():
    rows = schedule(D("3000.00"), D("10.00"), 3, date(2024, 1, 5))
    assert rows[-1].accumulated == D("2700.00") and rows[-1].net == D("300.00")


def test_useful_life_one_month():
    rows = schedule(D("999.99"), D("5.00"), 1, date(2024, 1, 5))
    assert [(r.ym, r.amount) for r in rows] == [(202402, D("949.99"))]  # 949.9905 half up


def test_stops_after_end_of_life():
    assert amount_for_month(D("1200.00"), D("0"), 12, date(2024, 1, 5), 202501, D("1100.00")) == D("100.00")
    assert amount_for_month(D("1200.00"), D("0"), 12, date(2024, 1, 5), 202502, D("1100.00")) == 0


def test_stops_when_fully_depreciated():
    assert amount_for_month(D("1200.00"), D("0"), 12, date(2024, 1, 5), 202406, D("1200.00")) == 0


def test_already_depreciated_import_continues_from_its_figure():
    # bought 2020-01, 10 years, imported with 5 years and a bit accumulated by the old books
    acc = D("60500.00")
    assert amount_for_month(D("120000.00"), D("0"), 120, date(2020, 1, 10), 202502, acc) == D("1000.00")
    rows = schedule(D("120000.00"), D("0"), 120, date(2020, 1, 10), acc, start_ym=202502)
    assert rows[0].ym == 202502 and rows[-1].ym == 203001
    assert rows[-1].accumulated == D("120000.00")
    assert rows[-1].amount == D("120000.00") - acc - D("1000.00") * (len(rows) - 1)


def test_last_month_takes_a_catch_up_when_behind():
    assert amount_for_month(D("1200.00"), D("0"), 12, date(2024, 1, 5), 202501, D("500.00")) == D("700.00")


def _raw(**kw):
    base = {"code": "F001", "name": "办公楼", "category": "房屋及建筑物", "acquired_on": "2020-03-01",
            "original_cost": "120,000.00", "useful_life_months": "240", "salvage_rate": "5",
            "depreciate": "是", "accumulated_depreciation": "10000"}
    base.update(kw)
    return base


def test_parse_card_ok_with_labels():
    card, problems = parse_card(_raw(purpose="公益性", status="闲置"), TODAY)
    assert problems == {}
    assert card.original_cost == D("120000.00") and card.purpose == "welfare" and card.status == "idle"


@pytest.mark.parametrize("field, value, reason", [
    ("original_cost", "-5", "负数"),
    ("original_cost", "0", "大于零"),
    ("salvage_rate", "101", "0 至 100"),
    ("salvage_rate", "-1", "0 至 100"),
    ("useful_life_months", "0", "1 至 1200"),
    ("useful_life_months", "12.5", "1 至 1200"),
    ("acquired_on", "2025-06-16", "晚于今天"),
    ("acquired_on", "2025-06-31", "2025年6月没有31日"),
    ("accumulated_depreciation", "120000", "超过可折旧额"),
    ("depreciate", "maybe", "是/否"),
    ("purpose", "私用", "经营性"),
    ("status", "已处置", "在用"),
    ("code", "", "资产编号"),
])
def test_parse_card_refuses(field, value, reason):
    card, problems = parse_card(_raw(**{field: value}), TODAY)
    assert card is None and reason in problems[field]


@pytest.mark.parametrize("status", list(rules.STATUS_LABELS))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_state_and_action(status, action):
    if status == "disposed":
        with pytest.raises(IllegalMove, match="已处置"):
            next_status(status, action)
        return
    want = {"dispose": "disposed", "use": "in_use", "lease": "leased", "idle": "idle"}.get(action, status)
    assert next_status(status, action) == want


def test_decision_amount_and_result():
    assert rules.decision_amount(D("100"), D("300")) == D("300")
    assert rules.decision_amount(D("500"), D("0")) == D("500")
    assert rules.disposal_result(D("500"), D("300")) == D("-200")


@pytest.mark.parametrize("status", list(rules.CHANGE_STATUS_LABELS))
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_every_disposal_state_and_action(status, action):
    if status != "pending":
        with pytest.raises(IllegalMove):
            rules.next_change_status(status, action)
    else:
        assert rules.next_change_status(status, action) == {"approve": "done", "reject": "rejected"}[action]


def test_needs_approval():
    assert rules.needs_approval(D("50000.00"))  # whoever enters it, the head included: four eyes
    assert not rules.needs_approval(D("49999.99"))


def test_the_entrant_does_not_approve_the_disposal():
    facts = rules.DisposalFacts("pending", entered_by=7)
    assert rules.disposal_refusal(facts, "approve", 7) == ("处置申请人不能审批自己录入的处置，"
                                                           "请由另一位有审批权限的人审批")
    assert rules.disposal_refusal(facts, "approve", 8) is None
    assert rules.disposal_refusal(facts, "reject", 7) is None  # sending one's own request back withdraws it
    from threeassets.auth.rules import permissions_of
    assert rules.disposal_actions(facts, permissions_of("agency_head"), 7) == ["reject"]
    assert rules.disposal_actions(facts, permissions_of("agency_head"), 8) == ["approve", "reject"]


def test_disposal_problems():
    acquired = date(2020, 1, 1)
    assert rules.disposal_problems("sale", date(2025, 6, 1), D("10"), acquired, TODAY) == {}
    assert "method" in rules.disposal_problems("gift", date(2025, 6, 1), D("10"), acquired, TODAY)
    assert "on" in rules.disposal_problems("sale", date(2025, 6, 16), D("10"), acquired, TODAY)
    assert "on" in rules.disposal_problems("sale", date(2019, 6, 1), D("10"), acquired, TODAY)
    assert "proceeds" in rules.disposal_problems("auction", date(2025, 6, 1), D("0"), acquired, TODAY)
    assert rules.disposal_problems("write_off", date(2025, 6, 1), D("0"), acquired, TODAY) == {}


# ---------------------------------------------------------------- who may do what to a card and a disposal

def _card(role: str, status: str, pending: bool = False) -> list[str]:
    from threeassets.auth.rules import permissions_of
    return rules.card_actions(rules.CardFacts(status, pending), permissions_of(role))


LIVE_ACTIONS = ["edit", "transfer", "revalue", "depreciate", "dispose", "use", "lease", "idle"]


@pytest.mark.parametrize("role, status, pending, expected", [
    ("agency_accountant", "in_use", False, LIVE_ACTIONS),
    ("agency_head", "leased", False, LIVE_ACTIONS),
    ("agency_accountant", "idle", False, LIVE_ACTIONS),
    ("agency_accountant", "in_use", True, [a for a in LIVE_ACTIONS if a != "dispose"]),  # one disposal at a time
    ("agency_head", "disposed", False, []),  # a disposed card takes no action at all
    ("reviewer", "in_use", False, []),
    ("village_accountant", "in_use", False, []),
    ("village_board", "idle", False, []),
    ("county_supervisor", "in_use", False, []),
    ("window_clerk", "in_use", False, []),
])
def test_card_actions(role, status, pending, expected):
    assert _card(role, status, pending) == expected


def test_a_card_refusal_says_why():
    assert rules.card_refusal(rules.CardFacts("disposed"), "edit") == "资产已处置，不能修改"
    assert rules.card_refusal(rules.CardFacts("in_use", True), "dispose") == "该资产已有待审批的处置申请"
    assert rules.card_refusal(rules.CardFacts("in_use", True), "transfer") is None  # changes go on meanwhile
    assert rules.card_refusal(rules.CardFacts("leased"), "lease") is None


@pytest.mark.parametrize("status, new_status, action", [
    ("in_use", "in_use", "transfer"), ("in_use", "leased", "lease"), ("leased", "idle", "idle"),
    ("idle", "in_use", "use"), ("in_use", "gone", "gone"),
])
def test_status_action(status, new_status, action):
    assert rules.status_action(status, new_status) == action


@pytest.mark.parametrize("role, status, expected", [
    ("agency_head", "pending", ["approve", "reject"]),
    ("agency_head", "done", []),
    ("agency_head", "rejected", []),
    ("agency_accountant", "pending", []),  # entering a disposal is not deciding it
    ("reviewer", "pending", []),
    ("county_supervisor", "pending", []),
    ("admin", "pending", []),
])
def test_disposal_actions(role, status, expected):
    from threeassets.auth.rules import permissions_of
    assert rules.disposal_actions(rules.DisposalFacts(status), permissions_of(role)) == expected


def test_a_disposal_refusal_says_why():
    assert rules.disposal_refusal(rules.DisposalFacts("done"), "approve") == "处置申请已完成，不能审批通过"
    assert rules.disposal_refusal(rules.DisposalFacts("rejected"), "reject") == "处置申请已退回，不能退回"
    assert rules.disposal_refusal(rules.DisposalFacts("pending"), "approve") is None
