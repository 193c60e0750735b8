"""Year close on the database: generated, posted and chained vouchers that empty income and expense into
本年收益 and carry it to 收益分配—未分配收益; December closed, next January open, next year's opening equal to
this year's closing."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.integration.conftest import account, audit_count, snapshot
from tests.integration.test_closing import BUY, INCOME, close, refused, reopen
from threeassets.closing.yearend import close_year
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove
from threeassets.ledger.chain import verify
from threeassets.ledger.models import Account, Period, Voucher
from threeassets.reports.service import trial_balance

D = Decimal
BALANCE_SHEET = ("asset", "liability", "equity", "cost")


def year_close(session, village, year, actor=None):
    """Close a year in its own transaction."""
    with transaction(session):
        return close_year(session, village, year, actor)


def close_to_november(session, village, year=2024):
    """Close January–November (months with books only are refused if open; empty ones need nothing)."""
    for month in range(1, 12):
        if session.scalar(select(Period.id).where(Period.village_id == village.id, Period.ym == year * 100 + month)):
            close(session, village, year * 100 + month)


def closing(session, village, start, end) -> dict[str, Decimal]:
    """code → closing net debit over a range."""
    return {r.code: r.closing for r in trial_balance(session, [village.id], start, end, include_zero=True)}


@pytest.fixture
def year_2024(world, post_voucher):
    """a1: capital, rent and subsidy income, office and welfare spending; profit 1,500 − 400 = 1,100."""
    specs = [
        (date(2024, 1, 2), (("出资", "102", "20000.00", ""), ("出资", "301", "", "20000.00"))),
        (date(2024, 3, 5), INCOME),                                                     # 501 500
        (date(2024, 6, 8), (("补助", "102", "1000.00", ""), ("补助", "503", "", "1000.00"))),
        (date(2024, 6, 9), BUY),                                                        # 513 100
        (date(2024, 12, 20), (("保洁", "514", "300.00", ""), ("保洁", "102", "", "300.00"))),
    ]
    for day, spec in specs:
        post_voucher(world.a1, day, spec)
    return world


def test_year_close_posts_closing_and_carry_vouchers(session, year_2024):
    w = year_2024
    close_to_november(session, w.a1)
    result = year_close(session, w.a1, 2024, w.user("accountant"))
    assert result.net_result == D("1100.00") and result.vouchers == ["记-0002", "记-0003"]
    gen = {v.kind: v for v in session.scalars(select(Voucher).where(Voucher.kind != "normal"))}
    assert set(gen) == {"year_close", "carry"}
    for v in gen.values():
        assert (v.status, v.voucher_date, v.ym, v.preparer_id) == ("posted", date(2024, 12, 31), 202412,
                                                                 w.user("accountant").id)
    lines = {(ln.account.code, ln.debit, ln.credit) for ln in gen["year_close"].lines}
    assert lines == {("501", D("500.00"), 0), ("503", D("1000.00"), 0), ("513", 0, D("100.00")),
                     ("514", 0, D("300.00")), ("321", 0, D("1500.00")), ("321", D("400.00"), 0)}
    assert gen["year_close"].total == D("1900.00")
    assert {(ln.account.code, ln.debit, ln.credit) for ln in gen["carry"].lines} == {
        ("321", D("1100.00"), 0), ("32201", 0, D("1100.00"))}
    assert account(session, w.a1, "32201").name == "未分配收益"
    assert verify(session, "A1") == ([], 5 + 2)
    assert audit_count(session, "year.close") == 1 and audit_count(session, "account.create") == 1


def test_after_year_close_income_and_expense_are_empty(session, year_2024):
    w = year_2024
    close_to_november(session, w.a1)
    year_close(session, w.a1, 2024)
    end = closing(session, w.a1, 202401, 202412)
    assert all(end[c] == 0 for c in ("501", "502", "503", "504", "511", "512", "513", "514", "515", "521"))
    assert end["321"] == 0
    assert end["322"] == end["32201"] == D("-1100.00")  # credit: the year's net result
    periods = dict(session.execute(select(Period.ym, Period.status).where(Period.village_id == w.a1.id)).all())
    assert periods[202412] == "closed" and periods[202501] == "open"


def test_next_year_opens_with_this_years_closing(session, year_2024, post_voucher):
    w = year_2024
    close_to_november(session, w.a1)
    year_close(session, w.a1, 2024)
    post_voucher(w.a1, date(2025, 1, 10), BUY)
    end_2024 = closing(session, w.a1, 202401, 202412)
    rows = trial_balance(session, [w.a1.id], 202501, 202501, include_zero=True)
    q = select(Account.code, Account.category).where(Account.village_id == w.a1.id)
    categories = dict(session.execute(q).all())
    for r in rows:
        if categories[r.code] in BALANCE_SHEET:
            assert r.opening == end_2024[r.code], r.code
        else:
            assert r.opening == 0, r.code


def test_a_year_without_income_or_expense_generates_nothing_but_closes(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 2, 2), (("出资", "102", "500.00", ""), ("出资", "301", "", "500.00")))
    close(session, world.a1, 202402)
    result = year_close(session, world.a1, 2024)
    assert result.vouchers == [] and result.net_result == 0
    assert session.scalar(select(Voucher.id).where(Voucher.kind != "normal")) is None
    assert session.scalar(select(Account.id).where(Account.code == "32201")) is None  # nothing to carry
    assert session.scalar(select(Period.status).where(Period.village_id == world.a1.id, Period.ym == 202412)) == \
        "closed"
    assert audit_count(session, "year.close") == 1


def test_year_close_refuses_open_months_and_unfinished_december(session, year_2024, draft):
    w = year_2024
    msg = refused_year(session, w.a1, 2024)
    assert "之前的期间 2024-01、2024-03、2024-06 尚未结账" in msg and msg.startswith("2024-12 不能年结：")
    close_to_november(session, w.a1)
    draft(w.a1, date(2024, 12, 28), BUY)
    assert "有 1 张凭证未审核" in refused_year(session, w.a1, 2024)


def refused_year(session, village, year) -> str:
    """A refused year close writes nothing; returns the message."""
    before = snapshot(session)
    with pytest.raises(IllegalMove) as exc:
        year_close(session, village, year)
    session.rollback()
    assert snapshot(session) == before
    return str(exc.value)


def test_second_year_close_refused_until_december_is_reopened(session, year_2024, post_voucher):
    w = year_2024
    close_to_november(session, w.a1)
    year_close(session, w.a1, 2024)
    assert "2024 年已年结" in refused_year(session, w.a1, 2024)
    refused(session, w.a1, 202412, "年末月份")
    reopen(session, w.a1, 202412, w.user("head"), reason="补记12月租金")
    post_voucher(w.a1, date(2024, 12, 30), INCOME)
    result = year_close(session, w.a1, 2024)
    assert result.net_result == D("500.00") and result.vouchers == ["记-0005", "记-0006"]
    end = closing(session, w.a1, 202401, 202412)
    assert end["501"] == end["321"] == 0 and end["32201"] == D("-1600.00")


def test_distributions_are_swept_into_undistributed(session, year_2024, post_voucher, sub_account):
    """提取公积公益金 is an ordinary voucher on 322 各项分配; the carry brings it into 未分配收益."""
    w = year_2024
    sub_account(w.a1, "322", "01", "各项分配")
    post_voucher(w.a1, date(2024, 12, 25), (("提取公积公益金", "32201", "330.00", ""),
                                            ("提取公积公益金", "311", "", "330.00")))
    close_to_november(session, w.a1)
    year_close(session, w.a1, 2024)
    end = closing(session, w.a1, 202401, 202412)
    assert account(session, w.a1, "32202").name == "未分配收益"
    assert end["32201"] == 0 and end["32202"] == end["322"] == D("-770.00")  # 1,100 − 330
    assert end["311"] == D("-330.00")


def test_a_322_with_entries_of_its_own_takes_the_result(session, year_2024, post_voucher):
    w = year_2024
    post_voucher(w.a1, date(2024, 1, 1), (("上年未分配收益", "102", "50.00", ""),
                                          ("上年未分配收益", "322", "", "50.00")))
    close_to_november(session, w.a1)
    year_close(session, w.a1, 2024)
    end = closing(session, w.a1, 202401, 202412)
    assert end["322"] == D("-1150.00")
    assert session.scalar(select(Account.id).where(Account.code == "32201")) is None
