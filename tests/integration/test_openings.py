"""Opening balances (期初余额): saved as a whole set, read by the trial balance, the balance sheet's 年初数 and
the income statement's year-to-date as openings, never as activity; the start month's rules."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select, text

from tests.conftest import lines
from threeassets.closing.service import close_period
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.ledger import service
from threeassets.ledger.models import Account, AccountTurnover
from threeassets.ledger.openings import service as openings
from threeassets.ledger.openings.rules import OpeningFigures, seal_of
from threeassets.ledger.rules import LedgerError
from threeassets.reports.service import tb_totals, trial_balance
from threeassets.statements.service import balance_sheet, income_statement

Row = openings.OpeningRow


def year_open(code, debit="0", credit="0", name=""):
    return Row(code, OpeningFigures(year_debit=D(debit), year_credit=D(credit)), name=name)


JANUARY = [year_open("101", debit="1000"), year_open("102", debit="5000"),
           year_open("112001", debit="300", name="张三"), year_open("211", credit="800"),
           year_open("301", credit="4000"), year_open("322", credit="1500")]


def save(session, world, rows, start, village=None):
    with transaction(session):
        return openings.save_openings(session, village=village or world.a1, start_ym=start, rows=rows,
                                      actor=world.user("accountant"))


def post(session, world, day, spec, village=None):
    village = village or world.a1
    with transaction(session):
        v = service.save_draft(session, village=village, actor=world.user("accountant"), voucher_date=day,
                               attachments=0, lines=lines(*spec))
        service.review(session, voucher=v, village=village, actor=world.user("reviewer"))
        service.post(session, voucher=v, village=village, actor=world.user("accountant2"))
    return v


def tb(session, world, start, end):
    return {r.code: r for r in trial_balance(session, [world.a1.id], start, end)}


def test_january_openings_are_the_trial_balance_opening_and_the_balance_sheets_year_start(session, world):
    start = save(session, world, JANUARY, 202601)
    assert start.balanced and start.start_ym == 202601
    post(session, world, date(2026, 1, 10), (("办公费", "513", "100", ""), ("办公费", "101", "", "100")))

    rows = tb(session, world, 202601, 202601)
    assert rows["101"].opening == D("1000") and rows["101"].credit == D("100") and rows["101"].debit == 0
    assert rows["112"].opening == D("300") and rows["112001"].opening == D("300")
    assert rows["211"].opening == D("-800") and rows["322"].opening == D("-1500")
    opening_dr, opening_cr, *_ = tb_totals(list(rows.values()))
    assert opening_dr == opening_cr == D("6300")

    bs = balance_sheet(session, [world.a1.id], 202601, "甲一村")
    assert bs.value("货币资金", 0) == D("6000") and bs.value("货币资金", 1) == D("5900")
    assert bs.value("应收款项", 0) == D("300") and bs.value("应付款项", 0) == D("800")
    assert bs.value("资本", 0) == D("4000") and bs.value("未分配收益", 0) == D("1500")
    assert bs.value("资产总计", 0) == bs.value("负债和所有者权益总计", 0) == D("6300")
    assert bs.value("资产总计", 1) == bs.value("负债和所有者权益总计", 1) == D("6200")

    inc = income_statement(session, [world.a1.id], 202601, "甲一村")
    assert inc.value("年初未分配收益", 1) == D("1500")
    assert inc.value("其他转入", 1) == 0  # the carried profit is not "other transfers in"
    assert inc.value("管理费用", 0) == D("100")


def test_a_mid_year_start_brings_the_years_turnover_so_far(session, world):
    rows = [year_open("101", debit="1000"), year_open("301", credit="1000"),
            Row("102", OpeningFigures(ytd_debit=D("3000"))), Row("501", OpeningFigures(ytd_credit=D("3000"))),
            Row("513", OpeningFigures(ytd_debit=D("500"))), Row("101", OpeningFigures(ytd_credit=D("500")))]
    rows = [r for r in rows if r.code != "101"] + [Row("101", OpeningFigures(
        year_debit=D("1000"), ytd_credit=D("500")))]
    save(session, world, rows, 202607)
    post(session, world, date(2026, 7, 3), (("租金", "102", "200", ""), ("租金", "501", "", "200")))

    july = tb(session, world, 202607, 202607)
    assert july["101"].opening == D("500") and july["102"].opening == D("3000")
    assert july["501"].opening == D("-3000") and july["501"].credit == D("200")
    inc = income_statement(session, [world.a1.id], 202607, "甲一村")
    assert inc.value("经营收入", 0) == D("200") and inc.value("经营收入", 1) == D("3200")
    assert inc.value("管理费用", 0) == 0 and inc.value("管理费用", 1) == D("500")
    bs = balance_sheet(session, [world.a1.id], 202607, "甲一村")
    assert bs.value("货币资金", 0) == D("1000")  # 年初数: 1 January
    assert bs.value("货币资金", 1) == D("3700")  # 1000 − 500 + 3000 + 200
    assert bs.value("资产总计", 1) == bs.value("负债和所有者权益总计", 1)

    with pytest.raises(LedgerError, match="2026-07 建账"), transaction(session):
        service.save_draft(session, village=world.a1, actor=world.user("accountant"),
                           voucher_date=date(2026, 6, 30), attachments=0,
                           lines=lines(("x", "101", "1", ""), ("x", "102", "", "1")))


def test_unbalanced_openings_are_kept_but_nothing_posts_until_they_balance(session, world):
    start = save(session, world, JANUARY[:-1], 202601)  # 322 left out: 6300 against 4800
    assert not start.balanced
    with transaction(session):
        v = service.save_draft(session, village=world.a1, actor=world.user("accountant"),
                               voucher_date=date(2026, 1, 5), attachments=0,
                               lines=lines(("x", "513", "1", ""), ("x", "101", "", "1")))
        service.review(session, voucher=v, village=world.a1, actor=world.user("reviewer"))
    with pytest.raises(LedgerError, match="试算不平衡"), transaction(session):
        service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2"))
    assert save(session, world, JANUARY, 202601).balanced
    with transaction(session):
        assert service.post(session, voucher=v, village=world.a1, actor=world.user("accountant2")) == 1

    turnover_before = session.scalar(select(func.count()).select_from(AccountTurnover))
    with pytest.raises(openings.OpeningsInvalid) as refused:
        save(session, world, JANUARY[:-1], 202601)
    assert any("必须试算平衡" in why for _w, _c, why in refused.value.problems)
    session.rollback()
    assert openings.start_of(session, world.a1.id).balanced
    assert session.scalar(select(func.count()).select_from(AccountTurnover)) == turnover_before


def test_saving_again_replaces_the_figures_and_moves_the_start(session, world):
    save(session, world, JANUARY, 202601)
    again = [year_open("101", debit="70"), year_open("301", credit="70")]
    start = save(session, world, again, 202603)
    rows = tb(session, world, 202603, 202603)
    assert rows["101"].opening == D("70") and rows["301"].opening == D("-70")
    assert all(rows[c].opening == 0 for c in ("102", "112001", "211") if c in rows)  # the old figures are gone
    assert start.seal == seal_of(202603, [("101", again[0].figures), ("301", again[1].figures)])
    audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "opening.save")
                             .order_by(AuditEvent.id)).all()
    assert len(audits) == 2 and start.seal in audits[-1].detail and "2026-01" in audits[-1].detail


def test_row_errors_name_the_account_and_write_nothing(session, world):
    bad = [year_open("999", debit="1"), year_open("112", debit="1"), year_open("101", debit="1", credit="1"),
           Row("102", OpeningFigures(ytd_debit=D("5")))]
    save(session, world, [year_open("112001", debit="1", name="张三"), year_open("301", credit="1")], 202601)
    with pytest.raises(openings.OpeningsInvalid) as refused:
        save(session, world, bad, 202601)
    reasons = [why for _w, _c, why in refused.value.problems]
    assert any("999" in r for r in reasons)
    assert any("有下级科目" in r for r in reasons)
    assert any("只填借方或贷方" in r for r in reasons)
    assert any("不填本年累计" in r for r in reasons)
    session.rollback()
    assert set(openings.figures_of(session, world.a1.id)) == {"112001", "301"}


def test_a_closed_start_month_locks_the_openings_and_earlier_vouchers_refuse_a_later_start(session, world):
    save(session, world, JANUARY, 202601)
    with transaction(session):
        close_period(session, world.a1, 202601, world.user("accountant"))
    with pytest.raises(openings.OpeningsInvalid, match="已结账"):
        save(session, world, JANUARY, 202601)
    session.rollback()

    post(session, world, date(2026, 2, 1), (("x", "513", "1", ""), ("x", "101", "", "1")), village=world.a2)
    with pytest.raises(openings.OpeningsInvalid, match="建账月份不能晚于 2026-02"):
        save(session, world, JANUARY, 202603, village=world.a2)


# ---------------------------------------------------------------- verify


def _verify(session, code=None):
    from threeassets.closing.verify import verify_books
    session.rollback()
    return verify_books(session, code).problems


def test_books_with_openings_verify_at_january_and_mid_year_with_months_closed(session, world):
    save(session, world, JANUARY, 202601)
    post(session, world, date(2026, 1, 10), (("办公费", "513", "100", ""), ("办公费", "101", "", "100")))
    with transaction(session):
        close_period(session, world.a1, 202601, world.user("accountant"))
    mid = [Row("101", OpeningFigures(year_debit=D("9"), ytd_debit=D("4"))), year_open("301", credit="9"),
           Row("501", OpeningFigures(ytd_credit=D("4")))]
    save(session, world, mid, 202607, village=world.a2)
    post(session, world, date(2026, 7, 1), (("x", "513", "1", ""), ("x", "101", "", "1")), village=world.a2)
    with transaction(session):
        close_period(session, world.a2, 202607, world.user("accountant"))
    assert _verify(session) == []


def test_openings_changed_outside_the_application_are_named(session, world):
    save(session, world, JANUARY, 202601)
    account_id = session.scalar(select(Account.id).where(Account.village_id == world.a1.id, Account.code == "101"))
    with transaction(session):
        session.execute(text("UPDATE opening_balance SET year_debit = year_debit + 100 "
                             "WHERE village_id = :v AND account_id = :a"), {"v": world.a1.id, "a": account_id})
    found = _verify(session)
    assert any("期初余额被改动：A1" in p for p in found)
    assert any("发生额不符：A1" in p and "2025-12" in p for p in found)  # the carried turnover no longer agrees


def test_a_rewritten_seal_without_its_audit_row_is_named(session, world):
    save(session, world, JANUARY, 202601)
    with transaction(session):
        session.execute(text("UPDATE opening_balance SET year_debit = 0 WHERE village_id = :v"), {"v": world.a1.id})
        session.execute(text("DELETE FROM account_turnover WHERE village_id = :v"), {"v": world.a1.id})
    rows = openings.figures_of(session, world.a1.id)
    with transaction(session):
        start = openings.start_of(session, world.a1.id)
        start.seal = seal_of(202601, list(rows.items()))
    found = _verify(session)
    assert not any("期初余额被改动" in p for p in found)
    assert any("期初余额封签不符：A1" in p for p in found)


# ---------------------------------------------------------------- books of a village that came on mid-year


def test_the_general_ledger_and_journals_of_a_mid_year_start(session, world):
    from threeassets.statements.books import general_ledger, journal
    rows = [Row("102", OpeningFigures(year_debit=D("1000"), ytd_debit=D("300"), ytd_credit=D("100"))),
            year_open("301", credit="1000"), Row("501", OpeningFigures(ytd_credit=D("300"))),
            Row("513", OpeningFigures(ytd_debit=D("100")))]
    save(session, world, rows, 202607)
    post(session, world, date(2026, 7, 3), (("租金", "102", "50", ""), ("租金", "501", "", "50")))
    post(session, world, date(2026, 8, 9), (("办公费", "513", "20", ""), ("办公费", "102", "", "20")))

    bank = next(a for a in general_ledger(session, [world.a1.id], 202608) if a.code == "102")
    assert bank.opening == D("1000") and bank.carried_ym == 202607
    assert (bank.carried.debit, bank.carried.credit, bank.carried.balance) == (D("300"), D("100"), D("1200"))
    assert [m for m, _month, _year in bank.months] == [202607, 202608]  # no empty months before the start
    july, august = bank.months
    assert (july[2].debit, july[2].credit, july[2].balance) == (D("350"), D("100"), D("1250"))
    assert (august[2].debit, august[2].credit, august[2].balance) == (D("350"), D("120"), D("1230"))

    account = session.scalar(select(Account).where(Account.village_id == world.a1.id, Account.code == "102"))
    book = journal(session, world.a1.id, account, 202601, 202608, "bank")
    first = book.rows[0]
    assert (first.summary, first.day, first.balance) == ("期初余额", date(2026, 7, 1), D("1200"))
    year_rows = [r for r in book.rows if r.kind == "year"]
    assert (year_rows[0].debit, year_rows[0].credit) == (D("350"), D("100"))  # 本年累计 includes the carried
    assert book.closing == D("1230")
    township = general_ledger(session, [world.a1.id, world.a2.id], 202608)  # consolidated: month by month
    assert all(a.carried is None for a in township)


def test_the_january_notice_tells_villagers_the_carried_money_was_there_not_received(session, world):
    """财务公开榜 of the start month: opening cash and bank and the debts' openings are the openings; income and
    expense are the month's vouchers only."""
    from threeassets.disclosure.content import build_notice
    from threeassets.disclosure.rules import parse_period
    save(session, world, JANUARY, 202601)
    post(session, world, date(2026, 1, 10), (("收到张三欠款", "102", "100", ""), ("收到张三欠款", "112001", "", "100")))
    post(session, world, date(2026, 1, 12), (("办公费", "513", "30", ""), ("办公费", "101", "", "30")))
    data = build_notice(session, world.a1, parse_period("2026-01"))
    assert data["cash"]["opening"] == "6000.00" and data["cash"]["closing"] == "6070.00"
    assert data["income"]["total"] == "0.00" and data["expense"]["total"] == "30.00"
    zhang = next(r for r in data["debts"]["receivable"]["rows"] if r["counterparty"] == "张三")
    assert (zhang["opening"], zhang["decrease"], zhang["closing"]) == ("300.00", "100.00", "200.00")
    payable = data["debts"]["payable"]["rows"]
    assert [(r["code"], r["opening"], r["increase"]) for r in payable] == [("211", "800.00", "0.00")]


