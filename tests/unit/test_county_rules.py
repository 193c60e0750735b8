"""The county's pure rules: due days and the window of months, closes and notices counted, the alert rules, the
rows' sums and rates, and the charts' markup."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from threeassets.county import rules
from threeassets.county.charts import hbar_chart
from threeassets.county.rules import Figures, NoticeFact
from threeassets.dashboard.charts import Series

D = Decimal


@pytest.mark.parametrize("ym, day, due", [(202405, 10, date(2024, 6, 10)), (202412, 10, date(2025, 1, 10)),
                                          (202401, 5, date(2024, 2, 5))])
def test_due_day_is_in_the_next_month(ym, day, due):
    assert rules.due_day(ym, day) == due


@pytest.mark.parametrize("as_of, last", [(date(2025, 6, 10), 202504), (date(2025, 6, 11), 202505),
                                         (date(2025, 1, 3), 202411), (date(2025, 1, 11), 202412)])
def test_the_window_ends_with_the_last_month_whose_due_day_has_passed(as_of, last):
    months = rules.report_months(as_of)
    assert months[-1] == last and len(months) == rules.MONTHS
    assert months == sorted(months) and len(set(months)) == rules.MONTHS


def test_quarters_and_period_texts():
    assert [rules.quarter_end(m) for m in (202401, 202403, 202404, 202412)] == [202403, 202403, 202406, 202412]
    assert rules.period_text(202405) == "2024-05" and rules.quarter_text(202405) == "2024-Q2"


def test_closes_count_from_the_villages_start_and_by_the_due_day():
    months = [202401, 202402, 202403, 202404]
    closed = {202402: date(2024, 3, 10), 202403: date(2024, 4, 11)}
    assert rules.close_counts(months, 202402, closed) == (3, 1, [202404])
    assert rules.close_counts(months, None, closed) == (0, 0, [])  # no books, nothing due
    assert rules.close_counts(months, 202401, {}, day=5) == (4, 0, months)


def _notice(period, posted, short=False, nid=1):
    return NoticeFact(1, period, nid, posted, short)


def test_monthly_notices_are_held_to_each_months_due_day():
    months = [202401, 202402, 202403, 202404]
    notices = {"2024-01": _notice("2024-01", date(2024, 2, 10)), "2024-02": _notice("2024-02", date(2024, 3, 11)),
               "2024-03": _notice("2024-03", date(2024, 4, 1), short=True, nid=3)}
    n = rules.notice_counts(months, 202401, notices, date(2024, 5, 20))
    assert (n.due, n.on_time, n.posted, n.displayed) == (4, 2, 3, 2)
    assert n.late == [202402, 202404] and [s.notice_id for s in n.short] == [3]


def test_quarterly_notices_cover_their_months_and_a_running_quarter_waits():
    months = [202401, 202402, 202403, 202404, 202405]
    q1 = {"2024-Q1": _notice("2024-Q1", date(2024, 4, 10))}
    n = rules.notice_counts(months, 202401, q1, date(2024, 6, 20))
    assert (n.due, n.on_time, n.posted, n.displayed, n.late) == (3, 3, 3, 3, [])
    late = rules.notice_counts(months, 202401, {"2024-Q1": _notice("2024-Q1", date(2024, 4, 11))}, date(2024, 7, 11))
    assert (late.due, late.on_time, late.late) == (5, 0, months)  # Q1 late; Q2 due 10 July, never posted


@pytest.mark.parametrize("posted, until, down, superseded, short", [
    (date(2024, 6, 1), date(2024, 6, 15), None, False, False),
    (date(2024, 6, 1), date(2024, 6, 14), None, False, True),
    (date(2024, 6, 1), None, None, False, True),
    (date(2024, 6, 1), date(2024, 6, 30), date(2024, 6, 10), False, True),
    (date(2024, 6, 1), date(2024, 6, 30), date(2024, 6, 10), True, False),  # replaced by its correction
    (date(2024, 6, 1), date(2024, 6, 30), date(2024, 6, 15), False, False),
])
def test_display_short(posted, until, down, superseded, short):
    assert rules.display_short(posted, until, down, superseded) is short


def test_cash_alert_above_the_limit_only():
    assert rules.cash_alert(1, 2, "甲村", D("5000.00")) == []
    warn = rules.cash_alert(1, 2, "甲村", D("5000.01"))
    severe = rules.cash_alert(1, 2, "甲村", D("10000.01"))
    assert [a.severity for a in warn + severe] == ["warning", "danger"]
    assert warn[0].target == ("cash", 2) and "5,000.01" in warn[0].message


def test_white_slip_share_above_the_threshold_only():
    assert rules.white_slip_alert(1, 2, "甲村", D("5.00"), D("100.00")) == []
    assert rules.white_slip_alert(1, 2, "甲村", D("0"), D("0")) == []
    found = rules.white_slip_alert(1, 2, "甲村", D("5.01"), D("100.00"))
    assert found[0].severity == "warning" and "5.0%" in found[0].message and found[0].target == ("claims", 2)
    assert rules.white_slip_alert(1, 2, "甲村", D("11"), D("100"))[0].severity == "danger"


def test_late_close_alerts_per_month_naming_villages():
    alerts = rules.late_close_alerts(7, "甲镇", {202405: [(1, "一村")], 202404: [(i, f"{i}村") for i in range(7)]})
    assert [a.message[:10] for a in alerts] == ["甲镇：2024-04", "甲镇：2024-05"]
    assert [a.severity for a in alerts] == ["danger", "warning"]  # the older month is severe
    assert "等7个村" in alerts[0].message and alerts[0].target == ("township", 7)


def test_late_notice_and_short_display_alerts():
    assert rules.late_notice_alerts(1, 2, "甲村", []) == []
    [a] = rules.late_notice_alerts(1, 2, "甲村", [202401, 202402])
    assert a.severity == "danger" and "2024-01、2024-02" in a.message
    [s] = rules.short_display_alerts(1, "甲村", [NoticeFact(2, "2024-03", 9, date(2024, 4, 1), True)])
    assert s.target == ("notice", 2, 9)


def test_alerts_sorted_severe_first_then_by_township():
    a = rules.cash_alert(2, 5, "乙村", D("6000"))[0]
    b = rules.cash_alert(1, 4, "甲村", D("6000"))[0]
    c = rules.cash_alert(2, 6, "丙村", D("60000"))[0]
    assert rules.sort_alerts([a, b, c], {1: 0, 2: 1}) == [c, b, a]


def test_figures_add_up_and_rates():
    x = Figures(villages=1, cash=D("1.10"), closes_due=4, closes_on_time=3, cases_done=2, cases_on_time=1)
    y = Figures(villages=2, cash=D("2.20"), closes_due=2, closes_on_time=0, cases_rejected=1)
    t = rules.total([x, y])
    assert (t.villages, t.cash, t.closes_due, t.closes_on_time, t.cases_handled) == (3, D("3.30"), 6, 3, 3)
    assert t.close_rate == D("50.0") and x.case_rate == D("50.0") and Figures().close_rate is None


def test_rate_chart_escapes_names_and_shows_missing_rates():
    svg = hbar_chart([Series("按期结账率", [D("100.0"), None], "#198754")], ["<甲镇>", "乙镇"], title="率",
                     percent=True)
    assert "&lt;甲镇&gt;" in svg and "<甲镇>" not in svg and "无" in svg and "100.0%" in svg
    money = hbar_chart([Series("库存现金", [D("150000"), D("-10")], "#f0a04b")], ["甲", "乙"], title="资金")
    assert "万元" in money and money.count('class="bar"') == 2
