"""Alert rules over plain data: boundaries of each rule, the diff against stored alerts, the state machine."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from threeassets.alerts import rules
from threeassets.alerts.rules import (
    CashLineFact,
    ContractFact,
    DifferenceFact,
    Finding,
    InstallmentFact,
    Stored,
)
from threeassets.core.errors import IllegalMove, RuleError

TODAY = date(2025, 3, 10)
D = Decimal


def contract(ends_on: date, cid: int = 1) -> ContractFact:
    return ContractFact(cid, "HT-001", "东坝鱼塘承包", "张三", ends_on)


# --- contract expiring -------------------------------------------------------------------------------------

@pytest.mark.parametrize("days_left, raised", [(91, False), (90, True), (89, True), (31, True), (1, True),
                                               (0, True), (-1, True)])
def test_contract_lead_day_boundary(days_left, raised):
    found = rules.contract_expiring([contract(TODAY + timedelta(days=days_left))], TODAY, 90)
    assert bool(found) is raised


def test_contract_messages_and_severity():
    far, near, today, past = (rules.contract_expiring([contract(TODAY + timedelta(days=d))], TODAY, 90)[0]
                              for d in (45, 30, 0, -5))
    assert (far.severity, near.severity, today.severity, past.severity) == ("warning", "danger", "danger", "danger")
    assert "还有 45 天" in far.message and "HT-001" in far.message and "张三" in far.message
    assert "今天" in today.message
    assert "已于 2025-03-05 到期 5 天" in past.message
    assert far.ident == ("contract_expiring", "contract", 1, "")


def test_contract_zero_lead_days_only_today_and_past():
    found = rules.contract_expiring([contract(TODAY, 1), contract(TODAY + timedelta(days=1), 2)], TODAY, 0)
    assert [f.object_id for f in found] == [1]


# --- installment overdue -----------------------------------------------------------------------------------

def inst(due_on: date, amount="5000.00", received="0.00", status="due", iid=7) -> InstallmentFact:
    return InstallmentFact(iid, "HT-002", "李四", 2, due_on, D(amount), D(received), status)


def test_due_today_is_not_overdue_yesterday_is():
    assert rules.installment_overdue([inst(TODAY)], TODAY) == []
    [f] = rules.installment_overdue([inst(TODAY - timedelta(days=1))], TODAY)
    assert "逾期 1 天" in f.message and f.ident == ("installment_overdue", "installment", 7, "")


def test_overdue_message_shows_what_is_owed():
    [f] = rules.installment_overdue([inst(date(2025, 1, 1), "5000.00", "1200.50", "partial")], TODAY)
    assert "应收 5,000.00 元" in f.message and "已收 1,200.50 元" in f.message and "欠 3,799.50 元" in f.message
    assert "逾期 68 天" in f.message and "2025-01-01" in f.message


@pytest.mark.parametrize("status", ["paid", "cancelled"])
def test_paid_or_cancelled_is_never_overdue(status):
    assert rules.installment_overdue([inst(date(2024, 1, 1), status=status)], TODAY) == []


def test_fully_received_is_not_overdue_even_if_status_lags():
    assert rules.installment_overdue([inst(date(2024, 1, 1), "100.00", "100.00", "partial")], TODAY) == []
    assert rules.installment_overdue([inst(date(2024, 1, 1), "100.00", "99.99", "partial")], TODAY) != []


@pytest.mark.parametrize("days, severity", [(90, "warning"), (91, "danger")])
def test_long_overdue_is_severe(days, severity):
    [f] = rules.installment_overdue([inst(TODAY - timedelta(days=days))], TODAY)
    assert f.severity == severity


# --- asset cards vs books ----------------------------------------------------------------------------------

def test_one_finding_per_difference_keyed_by_account():
    diffs = [DifferenceFact("151", "固定资产原值", D("10000.00"), D("12000.00")),
             DifferenceFact("152", "累计折旧", D("500.00"), D("450.00"))]
    found = rules.assets_mismatch(3, diffs, "2025-03")
    assert [f.ident for f in found] == [("assets_mismatch", "village", 3, "151"),
                                        ("assets_mismatch", "village", 3, "152")]
    assert "卡片 10,000.00 元" in found[0].message and "账簿（151）12,000.00 元" in found[0].message
    assert "相差 2,000.00 元" in found[0].message and "相差 -50.00 元" in found[1].message


def test_clean_reconciliation_finds_nothing():
    assert rules.assets_mismatch(3, [], "2025-03") == []


# --- large cash --------------------------------------------------------------------------------------------

def cash(credit: str, line_id: int = 11, reversed_: bool = False) -> CashLineFact:
    return CashLineFact(line_id, "2025-03 记-0007", "202503-0007", date(2025, 3, 5), "库存现金", "支付工钱",
                        D(credit), reversed_)


@pytest.mark.parametrize("credit, raised", [("4999.99", False), ("5000.00", True), ("5000.01", True)])
def test_large_cash_threshold_boundary(credit, raised):
    assert bool(rules.large_cash([cash(credit)], D("5000.00"))) is raised


def test_large_cash_key_and_message():
    [f] = rules.large_cash([cash("6800.00")], D("5000.00"))
    assert f.ident == ("large_cash", "voucher_line", 11, "202503-0007")
    assert "2025-03 记-0007" in f.message and "6,800.00" in f.message and "5,000.00" in f.message


def test_reversed_voucher_is_left_out():
    assert rules.large_cash([cash("6800.00", reversed_=True)], D("5000.00")) == []


def test_cash_deposited_in_the_bank_is_not_a_payment():
    line = CashLineFact(12, "2025-03 记-0008", "202503-0008", date(2025, 3, 5), "库存现金", "存现", D("9000.00"),
                        to_bank=True)
    assert rules.large_cash([line], D("5000.00")) == []


# --- plan --------------------------------------------------------------------------------------------------

def finding(oid: int, message: str = "m", severity: str = "warning") -> Finding:
    return Finding("installment_overdue", "installment", oid, "", severity, message)


def key(oid: int) -> tuple:
    return ("installment_overdue", "installment", oid, "")


def test_plan_new_update_resolve_reopen_and_unchanged():
    stored = {key(1): Stored(101, "warning", "m", False),   # unchanged
              key(2): Stored(102, "warning", "old", False),  # message moved
              key(3): Stored(103, "warning", "m", False),    # gone → resolve
              key(4): Stored(104, "warning", "m", True),     # resolved, found again → reopen
              key(5): Stored(105, "warning", "m", True)}     # resolved, still gone → nothing
    p = rules.plan(stored, [finding(1), finding(2, "new"), finding(4), finding(6)])
    assert [f.object_id for f in p.new] == [6]
    assert [(i, f.object_id) for i, f in p.reopen] == [(104, 4)]
    assert [(i, f.message) for i, f in p.update] == [(102, "new")]
    assert p.resolve == [103]
    assert p.changed


def test_plan_of_a_repeat_scan_is_empty():
    stored = {key(1): Stored(101, "warning", "m", False)}
    p = rules.plan(stored, [finding(1)])
    assert (p.new, p.reopen, p.update, p.resolve, p.changed) == ([], [], [], [], False)


def test_plan_severity_change_is_an_update_not_a_change():
    p = rules.plan({key(1): Stored(101, "warning", "m", False)}, [finding(1, severity="danger")])
    assert [i for i, _f in p.update] == [101] and not p.changed


def test_plan_ignores_a_repeated_finding():
    p = rules.plan({}, [finding(1, "first"), finding(1, "second")])
    assert [f.message for f in p.new] == ["first"]


# --- state machine: every (state, action) pair -------------------------------------------------------------

PAIRS = [(s, a) for s in (rules.OPEN, rules.ACKNOWLEDGED, rules.RESOLVED)
         for a in ("acknowledge", "resolve", "reraise")]


@pytest.mark.parametrize("state, action", PAIRS)
def test_transition_table(state, action):
    expected = {(rules.OPEN, "acknowledge"): rules.ACKNOWLEDGED, (rules.OPEN, "resolve"): rules.RESOLVED,
                (rules.ACKNOWLEDGED, "resolve"): rules.RESOLVED, (rules.RESOLVED, "reraise"): rules.OPEN}
    if (state, action) in expected:
        assert rules.ALERT_FLOW.next(state, action) == expected[(state, action)]
    else:
        with pytest.raises(IllegalMove):
            rules.ALERT_FLOW.next(state, action)


def test_refusals_speak_chinese():
    with pytest.raises(IllegalMove, match="已确认过"):
        rules.ALERT_FLOW.next(rules.ACKNOWLEDGED, "acknowledge")
    with pytest.raises(IllegalMove, match="已解除"):
        rules.ALERT_FLOW.next(rules.RESOLVED, "acknowledge")


@pytest.mark.parametrize("resolved, acked, state", [(False, False, "open"), (False, True, "acknowledged"),
                                                    (True, False, "resolved"), (True, True, "resolved")])
def test_state_of(resolved, acked, state):
    assert rules.state_of(resolved, acked) == state


def test_note_is_required_and_bounded():
    assert rules.check_note("  已电话催收  ") == "已电话催收"
    for bad in (None, "", "   ", "x" * 501):
        with pytest.raises(RuleError) as exc:
            rules.check_note(bad)
        assert "note" in exc.value.fields


# --- who may do what to an alert: role × state -------------------------------------------------------------

@pytest.mark.parametrize("role, state, expected", [
    ("agency_accountant", "open", ["acknowledge"]),
    ("agency_head", "open", ["acknowledge"]),
    ("agency_accountant", "acknowledged", []),  # acknowledged once is enough
    ("agency_head", "resolved", []),  # a resolved alert needs no acknowledgement
    ("reviewer", "open", []),
    ("village_accountant", "open", []),  # village users read, staff act
    ("village_board", "open", []),
    ("county_supervisor", "open", []),
])
def test_alert_actions(role, state, expected):
    from threeassets.auth.rules import permissions_of
    assert rules.alert_actions(state, permissions_of(role)) == expected


def test_alert_refusal_says_why():
    assert rules.alert_refusal(rules.OPEN, "acknowledge") is None
    assert rules.alert_refusal(rules.ACKNOWLEDGED, "acknowledge") == "该预警已确认过"
    assert rules.alert_refusal(rules.RESOLVED, "acknowledge") == "该预警已解除，无需确认"


# --- subsidies ---------------------------------------------------------------------------------------------


def _day(text):
    return date.fromisoformat(text) if text else None


def subsidy(notice_to="2025-03-07", paid="2025-03-08", differing=0, unpaid=0, duplicates=0):
    from threeassets.alerts.rules import SubsidyFact
    day = _day
    return SubsidyFact(5, "2025年耕地地力保护补贴（第一批）", day("2025-03-01") if notice_to else None, day(notice_to),
                       day(paid), differing, unpaid, duplicates)


@pytest.mark.parametrize("notice_to, paid, raised", [
    ("2025-03-07", "2025-03-08", False),  # paid the day after the notice's last day
    ("2025-03-07", "2025-03-07", True),  # paid on the last day: the period had not run
    ("2025-03-07", "2025-02-20", True),
    (None, "2025-03-08", True),  # never on notice
    ("2025-03-07", None, False),  # nothing paid to the village (all failed): nothing early
])
def test_subsidy_paid_before_its_notice_ran_out(notice_to, paid, raised):
    found = rules.subsidy_unnoticed([subsidy(notice_to, paid)])
    assert bool(found) is raised
    if found:
        assert found[0].ident == ("subsidy_unnoticed", "subsidy_batch", 5, "") and found[0].severity == "danger"
        assert "未满公示期即发放" in found[0].message


def test_subsidy_paid_otherwise_than_noticed():
    assert rules.subsidy_mismatch([subsidy()]) == []
    [f] = rules.subsidy_mismatch([subsidy(differing=1, unpaid=2)])
    assert f.ident == ("subsidy_mismatch", "subsidy_batch", 5, "")
    assert f.message == "2025年耕地地力保护补贴（第一批） 本村发放金额与公示不符 1 户，未发放 2 户，请核对银行发放结果"
    assert "未发放 1 户" in rules.subsidy_mismatch([subsidy(unpaid=1)])[0].message
    [f] = rules.subsidy_mismatch([subsidy(duplicates=2)])  # paid twice, every household otherwise as noticed
    assert f.message == "2025年耕地地力保护补贴（第一批） 本村重复发放 2 笔，请核对银行发放结果"
