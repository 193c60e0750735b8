"""Statements and books against a hand-computed year (see the worked figures beside each assertion), and a
property test over random balanced vouchers: the balance sheet balances and 本年收益 is income − expense."""
from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import lines
from tests.integration.conftest import account
from threeassets.core.db import transaction
from threeassets.ledger import service
from threeassets.ledger.chart import add_sub_account, standard_chart
from threeassets.ledger.models import Account
from threeassets.orgs.service import upsert_village
from threeassets.statements import books
from threeassets.statements.service import balance_sheet, income_statement

D = Decimal
SERIAL = count(1)


def post(session, world, village, day: date, spec, kind: str = "normal"):
    """Post a voucher (prepared, reviewed, posted by township A staff); kind marks generated year-end vouchers."""
    with transaction(session):
        v = service.save_draft(session, village=village, actor=world.user("accountant"), voucher_date=day,
                               attachments=0, lines=lines(*spec))
        v.kind = kind
        service.review(session, voucher=v, village=village, actor=world.user("reviewer"))
        service.post(session, voucher=v, village=village, actor=world.user("accountant2"))
    return v


def subs(session, village, parent_code: str, *names: str) -> None:
    """Add sub-accounts 01, 02 … under an account."""
    with transaction(session):
        for i, name in enumerate(names, 1):
            add_sub_account(session, village_id=village.id, parent=account(session, village, parent_code),
                            suffix=f"{i:02d}", name=name, actor=None)


def amounts(st_) -> dict[str, tuple[str, str]]:
    """item → both columns as two-decimal strings."""
    return {ln.item: tuple(f"{v:.2f}" for v in ln.values) for ln in st_.numbered()}


@pytest.fixture
def year(session, world):
    """a1: 2023 closed by generated vouchers, then the first quarter of 2024 (figures in the tests below)."""
    w, a1 = world, world.a1
    subs(session, a1, "102", "农商行")
    subs(session, a1, "113", "张三", "李四")
    subs(session, a1, "322", "未分配收益", "提取公积公益金", "向成员分配")
    p = post
    p(session, w, a1, date(2023, 12, 1), (("出资", "10201", "50000", ""), ("出资", "301", "", "50000")))
    p(session, w, a1, date(2023, 12, 10), (("发包收入", "10201", "2000", ""), ("发包收入", "501", "", "2000")))
    p(session, w, a1, date(2023, 12, 31), (("结转", "501", "2000", ""), ("结转", "321", "", "2000")), "year_close")
    p(session, w, a1, date(2023, 12, 31), (("结转", "321", "2000", ""), ("结转", "32201", "", "2000")), "carry")
    spec_2024 = [
        (date(2024, 1, 5), (("张三借款", "11301", "300", ""), ("张三借款", "10201", "", "300"))),
        (date(2024, 1, 8), (("李四预交", "10201", "500", ""), ("李四预交", "11302", "", "500"))),
        (date(2024, 2, 3), (("提现", "101", "1000", ""), ("提现", "10201", "", "1000"))),
        (date(2024, 2, 10), (("租金", "10201", "8000", ""), ("租金", "501", "", "8000"))),
        (date(2024, 2, 15), (("办公费", "513", "600", ""), ("办公费", "101", "", "600"))),
        (date(2024, 3, 1), (("买设备", "151", "20000", ""), ("买设备", "10201", "", "20000"))),
        (date(2024, 3, 20), (("补助", "10201", "3000", ""), ("补助", "503", "", "3000"))),
        (date(2024, 3, 25), (("修路", "514", "700", ""), ("修路", "10201", "", "700"))),
        (date(2024, 3, 26), (("提取公积公益金", "32202", "400", ""), ("提取公积公益金", "311", "", "400"))),
        (date(2024, 3, 27), (("成员分配", "32203", "200", ""), ("成员分配", "211", "", "200"))),
        (date(2024, 3, 28), (("公积公益金弥补", "311", "50", ""), ("公积公益金弥补", "32201", "", "50"))),
        (date(2024, 3, 31), (("折旧", "513", "100", ""), ("折旧", "152", "", "100"))),
    ]
    for day, spec in spec_2024:
        p(session, w, a1, day, spec)
    return w