def test_no_notice_for_months_before_the_start(session, world):
    from threeassets.core.errors import RuleError
    from threeassets.disclosure import service as disclosure
    save(session, world, [year_open("101", debit="5"), year_open("301", credit="5")], 202608)
    for period in ("2026-07", "2026-Q3"):
        with pytest.raises(RuleError, match="公开期间应从 2026年8月 起"):
            disclosure.generate(session, village=world.a1, period=period, actor=world.user("accountant"),
                                today=date(2026, 12, 1))
        session.rollback()
    notice = disclosure.generate(session, village=world.a1, period="2026-08", actor=world.user("accountant"),
                                 today=date(2026, 12, 1))
    assert notice.period == "2026-08"


def test_the_year_close_of_a_mid_year_start_carries_the_whole_years_result(session, world):
    from threeassets.closing.yearend import close_year
    rows = [year_open("102", debit="1000"), year_open("301", credit="1000"),
            Row("102", OpeningFigures(ytd_debit=D("300"), ytd_credit=D("100"))),
            Row("501", OpeningFigures(ytd_credit=D("300"))), Row("513", OpeningFigures(ytd_debit=D("100")))]
    rows = [Row("102", OpeningFigures(year_debit=D("1000"), ytd_debit=D("300"), ytd_credit=D("100")))] + rows[1:2] \
        + rows[3:]
    save(session, world, rows, 202510)
    post(session, world, date(2025, 10, 3), (("租金", "102", "50", ""), ("租金", "501", "", "50")))
    for ym in (202510, 202511):
        with transaction(session):
            close_period(session, world.a1, ym, world.user("accountant"))
    with transaction(session):
        close_year(session, world.a1, 2025, world.user("accountant"))
    after = {r.code: r for r in trial_balance(session, [world.a1.id], 202512, 202512)}
    assert all(after[c].closing == 0 for c in ("501", "513") if c in after)  # income and expense closed
    assert after["322"].closing == D("-250")  # 300 + 50 − 100: the result of the whole year, carried
    assert _verify(session) == []


