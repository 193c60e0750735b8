"""Pure closing rules: month arithmetic, numbering, month order, which month may close, year-end lines."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threeassets.closing.rules import (
    Balance,
    MonthCounts,
    carry_lines,
    closing_lines,
    content_problems,
    next_closable,
    number_problems,
    order_problems,
    refusal,
    timing_problems,
    voucher_total,
    year_closable,
)
from threeassets.core.periods import months_of

D = Decimal


@pytest.mark.parametrize("numbers, last, expected", [
    ([], 0, []),
    ([1, 2, 3], 3, []),
    ([3, 1, 2], 3, []),
    ([1, 3], 3, ["凭证号不连续，缺少 记-0002"]),
    ([1, 2, 2], 3, ["凭证号重复：记-0002", "凭证号不连续，缺少 记-0003"]),
    ([1, 2, 5], 3, ["凭证号不连续，缺少 记-0003", "凭证号超出本月编号 1–3：记-0005"]),
    ([], 2, ["凭证号不连续，缺少 记-0001、记-0002"]),
])
def test_number_problems(numbers, last, expected):
    assert number_problems(numbers, last) == expected


def test_many_missing_numbers_are_summarised():
    msg = number_problems([20], 20)[0]
    assert msg.startswith("凭证号不连续，缺少 记-0001、") and msg.endswith("等19个")


def test_content_problems_name_drafts_and_reviewed():
    assert content_problems(MonthCounts(2, 1, 3), [1, 2, 3], 3) == ["有 2 张凭证未审核", "有 1 张凭证已审核未记账"]
    assert content_problems(MonthCounts(0, 0, 3), [1, 2, 3], 3) == []


@pytest.mark.parametrize("ym, earlier, expected", [
    (202405, {}, []),                                                  # first month ever
    (202405, {202401: "closed", 202403: "closed"}, []),                # February, April had no books
    (202405, {202403: "closed", 202404: "open"}, ["之前的期间 2024-04 尚未结账"]),
    (202401, {202311: "closed", 202312: "closed"}, []),                # last year closed
    (202401, {202311: "closed"}, ["2023 年尚未年结"]),                 # last year has books, December not closed
    (202403, {202312: "open", 202401: "closed"}, ["之前的期间 2023-12 尚未结账", "2023 年尚未年结"]),
])
def test_order_problems(ym, earlier, expected):
    assert order_problems(ym, earlier) == expected


def test_a_month_that_has_not_begun_cannot_close():
    assert timing_problems(202612, 202611) == ["2026-12 尚未开始"]
    assert timing_problems(202611, 202611) == [] and timing_problems(202401, 202611) == []


def test_refusal_names_every_problem():
    assert refusal(202405, ["有 1 张凭证未审核", "之前的期间 2024-04 尚未结账"]) == \
        "2024-05 不能结账：有 1 张凭证未审核；之前的期间 2024-04 尚未结账"


def test_next_closable_is_the_first_open_month():
    assert next_closable(2024, {202401: "closed", 202403: "open", 202404: "open"}) == 202403
    assert next_closable(2024, {202401: "closed"}) is None
    assert next_closable(2024, {202403: "open"}, blocked=True) is None
    assert next_closable(2024, {m: "closed" for m in months_of(2024)[:11]} | {202412: "open"}) is None  # 年结


def test_year_closable():
    closed_to_nov = {m: "closed" for m in months_of(2024)[:11]}
    assert year_closable(2024, closed_to_nov | {202412: "open"})
    assert year_closable(2024, {})                                       # a year without books still closes
    assert year_closable(2024, {202403: "closed"})                       # months without books do not block
    assert not year_closable(2024, {202405: "open"})
    assert not year_closable(2024, closed_to_nov | {202412: "closed"})  # already year-closed
    assert not year_closable(2024, closed_to_nov, blocked=True)


def test_closing_lines_zero_income_and_expense_into_current_result():
    pl = [Balance(1, "501", "经营收入", D("-1000.00")), Balance(2, "513", "管理费用", D("300.00")),
          Balance(3, "514", "公益支出", D("0")), Balance(4, "503", "补助收入", D("-200.50"))]
    lines = closing_lines(pl, 99)
    assert lines == [
        (1, "结转经营收入", D("1000.00"), D("0")),
        (4, "结转补助收入", D("200.50"), D("0")),
        (2, "结转管理费用", D("0"), D("300.00")),
        (99, "结转本年收入", D("0"), D("1200.50")),
        (99, "结转本年支出", D("300.00"), D("0")),
    ]
    assert voucher_total(lines) == sum(ln[3] for ln in lines) == D("1500.50")


def test_closing_lines_of_a_quiet_year_are_empty():
    assert closing_lines([Balance(1, "501", "经营收入", D("0"))], 99) == []


def test_an_abnormal_balance_is_zeroed_on_its_own_side():
    # An expense account left with a credit balance (a refund) is debited; the target takes it as income.
    lines = closing_lines([Balance(2, "513", "管理费用", D("-50.00"))], 99)
    assert lines == [(2, "结转管理费用", D("50.00"), D("0")), (99, "结转本年收入", D("0"), D("50.00"))]


def test_carry_lines_move_balances_to_the_target():
    sources = [(Balance(10, "321", "本年收益", D("-900.00")), "本年收益转入未分配收益"),
               (Balance(11, "32202", "各项分配", D("100.00")), "各项分配转入未分配收益"),
               (Balance(12, "32201", "未分配收益", D("-5.00")), "skip: the target itself"),
               (Balance(13, "32203", "其他", D("0")), "skip: zero")]
    assert carry_lines(sources, 12) == [
        (10, "本年收益转入未分配收益", D("900.00"), D("0")), (12, "本年收益转入未分配收益", D("0"), D("900.00")),
        (11, "各项分配转入未分配收益", D("0"), D("100.00")), (12, "各项分配转入未分配收益", D("100.00"), D("0")),
    ]


amounts = st.decimals(min_value=D("-99999.99"), max_value=D("99999.99"), places=2)


@given(st.lists(amounts, max_size=12))
def test_closing_lines_balance_and_zero_every_account(nets):
    pl = [Balance(i, f"5{i:02d}", f"科目{i}", n) for i, n in enumerate(nets, start=1)]
    lines = closing_lines(pl, 0)
    assert sum(ln[2] for ln in lines) == sum(ln[3] for ln in lines)
    after = {b.account_id: b.net for b in pl} | {0: D(0)}
    for aid, _s, debit, credit in lines:
        assert debit >= 0 and credit >= 0 and not (debit and credit)
        after[aid] += debit - credit
    assert all(after[b.account_id] == 0 for b in pl)
    assert after[0] == sum(nets, D(0))  # the target holds the net: credit = profit