def test_balance_sheet_by_hand(session, year):
    st_ = balance_sheet(session, [year.a1.id], 202403, "甲一村")
    got = amounts(st_)
    # 10201: 50000 + 2000 - 300 + 500 - 1000 + 8000 - 20000 + 3000 - 700 = 41500; 101: 1000 - 600 = 400
    assert got["货币资金"] == ("52000.00", "41900.00")
    assert got["应收款项"] == ("0.00", "300.00")  # 11301 张三 debit; 11302 李四's credit goes to 应付款项
    assert got["应付款项"] == ("0.00", "700.00")  # 211: 200 + 11302: 500
    assert (got["固定资产原值"], got["累计折旧"], got["固定资产净值"]) == (
        ("0.00", "20000.00"), ("0.00", "100.00"), ("0.00", "19900.00"))
    assert got["流动资产合计"] == ("52000.00", "42200.00")
    assert got["资产总计"] == ("52000.00", "62100.00")
    assert got["公积公益金"] == ("0.00", "350.00")  # 400 - 50
    # 322: 2000 + 50 - 400 - 200 = 1450 credit, plus the year's unclosed result 8000 + 3000 - 700 - 700 = 9600
    assert got["未分配收益"] == ("2000.00", "11050.00")
    assert got["负债合计"] == ("0.00", "700.00")
    assert got["负债和所有者权益总计"] == ("52000.00", "62100.00")
    assert st_.value("资产总计") == st_.value("负债和所有者权益总计")


def test_income_statement_by_hand(session, year):
    got = amounts(income_statement(session, [year.a1.id], 202403, "甲一村"))
    #                           March (本月数)   January..March (本年累计数)
    assert got["经营收入"] == ("0.00", "8000.00")
    assert got["管理费用"] == ("100.00", "700.00")
    assert got["经营收益"] == ("-100.00", "7300.00")
    assert got["补助收入"] == ("3000.00", "3000.00")
    assert got["公益支出"] == ("700.00", "700.00")
    assert got["收益总额"] == ("2200.00", "9600.00")
    assert got["本年收益"] == ("2200.00", "9600.00")
    # 本月数 reads 年初 as the start of the month: 2000 + (8000 - 600) by the end of February
    assert got["年初未分配收益"] == ("9400.00", "2000.00")
    assert got["其他转入"] == ("50.00", "50.00")  # 公积公益金弥补 credited to 32201
    assert got["可分配收益"] == ("11650.00", "11650.00")
    assert got["提取公积公益金"] == ("400.00", "400.00")
    assert got["向成员分配"] == ("200.00", "200.00")
    assert got["其他分配"] == ("0.00", "0.00")
    assert got["年末未分配收益"] == ("11050.00", "11050.00")  # = the balance sheet's 未分配收益


def test_year_close_vouchers_do_not_empty_the_income_statement(session, year):
    w, a1 = year, year.a1
    post(session, w, a1, date(2024, 12, 31), (("结转", "501", "8000", ""), ("结转", "503", "3000", ""),
                                              ("结转", "513", "", "700"), ("结转", "514", "", "700"),
                                              ("结转", "321", "", "9600")), "year_close")
    post(session, w, a1, date(2024, 12, 31), (("结转", "321", "9600", ""), ("结转", "32201", "", "9600")), "carry")
    post(session, w, a1, date(2024, 12, 31), (("结转", "32201", "600", ""), ("结转", "32202", "", "400"),
                                              ("结转", "32203", "", "200")), "carry")
    got = amounts(income_statement(session, [a1.id], 202412, "甲一村"))
    assert got["本年收益"] == ("0.00", "9600.00")
    assert got["提取公积公益金"] == ("0.00", "400.00")
    assert got["年末未分配收益"] == ("11050.00", "11050.00")
    bs = amounts(balance_sheet(session, [a1.id], 202412, "甲一村"))
    assert bs["未分配收益"] == ("2000.00", "11050.00")  # now all in 32201
    assert bs["资产总计"] == bs["负债和所有者权益总计"] == ("52000.00", "62100.00")
    detail = books.income_expense_detail(session, [a1.id], 202412)
    assert detail.totals["收支差额"] == (D("0"), D("9600.00"))


def test_township_splits_internal_accounts_village_by_village(session, year):
    w = year
    subs(session, w.a2, "113", "王五")  # the same code 11301 as a1's 张三, but a credit balance
    post(session, w, w.a2, date(2024, 2, 1), (("王五预交", "102", "80", ""), ("王五预交", "11301", "", "80")))
    post(session, w, w.b1, date(2024, 2, 1), (("出资", "102", "999", ""), ("出资", "301", "", "999")))  # not in A
    got = amounts(balance_sheet(session, [w.a1.id, w.a2.id], 202403, "甲镇（汇总）"))
    assert got["应收款项"] == ("0.00", "300.00")  # not 300 - 80 as a consolidation by code would give
    assert got["应付款项"] == ("0.00", "780.00")  # 700 of a1, 80 of a2
    assert got["货币资金"] == ("52000.00", "41980.00")
    assert got["资产总计"][1] == got["负债和所有者权益总计"][1] == "62180.00"