def test_a_township_batch_leaves_out_villages_that_came_on_after_the_period(session, world):
    from threeassets.disclosure import batch
    save(session, world, [year_open("101", debit="5"), year_open("301", credit="5")], 202608)
    codes = lambda period: [v.code for v in batch.township_villages(session, world.township_a.id, period)]  # noqa: E731
    assert codes("2026-07") == ["A2"] and codes("2026-Q3") == ["A2"]
    assert codes("2026-08") == ["A1", "A2"] and codes(None) == ["A1", "A2"]


def test_reopening_the_start_month_lets_the_openings_be_corrected_and_closing_again_keeps_them(session, world):
    from threeassets.closing.service import reopen_period
    save(session, world, JANUARY, 202601)
    post(session, world, date(2026, 1, 10), (("办公费", "513", "100", ""), ("办公费", "101", "", "100")))
    with transaction(session):
        close_period(session, world.a1, 202601, world.user("accountant"))
    with pytest.raises(openings.OpeningsInvalid, match="已结账"):
        save(session, world, JANUARY, 202601)
    session.rollback()
    with transaction(session):
        reopen_period(session, world.a1, 202601, world.user("head"), "期初余额录错，更正")
    corrected = [r if r.code != "101" else year_open("101", debit="1100") for r in JANUARY[:-1]] + \
        [year_open("322", credit="1600")]
    save(session, world, corrected, 202601)
    with transaction(session):
        close_period(session, world.a1, 202601, world.user("accountant"))
    rows = tb(session, world, 202601, 202601)
    assert rows["101"].opening == D("1100") and rows["101"].closing == D("1000")
    assert _verify(session) == []


