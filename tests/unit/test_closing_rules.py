"""Pure closing rules: month arithmetic, numbering, month order, which month may close, year-end lines."""
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threeassets.auth.rules import permissions_of
from threeassets.closing.rules import (
    Balance,
    MonthCounts,
    PeriodFacts,
    carry_lines,
    closing_lines,
    content_problems,
    number_problems,
    order_problems,
    period_actions,
    period_refusal,
    refusal,
    timing_problems,
    year_facts,
)
from threeassets.core.periods import months_of

TODAY = date(2026, 12, 6)

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


def test_a_month_closes_from_its_last_day_on():
    assert timing_problems(202612, date(2026, 11, 30)) == ["2026-12 尚未开始"]
    assert timing_problems(202611, date(2026, 11, 29)) == ["2026-11 尚未结束，11 月 30 日起可结账"]
    assert timing_problems(202402, date(2024, 2, 1), "年结") == ["2024-02 尚未结束，2 月 29 日起可年结"]
    assert timing_problems(202611, date(2026, 11, 30)) == [] and timing_problems(202611, date(2026, 12, 1)) == []
    assert timing_problems(202401, date(2026, 11, 3)) == []


def test_refusal_names_every_problem():
    assert refusal(202405, ["有 1 张凭证未审核", "之前的期间 2024-04 尚未结账"]) == \
        "2024-05 不能结账：有 1 张凭证未审核；之前的期间 2024-04 尚未结账"


# ---------------------------------------------------------------- who may close, year-close and reopen a month

def offered(statuses: dict[int, str], before: dict[int, str] | None = None, role: str = "agency_head",
            year: int = 2024, today: date = TODAY) -> dict[str, list[int]]:
    """The months of a year the closing page offers each action on, as year_overview builds their facts."""
    out: dict[str, list[int]] = {"close": [], "year_close": [], "reopen": []}
    for facts in year_facts(year, statuses, before or {}, today):
        for action in period_actions(facts, permissions_of(role)):
            out[action].append(facts.ym)
    return out


def test_close_is_offered_on_the_first_open_month():
    assert offered({202401: "closed", 202403: "open", 202404: "open"})["close"] == [202403]
    assert offered({202401: "closed"})["close"] == []
    assert offered({202403: "open"}, before={202311: "closed"})["close"] == []  # 2023 not year-closed: blocked
    assert offered({m: "closed" for m in months_of(2024)[:11]} | {202412: "open"})["close"] == []  # 年结


def test_year_close_is_offered_on_december():
    closed_to_nov = {m: "closed" for m in months_of(2024)[:11]}
    assert offered(closed_to_nov | {202412: "open"})["year_close"] == [202412]
    assert offered({})["year_close"] == [202412]                            # a year without books still closes
    assert offered({202403: "closed"})["year_close"] == [202412]             # months without books do not block
    assert offered({202405: "open"})["year_close"] == []
    assert offered(closed_to_nov | {202412: "closed"})["year_close"] == []  # already year-closed
    assert offered(closed_to_nov, before={202305: "open"})["year_close"] == []


def test_reopen_is_offered_on_every_closed_month():
    assert offered({202401: "closed", 202402: "closed", 202403: "open"})["reopen"] == [202401, 202402]
    assert offered({202401: "closed"}, before={202311: "closed"})["reopen"] == [202401]  # blocked or not


def test_a_month_not_yet_ended_is_not_offered():
    assert offered({202611: "closed", 202612: "open"}, year=2026, today=date(2026, 11, 30))["close"] == []
    assert offered({202610: "closed", 202611: "open"}, year=2026, today=date(2026, 11, 29))["close"] == []
    assert offered({202610: "closed", 202611: "open"}, year=2026, today=date(2026, 11, 30))["close"] == [202611]
    closed_to_nov = {m: "closed" for m in months_of(2026)[:11]}
    assert offered(closed_to_nov, year=2026, today=date(2026, 12, 30))["year_close"] == []
    assert offered(closed_to_nov, year=2026, today=date(2026, 12, 31))["year_close"] == [202612]


def _month(role: str, status: str | None, ym: int = 202405) -> list[str]:
    """What a role may do to a month whose earlier months are all closed (2024-03; 2023 year-closed)."""
    facts = PeriodFacts(ym, status, TODAY, {202311: "closed", 202312: "closed", 202403: "closed"})
    return period_actions(facts, permissions_of(role))


@pytest.mark.parametrize("role, status, ym, expected", [
    ("agency_head", "open", 202405, ["close"]),
    ("agency_accountant", "open", 202405, ["close"]),
    ("agency_head", "closed", 202405, ["reopen"]),  # 反结账 is the agency head's
    ("agency_accountant", "closed", 202405, []),
    ("agency_head", None, 202405, []),  # no books: nothing to close
    ("agency_head", "open", 202412, ["year_close"]),  # December closes by 年结
    ("agency_accountant", None, 202412, ["year_close"]),
    ("agency_head", "closed", 202412, ["reopen"]),
    ("reviewer", "open", 202405, []),
    ("reviewer", "closed", 202412, []),
    ("village_accountant", "open", 202405, []),
    ("county_supervisor", "closed", 202405, []),
])
def test_period_actions(role, status, ym, expected):
    assert _month(role, status, ym) == expected


def test_period_refusal_says_why():
    earlier = {202403: "closed", 202404: "open"}
    assert period_refusal(PeriodFacts(202412, "open", TODAY), "close") == \
        "2024-12 是年末月份，请执行年结（结转本年收益后结账）"
    assert period_refusal(PeriodFacts(202405, "closed", TODAY), "close") == "2024-05 已结账"
    assert period_refusal(PeriodFacts(202405, "open", TODAY, earlier, ("有 1 张凭证未审核",)), "close") == \
        "2024-05 不能结账：有 1 张凭证未审核；之前的期间 2024-04 尚未结账"
    assert period_refusal(PeriodFacts(202701, None, TODAY), "close") == "2027-01 不能结账：2027-01 尚未开始"
    assert period_refusal(PeriodFacts(202412, "closed", TODAY), "year_close") == \
        "2024 年已年结；如需调整，请由中心主任对 2024-12 反结账后重新年结"
    assert period_refusal(PeriodFacts(202412, "open", TODAY, earlier), "year_close") == \
        "2024-12 不能年结：之前的期间 2024-04 尚未结账"
    assert period_refusal(PeriodFacts(202405, "open", TODAY), "year_close") == "2024-05 不是年末月份，年结在 12 月办理"
    assert period_refusal(PeriodFacts(202405, "open", TODAY), "reopen") == "2024-05 未结账，无需反结账"
    assert period_refusal(PeriodFacts(202405, None, TODAY), "reopen") == "2024-05 未结账，无需反结账"
    assert period_refusal(PeriodFacts(202405, "closed", TODAY, earlier), "reopen") is None
    assert period_refusal(PeriodFacts(202405, None, TODAY), "close") is None  # asked for by name, it closes


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
    assert sum(ln[2] for ln in lines) == sum(ln[3] for ln in lines) == D("1500.50")  # a balanced voucher


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
