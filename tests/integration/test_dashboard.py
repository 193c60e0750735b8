"""Dashboard figures against hand-computed books (SQLite and PostgreSQL), the year-close exclusion, the
roll-up by the account tree, and the number of queries a page costs."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, event

from tests.conftest import lines
from tests.integration.conftest import BUY, account
from threeassets.closing.models import PeriodBalance
from threeassets.core.db import transaction
from threeassets.dashboard.rules import window
from threeassets.dashboard.service import dashboard
from threeassets.ledger import service
from threeassets.reports.service import trial_balance

D = Decimal
END = 202404


@pytest.fixture
def books(session, world, post_voucher, sub_account, draft):
    """a1 over 2023-03..2024-05 with bank, receivable and internal sub-accounts; a2 and b1 a little."""
    for parent, suffix, name in [("102", "01", "农行"), ("102", "02", "信用社"), ("501", "01", "租金"),
                                 ("112", "01", "张三"), ("113", "01", "一组"), ("113", "02", "二组")]:
        sub_account(world.a1, parent, suffix, name)
    a1 = [
        (date(2023, 3, 10), ("收到出资", "10201", "301", "10000.00")),   # before the window: opening only
        (date(2023, 12, 5), ("收租金", "101", "50101", "300.00")),
        (date(2024, 1, 20), ("提现", "101", "10201", "1000.00")),
        (date(2024, 2, 5), ("办公费", "513", "101", "250.50")),
        (date(2024, 3, 3), ("补助到账", "10202", "503", "3000.00")),
        (date(2024, 4, 2), ("修路", "514", "10202", "99.99")),
        (date(2024, 4, 10), ("收租金", "10201", "50101", "500.00")),
        (date(2024, 4, 12), ("应收承包费", "11201", "50101", "800.00")),
        (date(2024, 4, 15), ("借给一组", "11301", "101", "60.00")),
        (date(2024, 4, 16), ("二组暂存", "101", "11302", "45.00")),
        (date(2024, 4, 18), ("计提报酬", "513", "212", "1200.00")),
        (date(2024, 4, 22), ("退回多报销", "101", "513", "20.00")),       # expense on its credit side
        (date(2024, 5, 3), ("五月租金", "10201", "50101", "999.00")),     # after the dashboard month
    ]
    for day, (summary, dr, cr, amount) in a1:
        post_voucher(world.a1, day, ((summary, dr, amount, ""), (summary, cr, "", amount)))
    wrong = post_voucher(world.a1, date(2024, 4, 20), (("应付款", "513", "30.00", ""), ("应付款", "211", "", "30.00")))
    with transaction(session):  # 红字冲销 of the 211 voucher: both the expense and the payable go away
        red = service.reverse(session, voucher=wrong, village=world.a1, actor=world.user("accountant"),
                              on=date(2024, 4, 21))
        service.review(session, voucher=red, village=world.a1, actor=world.user("reviewer"))
        service.post(session, voucher=red, village=world.a1, actor=world.user("accountant2"))
    year_close(session, world, date(2023, 12, 31), "50101", "321", "300.00")
    draft(world.a1, date(2024, 4, 28), BUY)
    reviewed = draft(world.a1, date(2024, 4, 29), BUY)
    with transaction(session):
        service.review(session, voucher=reviewed, village=world.a1, actor=world.user("reviewer"))
    post_voucher(world.a2, date(2024, 4, 5), (("出资", "101", "50.00", ""), ("出资", "301", "", "50.00")))
    post_voucher(world.a2, date(2024, 4, 8), (("补助", "102", "800.00", ""), ("补助", "503", "", "800.00")))
    post_voucher(world.b1, date(2024, 4, 5), (("出资", "101", "7777.00", ""), ("出资", "501", "", "7777.00")))
    return world


def year_close(session, world, day, debit, credit, amount):
    """A posted voucher of kind year_close (as the closing feature generates them) in a1."""
    with transaction(session):
        v = service.save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=day,
                               attachments=0, lines=lines(("结转本年收益", debit, amount, ""),
                                                          ("结转本年收益", credit, "", amount)))
        v.kind = "year_close"
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
        service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2"))


def test_village_figures_equal_the_hand_computed_ones(session, books):
    d = dashboard(session, [books.a1.id], END)
    f = d.totals
    assert f.cash == D("1054.50")          # 300 + 1000 - 250.50 - 60 + 45 + 20
    assert f.bank == D("12400.01")         # 10201: 10000 - 1000 + 500; 10202: 3000 - 99.99 (May excluded)
    assert f.income_month == D("1300.00")  # 500 + 800 in 501's sub-account
    assert f.expense_month == D("1279.99")  # 99.99 + 1200 - 20 + 30 - 30 (reversed)
    assert f.income_ytd == D("4300.00")    # March 3000 + April 1300; Dec 2023 is last year
    assert f.expense_ytd == D("1530.49")   # February 250.50 + April
    assert f.receivables == D("860.00")    # 11201 800 + 11301 60 (debit-balance internal)
    assert f.payables == D("1245.00")      # 212 1200 + 11302 45 (credit-balance internal); 211 reversed
    assert (f.drafts, f.reviewed) == (1, 1)
    assert d.figures == {books.a1.id: f}


def test_village_trend_over_twelve_months(session, books):
    trend = dashboard(session, [books.a1.id], END).trend
    assert trend.months == window(END) and trend.months[0] == 202305
    by_month = dict(zip(trend.months, zip(trend.income, trend.expense, trend.cash_bank, strict=True), strict=True))
    assert by_month[202305] == (D(0), D(0), D("10000.00"))
    assert by_month[202312] == (D("300.00"), D(0), D("10300.00"))  # the year-close voucher does not cancel it
    assert by_month[202401] == (D(0), D(0), D("10300.00"))          # cash from the bank: no change in total
    assert by_month[202402] == (D(0), D("250.50"), D("10049.50"))
    assert by_month[202403] == (D("3000.00"), D(0), D("13049.50"))
    assert by_month[202404] == (D("1300.00"), D("1279.99"), D("13454.51"))


def test_balances_agree_with_the_trial_balance(session, books):
    rows = {r.code: r for r in trial_balance(session, [books.a1.id], 202401, END)}
    f = dashboard(session, [books.a1.id], END).totals
    assert f.cash == rows["101"].closing
    assert f.bank == rows["102"].closing


def test_township_totals_and_rows(session, books):
    ids = [books.a1.id, books.a2.id]
    d = dashboard(session, ids, END)
    a2 = d.figures[books.a2.id]
    assert (a2.cash, a2.bank, a2.income_month, a2.expense_month, a2.drafts) == (D("50.00"), D("800.00"),
                                                                                 D("800.00"), D(0), 0)
    t = d.totals
    assert (t.cash, t.bank, t.income_month, t.income_ytd) == (D("1104.50"), D("13200.01"), D("2100.00"),
                                                              D("5100.00"))
    assert (t.receivables, t.payables, t.drafts, t.reviewed) == (D("860.00"), D("1245.00"), 1, 1)
    assert t.cash != D("8881.50")  # b1 (another township) is not summed in
    assert d.trend.cash_bank[-1] == D("14304.51")
    assert d.trend.income[-1] == D("2100.00")


def test_an_earlier_month(session, books):
    f = dashboard(session, [books.a1.id], 202402).totals
    assert (f.cash, f.bank) == (D("1049.50"), D("9000.00"))
    assert (f.income_month, f.expense_month, f.income_ytd) == (D(0), D("250.50"), D(0))


def test_no_villages_and_empty_books(session, world):
    assert dashboard(session, [], END).totals.cash == 0
    d = dashboard(session, [world.a1.id], END)
    assert d.totals.cash_bank == 0 and d.trend.cash_bank == [D(0)] * 12


def _store_balances(session, village, ym: int, balances: dict[str, str]) -> None:
    """Closing balances of a month as the month close stores them (period_balance rows by leaf)."""
    with transaction(session):
        for code, amount in balances.items():
            session.add(PeriodBalance(village_id=village.id, ym=ym, account_id=account(session, village, code).id,
                                      balance=D(amount)))


def test_stored_closing_balances_are_the_starting_point(session, books):
    """Months closed before the window are read from period_balance, not re-added from turnover."""
    _store_balances(session, books.a1, 202303, {"10201": "10000.00", "301": "-10000.00"})
    assert dashboard(session, [books.a1.id], END).totals.bank == D("12400.01")  # same as from turnover
    session.rollback()
    with transaction(session):
        session.execute(delete(PeriodBalance))
    _store_balances(session, books.a1, 202304, {"10201": "10500.00", "11201": "7.00"})  # a marked balance
    d = dashboard(session, [books.a1.id], END)
    assert d.totals.bank == D("12900.01") and d.totals.receivables == D("867.00")
    assert d.trend.cash_bank[0] == D("10500.00")


def test_one_turnover_query_and_one_count_whatever_the_number_of_villages(session, books):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        dashboard(session, [books.a1.id], END)
        one = len(statements)
        statements.clear()
        dashboard(session, [books.a1.id, books.a2.id, books.b1.id], END)
        many = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert one == many == 2
