"""The arithmetic of opening balances: both sides, a mid-year start, sub-accounts rolled up, 试算平衡."""
from __future__ import annotations

from decimal import Decimal as D

import pytest

from threeassets.ledger.openings.rules import (
    OpeningFigures,
    balance_problems,
    before_start_problem,
    carrier_months,
    on_side,
    roll_up,
    row_problems,
    totals,
    turnover_of,
)


def test_opening_is_year_opening_plus_turnover_so_far_on_either_side():
    cash = OpeningFigures(year_debit=D("1200.00"), ytd_debit=D("500.00"), ytd_credit=D("300.50"))
    assert cash.year_net == D("1200.00") and cash.opening_net == D("1399.50")
    assert on_side(cash.opening_net) == ("借", D("1399.50"))
    payable = OpeningFigures(year_credit=D("800.00"), ytd_debit=D("1000.00"), ytd_credit=D("100.00"))
    assert payable.opening_net == D("100.00")  # paid off and more: the balance crossed to the debit side
    assert on_side(payable.opening_net) == ("借", D("100.00"))
    assert on_side(OpeningFigures(year_credit=D("5")).opening_net) == ("贷", D("5"))
    assert on_side(D(0)) == ("平", D(0))


def test_carrier_months_are_before_the_start():
    assert carrier_months(202601) == (202512, None)
    assert carrier_months(202607) == (202512, 202606)
    assert carrier_months(202602) == (202512, 202601)


def test_turnover_carries_the_net_year_opening_and_the_turnover_so_far():
    f = OpeningFigures(year_credit=D("800.00"), ytd_debit=D("10.00"), ytd_credit=D("2.00"))
    assert turnover_of(f, 202607) == [(202512, D(0), D("800.00")), (202606, D("10.00"), D("2.00"))]
    assert turnover_of(OpeningFigures(year_debit=D("3")), 202601) == [(202512, D("3"), D(0))]
    assert turnover_of(OpeningFigures(), 202607) == []
    # whatever the figures, the carried turnover ends at the opening balance
    moved = sum((d - c for _m, d, c in turnover_of(f, 202607)), D(0))
    assert moved == f.opening_net


@pytest.mark.parametrize(("figures", "start", "field", "words"), [
    (OpeningFigures(year_debit=D("-1")), 202601, "year_debit", "不能为负数"),
    (OpeningFigures(year_debit=D("1"), year_credit=D("1")), 202601, "year_credit", "只填借方或贷方"),
    (OpeningFigures(ytd_debit=D("1")), 202601, "ytd_debit", "不填本年累计"),
    (OpeningFigures(ytd_credit=D("1")), 202601, "ytd_credit", "2026-01"),
])
def test_row_problems_name_the_field(figures, start, field, words):
    problems = row_problems(figures, start)
    assert words in problems[field]


def test_a_mid_year_row_with_turnover_is_fine():
    assert row_problems(OpeningFigures(year_debit=D("1"), ytd_debit=D("2"), ytd_credit=D("3")), 202607) == {}


def test_trial_balance_of_the_openings():
    rows = [OpeningFigures(year_debit=D("100"), ytd_debit=D("40")),
            OpeningFigures(year_credit=D("100"), ytd_credit=D("40"))]
    assert balance_problems(rows) == []
    assert totals(rows) == OpeningFigures(D("100"), D("100"), D("40"), D("40"))
    off = rows + [OpeningFigures(year_debit=D("0.01"), ytd_credit=D("5"))]
    problems = balance_problems(off)
    assert len(problems) == 2
    assert "年初余额不平衡" in problems[0] and "差额 0.01" in problems[0]
    assert "本年累计发生额不平衡" in problems[1] and "差额 5.00" in problems[1]


def test_sub_accounts_roll_up_to_their_parents():
    leaves = {"112001": OpeningFigures(year_debit=D("30")), "112002": OpeningFigures(year_debit=D("20")),
              "101": OpeningFigures(year_debit=D("7"))}
    parents = {"112001": "112", "112002": "112", "112": None, "101": None}
    rolled = roll_up(leaves, parents)
    assert rolled["112"] == OpeningFigures(year_debit=D("50"))
    assert rolled["112001"] == leaves["112001"] and rolled["101"] == leaves["101"]
    deep = roll_up({"15101": OpeningFigures(year_debit=D("1"))}, {"15101": "151", "151": None})
    assert set(deep) == {"15101", "151"}


def test_no_voucher_before_the_start():
    assert "2026-07 建账" in before_start_problem(202606, 202607)
    assert before_start_problem(202607, 202607) is None
    assert before_start_problem(202401, None) is None