def test_general_ledger_by_hand(session, year):
    ledger = {a.code: a for a in books.general_ledger(session, [year.a1.id], 202403)}
    bank = ledger["102"]
    assert bank.opening == D("52000.00")
    rows = [(m, r.debit, r.credit, r.side, abs(r.balance), y.debit, y.credit) for m, r, y in bank.months]
    assert rows == [(202401, D("500.00"), D("300.00"), "借", D("52200.00"), D("500.00"), D("300.00")),
                    (202402, D("8000.00"), D("1000.00"), "借", D("59200.00"), D("8500.00"), D("1300.00")),
                    (202403, D("3000.00"), D("20700.00"), "借", D("41500.00"), D("11500.00"), D("22000.00"))]
    assert ledger["152"].months[-1][1].side == "贷"
    assert "113" in ledger and ledger["113"].months[-1][1].balance == D("-200.00")  # 300 - 500, rolled up


def test_journals_add_day_month_and_year_lines(session, year):
    a1 = year.a1
    cash = books.journal(session, a1.id, account(session, a1, "101"), 202402, 202402, "cash")
    assert [(r.kind, r.summary, r.debit, r.credit, r.balance) for r in cash.rows] == [
        ("opening", "期初余额", D("0"), D("0"), D("0.00")),
        ("entry", "提现", D("1000.00"), D("0.00"), D("1000.00")),
        ("day", "本日合计", D("1000.00"), D("0.00"), D("1000.00")),
        ("entry", "办公费", D("0.00"), D("600.00"), D("400.00")),
        ("day", "本日合计", D("0.00"), D("600.00"), D("400.00")),
        ("month", "本月合计", D("1000.00"), D("600.00"), D("400.00")),
        ("year", "本年累计", D("1000.00"), D("600.00"), D("400.00"))]
    bank = books.journal(session, a1.id, account(session, a1, "10201"), 202403, 202403, "bank")
    totals = {r.summary: (r.debit, r.credit, r.balance) for r in bank.rows if r.kind in ("month", "year")}
    assert bank.rows[0].balance == D("59200.00")
    assert totals == {"本月合计": (D("3000.00"), D("20700.00"), D("41500.00")),
                      "本年累计": (D("11500.00"), D("22000.00"), D("41500.00"))}
    ledger = books.journal(session, a1.id, account(session, a1, "113"), 202401, 202403, "ledger")
    assert not any(r.kind == "day" for r in ledger.rows)
    assert ledger.closing == D("-200.00")


def test_income_expense_detail_matches_the_income_statement(session, year):
    detail = books.income_expense_detail(session, [year.a1.id], 202403)
    assert {r.code: (r.current, r.year_to_date) for r in detail.income if r.level == 1} == {
        "501": (D("0"), D("8000.00")), "502": (D("0"), D("0")), "503": (D("3000.00"), D("3000.00")),
        "504": (D("0"), D("0"))}
    assert detail.totals == {"收入合计": (D("3000.00"), D("11000.00")), "支出合计": (D("800.00"), D("1400.00")),
                             "收支差额": (D("2200.00"), D("9600.00"))}
    assert [r.code for r in detail.expense] == ["511", "512", "513", "514", "515", "521"]


# ---- property: any balanced vouchers over the 2023 chart ----------------------------------------------------

PROPERTY = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
CHART = [r["code"] for r in standard_chart()]
# 113 and 322 get sub-accounts (so they are split and read by kind); every other account is a leaf.
LEAVES = [c for c in CHART if c not in ("113", "322")] + ["11301", "11302", "32201", "32202", "32203"]
PL = {r["code"]: r["category"] for r in standard_chart() if r["category"] in ("income", "expense")}

# Generated (year-close kind) vouchers only move amounts among income, expense, 321 and 322, as a year close does.
CLOSING = [*PL, "321", "32201"]


def _voucher(codes: list[str], generated: bool):
    """(month, day, debit lines, credit code, generated) over the given accounts."""
    line = st.tuples(st.sampled_from(codes), st.integers(1, 900_000_00))
    return st.tuples(st.integers(1, 12), st.integers(1, 28), st.lists(line, min_size=1, max_size=4),
                     st.sampled_from(codes), st.just(generated))


