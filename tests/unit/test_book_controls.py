"""Book controls as the programs accountants know them (pure): a future date, cash on hand in credit, a notice
whose period is not over or not closed."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from threeassets.alerts.rules import CASH_DEFICIT, cash_deficit
from threeassets.disclosure.rules import parse_period, unfinished_warning
from threeassets.ledger.rules import cash_deficit_problem, future_date_problem


def test_a_date_after_today_is_named():
    assert future_date_problem(date(2026, 12, 7), date(2026, 12, 6)) == \
        "凭证日期 2026-12-07 晚于今天（2026-12-06），请核对"
    assert future_date_problem(date(2026, 12, 6), date(2026, 12, 6)) is None


def test_cash_in_credit_is_a_deficit_and_zero_is_not():
    assert cash_deficit_problem(Decimal("-1234.5")) == \
        "库存现金出现贷方余额 1,234.50 元（现金赤字），请核对本月现金收支"
    assert cash_deficit_problem(Decimal("0")) is None and cash_deficit_problem(Decimal("0.01")) is None


def test_each_month_in_credit_is_one_alert():
    found = cash_deficit(7, [(202603, Decimal("-20.00")), (202605, Decimal("-1.50"))])
    assert [(f.rule, f.object_id, f.key, f.severity) for f in found] == [(CASH_DEFICIT, 7, "202603", "danger"),
                                                                          (CASH_DEFICIT, 7, "202605", "danger")]
    assert found[0].message.startswith("2026年3月末库存现金为贷方余额 20.00 元（现金赤字）")


def test_a_notice_warns_while_its_period_runs_or_a_month_is_open():
    october, q3 = parse_period("2026-10"), parse_period("2026-Q3")
    assert "尚未结束" in unfinished_warning(october, date(2026, 10, 31), {202610})
    assert unfinished_warning(october, date(2026, 11, 2), set()) == \
        "2026年10月尚未结账，公开数字还可能因补记、更正而改变；建议结账后再提交审核。"
    assert unfinished_warning(october, date(2026, 11, 2), {202610}) is None
    assert "2026年8月" in unfinished_warning(q3, date(2026, 10, 5), {202607, 202609})
