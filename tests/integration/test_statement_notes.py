"""会计报表附注 against the statements they explain: every detail list adds up to its balance-sheet line, the
fixed-asset movements follow the cards, the distribution is the income statement's, and a township's notes
are the sum of its villages'."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.integration.test_statements import post, subs
from threeassets.assets.models import Asset, AssetChange
from threeassets.core.db import transaction
from threeassets.statements import tables
from threeassets.statements.notes import statement_notes
from threeassets.statements.service import balance_sheet, income_statement

D = Decimal


def _card(session, village, code, cost, acc, category, acquired, status="in_use", **kw):
    with transaction(session):
        a = Asset(village_id=village.id, code=code, name=f"资产{code}", category=category, acquired_on=acquired,
                  original_cost=D(cost), useful_life_months=120, salvage_rate=D(kw.pop("rate", "5.00")),
                  accumulated_depreciation=D(acc), status=status, **kw)
        session.add(a)
        session.flush()
    return a


def _change(session, village, asset, kind, ym, amount="0"):
    with transaction(session):
        session.add(AssetChange(village_id=village.id, asset_id=asset.id, kind=kind, ym=ym,
                                on=date(ym // 100, ym % 100, 1), amount=D(amount)))


@pytest.fixture
def village(session, world):
    """a1 at the end of 2023: counterparties on both sides of 113, a receivable, a payable, biological assets,
    a loss awaiting approval; then 2024 moves some of them."""
    w, a1 = world, world.a1
    subs(session, a1, "112", "张三", "李四")
    subs(session, a1, "113", "王五", "赵六")
    subs(session, a1, "211", "建材店", "应付成员分配")
    subs(session, a1, "132", "苹果树")
    subs(session, a1, "181", "盘亏物资")
    subs(session, a1, "322", "未分配收益", "提取公积公益金", "向成员分配")
    post(session, w, a1, date(2023, 12, 5), (
        ("期初", "11201", "300", ""), ("期初", "11301", "100", ""), ("期初", "13201", "5000", ""),
        ("期初", "131", "20", ""), ("期初", "134", "60", ""), ("期初", "18101", "80", ""),
        ("期初", "11302", "", "250"), ("期初", "21101", "", "400"), ("期初", "133", "", "500"),
        ("期初", "301", "", "4410")))
    post(session, w, a1, date(2024, 2, 3), (("李四借款", "11202", "700", ""), ("李四借款", "102", "", "700")))
    post(session, w, a1, date(2024, 2, 4), (("王五还款转欠", "102", "600", ""), ("王五还款转欠", "11301", "", "600")))
    post(session, w, a1, date(2024, 2, 5), (("发包收入", "102", "9000", ""), ("发包收入", "501", "", "9000")))
    post(session, w, a1, date(2024, 2, 6), (("提取公积公益金", "32202", "900", ""), ("提取", "311", "", "900")))
    post(session, w, a1, date(2024, 2, 7), (("成员分配", "32203", "1000", ""), ("成员分配", "21102", "", "1000")))
    post(session, w, a1, date(2024, 2, 8), (("盘亏核销", "513", "80", ""), ("盘亏核销", "18101", "", "80")))
    return w


def _totals(table: tables.Table) -> tuple[Decimal, Decimal]:
    """年初数 and 期末数 of a detail table's 合计 row."""
    [total] = [row for row in table.rows if row[0] == "合计"]
    return total[2], total[3]