def test_the_dashboard_counts_the_carried_turnover_in_the_year_but_not_as_a_months_income(session, world):
    from threeassets.dashboard.service import dashboard
    rows = [Row("102", OpeningFigures(year_debit=D("1000"), ytd_debit=D("300"), ytd_credit=D("100"))),
            year_open("301", credit="1000"), Row("501", OpeningFigures(ytd_credit=D("300"))),
            Row("513", OpeningFigures(ytd_debit=D("100")))]
    save(session, world, rows, 202607)
    post(session, world, date(2026, 7, 3), (("租金", "102", "50", ""), ("租金", "501", "", "50")))
    d = dashboard(session, [world.a1.id], 202607)
    f = d.totals
    assert (f.income_month, f.income_ytd, f.expense_ytd) == (D("50"), D("350"), D("100"))
    assert f.bank == D("1250")
    by_month = dict(zip(d.trend.months, d.trend.income, strict=True))
    assert by_month[202606] == 0 and by_month[202607] == D("50")  # June holds no income of its own


def test_budget_execution_counts_the_years_turnover_before_the_start(session, world):
    from threeassets.budgets.service import budget_vs_actual
    rows = [Row("102", OpeningFigures(year_debit=D("1000"), ytd_debit=D("300"))), year_open("301", credit="1000"),
            Row("501", OpeningFigures(ytd_credit=D("300")))]
    save(session, world, rows, 202607)
    post(session, world, date(2026, 7, 3), (("租金", "102", "50", ""), ("租金", "501", "", "50")))
    income = next(r for r in budget_vs_actual(session, [world.a1.id], 2026, 202607) if r.code == "501")
    assert income.actual == D("350")


