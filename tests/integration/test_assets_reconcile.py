"""Reconciliation of asset cards against the posted 151/152 balances."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from threeassets.assets.models import Asset
from threeassets.assets.reconcile import reconciliation
from threeassets.core.db import transaction

D = Decimal


def _card(session, village, code, cost, acc="0", category="房屋及建筑物", acquired=date(2020, 3, 10), **kw):
    with transaction(session):
        a = Asset(village_id=village.id, code=code, name=f"资产{code}", category=category, acquired_on=acquired,
                  original_cost=D(cost), useful_life_months=240, salvage_rate=D("5.00"),
                  accumulated_depreciation=D(acc), **kw)
        session.add(a)
    return a


def test_no_cards_and_no_books_is_clean(session, world):
    rec = reconciliation(session, world.a1.id)
    assert rec.clean and rec.card_count == 0 and rec.book_cost == 0


def test_cards_matching_the_opening_voucher_are_clean(session, world, post_voucher):
    _card(session, world.a1, "F001", "100000.00", "20000.00")
    _card(session, world.a1, "F002", "5000.00", "1000.00", category="机器设备")
    post_voucher(world.a1, date(2024, 5, 3), [("期初固定资产", "151", "105000.00", ""),
                                              ("期初累计折旧", "152", "", "21000.00"),
                                              ("期初", "301", "", "84000.00")])
    rec = reconciliation(session, world.a1.id, 202405)
    assert rec.clean, rec.differences
    assert (rec.card_cost, rec.card_accumulated, rec.book_cost, rec.book_accumulated) == (
        D("105000.00"), D("21000.00"), D("105000.00"), D("21000.00"))
    assert rec.card_net == rec.book_net == D("84000.00")


def test_a_missing_card_shows_as_a_difference(session, world, post_voucher):
    _card(session, world.a1, "F001", "100000.00")
    post_voucher(world.a1, date(2024, 5, 3), [("期初固定资产", "151", "120000.00", ""),
                                              ("期初", "301", "", "120000.00")])
    rec = reconciliation(session, world.a1.id, 202405)
    assert not rec.clean
    [diff] = rec.differences
    assert (diff.account_code, diff.cards, diff.books, diff.amount) == ("151", D("100000.00"), D("120000.00"),
                                                                        D("20000.00"))


def test_cards_acquired_after_the_month_are_left_out(session, world):
    _card(session, world.a1, "F001", "100.00", acquired=date(2024, 6, 1))
    assert reconciliation(session, world.a1.id, 202405).clean
    assert not reconciliation(session, world.a1.id, 202406).clean


def test_other_villages_cards_do_not_count(session, world):
    _card(session, world.a2, "F001", "100.00")
    assert reconciliation(session, world.a1.id, 202405).clean


def test_sub_accounts_named_like_categories_explain_the_difference(session, world, post_voucher, sub_account):
    sub_account(world.a1, "151", "01", "房屋及建筑物")
    sub_account(world.a1, "151", "02", "机器设备")
    _card(session, world.a1, "F001", "100000.00")
    _card(session, world.a1, "F002", "5000.00", category="机器设备")
    post_voucher(world.a1, date(2024, 5, 3), [("期初", "15101", "100000.00", ""), ("期初", "15102", "8000.00", ""),
                                              ("期初", "301", "", "108000.00")])
    rec = reconciliation(session, world.a1.id, 202405)
    assert [(d.account_code, d.amount) for d in rec.differences] == [("151", D("3000.00")), ("15102", D("3000.00"))]
    lines = {s.account_code: (s.books, s.cards) for s in rec.sub_lines}
    assert lines["15101"] == (D("100000.00"), D("100000.00")) and lines["15102"] == (D("8000.00"), D("5000.00"))


def test_disposed_and_later_changes_count_as_of_the_month(session, world):
    from threeassets.assets.models import AssetChange
    a = _card(session, world.a1, "F001", "1000.00", "300.00", status="disposed")
    with transaction(session):
        session.add_all([AssetChange(village_id=world.a1.id, asset_id=a.id, kind="depreciation", ym=202406,
                                     on=date(2024, 6, 30), amount=D("100.00")),
                         AssetChange(village_id=world.a1.id, asset_id=a.id, kind="disposal", ym=202407,
                                     on=date(2024, 7, 5), amount=D("700.00"))])
    may = reconciliation(session, world.a1.id, 202405)
    assert (may.card_count, may.card_cost, may.card_accumulated) == (1, D("1000.00"), D("200.00"))
    assert reconciliation(session, world.a1.id, 202407).card_count == 0


def test_cards_brought_in_at_the_start_reconcile_with_the_opening_balances(session, world):
    """期初余额 rather than an opening voucher: 151/152 at the start hold the figures the cards were imported with."""
    from threeassets.core.db import transaction
    from threeassets.ledger.openings.rules import OpeningFigures
    from threeassets.ledger.openings.service import OpeningRow, save_openings
    _card(session, world.a1, "F001", "100000.00", "20000.00")
    _card(session, world.a1, "F002", "5000.00", "1000.00", category="机器设备")
    with transaction(session):
        save_openings(session, village=world.a1, start_ym=202405, actor=None, rows=[
            OpeningRow("151", OpeningFigures(year_debit=D("105000.00"))),
            OpeningRow("152", OpeningFigures(year_credit=D("21000.00"))),
            OpeningRow("301", OpeningFigures(year_credit=D("84000.00")))])
    rec = reconciliation(session, world.a1.id, 202405)
    assert rec.clean, rec.differences
    assert (rec.book_cost, rec.book_accumulated) == (D("105000.00"), D("21000.00"))
    assert rec.card_net == rec.book_net == D("84000.00")