voucher = st.one_of(_voucher(LEAVES, False), _voucher(LEAVES, False), _voucher(CLOSING, True))


def _village(session, world):
    """A fresh village with the sub-accounts the property uses."""
    with transaction(session):
        v = upsert_village(session, world.township_a, f"S{next(SERIAL)}", "随机村")
    subs(session, v, "113", "甲", "乙")
    subs(session, v, "322", "未分配收益", "提取公积公益金", "向成员分配")
    return v


def _post_random(session, world, village, vouchers) -> Decimal:
    """Post the vouchers (debit lines, one balancing credit line; some as year-close kind); return the P&L net
    (credit − debit on income and expense accounts) of the ordinary vouchers."""
    net = D(0)
    for month, day, debits, credit_code, generated in sorted(vouchers):
        total = sum(fen for _c, fen in debits)
        spec = [("随机", code, f"{D(fen).scaleb(-2):.2f}", "") for code, fen in debits]
        spec.append(("随机", credit_code, "", f"{D(total).scaleb(-2):.2f}"))
        post(session, world, village, date(2024, month, day), spec, "year_close" if generated else "normal")
        if not generated:
            net -= sum((D(fen).scaleb(-2) for code, fen in debits if code in PL), D(0))
            net += D(total).scaleb(-2) if credit_code in PL else D(0)
    return net


@PROPERTY
@given(st.lists(voucher, min_size=1, max_size=8), st.integers(1, 12))
def test_any_balanced_vouchers_give_a_balanced_sheet_and_the_pl_net(session, world, vouchers, upto):
    village = _village(session, world)
    net = _post_random(session, world, village, [v for v in vouchers if v[0] <= upto])
    ym = 202400 + upto
    bs = balance_sheet(session, [village.id], ym, "随机村")
    assert bs.value("资产总计", 0) == bs.value("负债和所有者权益总计", 0)
    assert bs.value("资产总计") == bs.value("负债和所有者权益总计")
    st_ = income_statement(session, [village.id], ym, "随机村")
    assert st_.value("本年收益") == net
    assert st_.value("年末未分配收益") == bs.value("未分配收益")
    detail = books.income_expense_detail(session, [village.id], ym)
    assert detail.totals["收支差额"][1] == net


def test_layout_accounts_exist_in_a_new_village(session, world):
    codes = set(session.scalars(select(Account.code).where(Account.village_id == world.a1.id)))
    from threeassets.statements.rules import accounts_of
    from threeassets.statements.service import BS_LINES, pl_codes
    assert {ref.split(":")[0] for ref in accounts_of(BS_LINES, pl_codes())} <= codes


def test_after_the_real_year_close(session, world, post_voucher):
    """The closing package's year close (generated year_close and carry vouchers): the statements still show
    the year, December's 本月数 only December's own movements, and 2025 opens with the result in 未分配收益."""
    from tests.integration.test_year_close import close_to_november, year_close
    a1 = world.a1
    for day, spec in [
        (date(2024, 1, 2), (("出资", "102", "20000", ""), ("出资", "301", "", "20000"))),
        (date(2024, 3, 5), (("租金", "102", "500", ""), ("租金", "501", "", "500"))),
        (date(2024, 6, 8), (("补助", "102", "1000", ""), ("补助", "503", "", "1000"))),
        (date(2024, 12, 20), (("保洁", "514", "300", ""), ("保洁", "102", "", "300"))),
    ]:
        post_voucher(a1, day, spec)
    close_to_november(session, a1)
    year_close(session, a1, 2024, world.user("accountant"))
    got = amounts(income_statement(session, [a1.id], 202412, "甲一村"))
    assert got["经营收入"] == ("0.00", "500.00")
    assert got["公益支出"] == ("300.00", "300.00")
    assert got["本年收益"] == ("-300.00", "1200.00")
    assert got["年末未分配收益"] == ("1200.00", "1200.00")
    bs = amounts(balance_sheet(session, [a1.id], 202412, "甲一村"))
    assert bs["未分配收益"] == ("0.00", "1200.00") and bs["资产总计"] == bs["负债和所有者权益总计"]
    jan = amounts(balance_sheet(session, [a1.id], 202501, "甲一村"))
    assert jan["未分配收益"] == ("1200.00", "1200.00") and jan["货币资金"] == ("21200.00", "21200.00")
    assert amounts(income_statement(session, [a1.id], 202501, "甲一村"))["年初未分配收益"] == ("1200.00", "1200.00")