def test_detail_lists_add_up_to_their_balance_sheet_lines(session, village):
    a1 = village.a1
    notes = statement_notes(session, [a1.id], 202402, "甲一村")
    bs = balance_sheet(session, [a1.id], 202402, "甲一村")
    parts = {t.title[:2]: t for t in tables.notes_tables(notes)}
    assert _totals(parts["二、"]) == (bs.value("应收款项", 0), bs.value("应收款项", 1))
    assert _totals(parts["三、"]) == (bs.value("应付款项", 0), bs.value("应付款项", 1))
    bio = tuple(bs.value("消耗性生物资产", i) + bs.value("生产性生物资产净值", i) + bs.value("公益性生物资产", i)
                for i in (0, 1))
    assert _totals(parts["五、"]) == bio == (D("4580"), D("4580"))
    assert _totals(parts["六、"]) == (bs.value("待处理财产损溢", 0), bs.value("待处理财产损溢", 1)) == (D("80"), D(0))


def test_counterparties_are_listed_leaf_by_leaf_on_their_side(session, village):
    notes = statement_notes(session, [village.a1.id], 202402, "甲一村")
    got = {(ln.account, ln.detail): (ln.opening, ln.closing) for ln in notes.receivables}
    assert got == {("应收款", "11201 张三"): (D("300"), D("300")), ("应收款", "11202 李四"): (D(0), D("700")),
                   ("内部往来", "11301 王五"): (D("100"), D(0))}  # 王五 now owes nothing: the collective owes him
    pay = {(ln.account, ln.detail): (ln.opening, ln.closing) for ln in notes.payables}
    assert pay == {("应付款", "21101 建材店"): (D("400"), D("400")),
                   ("应付款", "21102 应付成员分配"): (D(0), D("1000")),
                   ("内部往来", "11301 王五"): (D(0), D("500")), ("内部往来", "11302 赵六"): (D("250"), D("250"))}


def test_distribution_is_the_income_statements(session, village):
    a1 = village.a1
    notes = statement_notes(session, [a1.id], 202402, "甲一村")
    st = income_statement(session, [a1.id], 202402, "甲一村")
    got = dict(notes.distribution)
    assert got["四、本年收益"] == st.value("本年收益") == D("8920")
    assert got["减：提取公积公益金"] == st.value("提取公积公益金") == D("900")
    assert got["向成员分配"] == D("1000")
    assert got["六、年末未分配收益"] == st.value("年末未分配收益")


def test_fixed_assets_move_by_category_as_the_cards_did(session, world):
    a1 = world.a1
    old = _card(session, a1, "F1", "10000", "3000", "房屋及建筑物", date(2015, 1, 10))
    _card(session, a1, "F2", "2000", "0", "机器设备", date(2024, 2, 1))  # bought this year
    sold = _card(session, a1, "F3", "500", "450", "机器设备", date(2014, 3, 1), status="disposed")
    _change(session, a1, old, "depreciation", 202402, "100")  # booked this year: in the card's 3,000
    _change(session, a1, sold, "depreciation", 202401, "10")
    _change(session, a1, sold, "disposal", 202402)
    moves = {m.category: m for m in statement_notes(session, [a1.id], 202403, "甲一村").assets}
    assert moves["房屋及建筑物"].cost == [D("10000"), D(0), D(0), D("10000")]
    assert moves["房屋及建筑物"].depreciation == [D("2900"), D("100"), D(0), D("3000")]
    assert moves["机器设备"].cost == [D("500"), D("2000"), D("500"), D("2000")]
    # the sold card had 440 at the year start, 10 more in January, and left with 450
    assert moves["机器设备"].depreciation == [D("440"), D("10"), D("450"), D(0)]
    assert moves["房屋及建筑物"].net == (D("7100"), D("7000"))