# ---------------------------------------------------------------- stock-take adjustments (清产核资调整)


def test_a_stock_take_adjustment_moves_the_openings_and_is_kept_with_its_reason(session, world):
    save(session, world, JANUARY, 202601)
    with transaction(session):
        row = openings.add_adjustment(session, village=world.a1, kind="asset_found", debit_code="101",
                                      credit_code="322", amount=D("250.00"), reason="盘盈现金（清点库存）",
                                      actor=world.user("accountant"))
    assert row.id and row.amount == D("250.00")
    rows = tb(session, world, 202601, 202601)
    assert rows["101"].opening == D("1250") and rows["322"].opening == D("-1750")
    assert openings.start_of(session, world.a1.id).balanced
    assert [a.reason for a in openings.adjustments_of(session, world.a1.id)] == ["盘盈现金（清点库存）"]
    assert _verify(session) == []  # sealed again with the adjusted figures
    audits = session.scalars(select(AuditEvent.action).where(AuditEvent.village_id == world.a1.id)).all()
    assert "opening.adjust" in audits and audits.count("opening.save") == 2


def test_an_adjustment_needs_a_reason_two_leaves_and_an_open_start_month(session, world):
    with pytest.raises(openings.OpeningsInvalid, match="请先录入期初余额"):
        openings.add_adjustment(session, village=world.a1, kind="other", debit_code="101", credit_code="301",
                                amount=D("1"), reason="x", actor=None)
    session.rollback()
    save(session, world, JANUARY, 202601)
    with pytest.raises(openings.OpeningsInvalid) as refused:
        openings.add_adjustment(session, village=world.a1, kind="bogus", debit_code="112", credit_code="112",
                                amount=D("0"), reason=" ", actor=None)
    fields = {f for _w, f, _r in refused.value.problems}
    assert fields == {"kind", "debit", "credit", "amount", "reason"}
    session.rollback()
    for debit, credit in (("501", "101"), ("101", "513"), ("321", "101")):  # income, expense, 本年收益 open empty
        with pytest.raises(openings.OpeningsInvalid, match="年初不应有余额"):
            openings.add_adjustment(session, village=world.a1, kind="other", debit_code=debit, credit_code=credit,
                                    amount=D("1"), reason="调整", actor=None)
        session.rollback()
    with transaction(session):
        close_period(session, world.a1, 202601, world.user("accountant"))
    with pytest.raises(openings.OpeningsInvalid, match="已结账"):
        openings.add_adjustment(session, village=world.a1, kind="liability", debit_code="322", credit_code="211",
                                amount=D("10"), reason="补记欠款", actor=None)
    session.rollback()
    assert openings.adjustments_of(session, world.a1.id) == []


def test_the_start_may_move_earlier_while_nothing_is_booked_before_it(session, world):
    save(session, world, JANUARY, 202607)
    start = save(session, world, JANUARY, 202603)
    assert start.start_ym == 202603 and tb(session, world, 202603, 202603)["101"].opening == D("1000")