def test_books_beside_the_cards_and_the_gap_when_they_differ(session, world):
    a1 = world.a1
    _card(session, a1, "F1", "10000", "3000", "房屋及建筑物", date(2015, 1, 10))
    post(session, world, a1, date(2023, 12, 1), (("建账", "151", "10000", ""), ("建账", "152", "", "3000"),
                                                  ("建账", "301", "", "7000")))
    post(session, world, a1, date(2024, 1, 5), (("工程", "153", "800", ""), ("工程", "102", "", "800")))
    notes = statement_notes(session, [a1.id], 202401, "甲一村")
    assert notes.books["151"].closing == D("10000") and notes.books["152"].closing == D("3000")
    [assets] = [t for t in tables.notes_tables(notes) if t.title.startswith("四、")]
    subtotal = [row for row in assets.rows if row[0] == "固定资产小计"][0]
    bs = balance_sheet(session, [a1.id], 202401, "甲一村")
    assert (subtotal[1], subtotal[4]) == (bs.value("固定资产小计", 0), bs.value("固定资产小计", 1)) == (
        D("7000"), D("7800"))
    assert not any(str(row[0]).strip() == "原值差额" for row in assets.rows)  # cards and books agree
    _card(session, a1, "F2", "50", "0", "办公设备", date(2023, 5, 1))
    [assets] = [t for t in tables.notes_tables(statement_notes(session, [a1.id], 202401, "甲一村"))
                if t.title.startswith("四、")]
    gap = [row for row in assets.rows if str(row[0]).strip() == "原值差额"]
    assert gap and gap[0][1] == gap[0][4] == D("-50")


def test_policies_say_how_the_books_started(session, world):
    from threeassets.ledger.openings.rules import OpeningFigures
    from threeassets.ledger.openings.service import OpeningRow, save_openings
    a1 = world.a1
    with transaction(session):
        save_openings(session, village=a1, start_ym=202407, actor=world.user("accountant"), rows=[
            OpeningRow("101", OpeningFigures(year_debit=D("100"), ytd_debit=D("50"))),
            OpeningRow("301", OpeningFigures(year_credit=D("100"))),
            OpeningRow("501", OpeningFigures(ytd_credit=D("50")))])
    _card(session, a1, "F1", "100", "0", "办公设备", date(2024, 7, 1), rate="3.00")
    _card(session, a1, "F2", "100", "0", "办公设备", date(2024, 7, 1), depreciate=False)
    policies = dict(statement_notes(session, [a1.id], 202412, "甲一村").policies)
    assert "2024年7月起在本系统记账" in policies["期初余额"] and "本年累计发生额" in policies["期初余额"]
    assert "卡片 2 张" in policies["固定资产"] and "3% 至 5%" in policies["固定资产"]
    assert "不计提折旧的 1 张" in policies["固定资产"]
    assert "2024年1月1日至2024年12月31日" in policies["会计期间"]


def test_a_townships_notes_sum_its_villages(session, village):
    w = village
    post(session, w, w.a2, date(2024, 1, 9), (("借款", "112", "40", ""), ("借款", "102", "", "40")))
    ids = [w.a1.id, w.a2.id]
    notes = statement_notes(session, ids, 202402, "甲镇（汇总）")
    bs = balance_sheet(session, ids, 202402, "甲镇（汇总）")
    assert sum(ln.closing for ln in notes.receivables) == bs.value("应收款项", 1) == D("1040")
    assert any(ln.detail.startswith(f"{w.a2.name} · 112") for ln in notes.receivables)
    assert {ln.detail.split(" · ")[0] for ln in notes.receivables} == {w.a1.name, w.a2.name}


def test_a_switched_village_says_so_and_its_2024_opening_is_the_conversion(session, world):
    from tests.integration.test_switchover import switch
    switch(session, world)
    notes = statement_notes(session, [world.a1.id], 202401, "甲一村")
    policies = dict(notes.policies)
    assert "财会〔2023〕20号" in policies["期初余额"] and "2024年1月1日的期初余额" in policies["期初余额"]
    bs = balance_sheet(session, [world.a1.id], 202401, "甲一村")
    [receivables] = [t for t in tables.notes_tables(notes) if t.title.startswith("二、")]
    assert _totals(receivables)[0] == bs.value("应收款项", 0)
    other = dict(statement_notes(session, [world.a2.id], 202401, "甲二村").policies)
    assert "财会〔2023〕20号" not in other["期初余额"]
