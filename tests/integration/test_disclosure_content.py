"""The notice's content against the books and registers, and the PDF's text against the content."""
from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from tests.integration.test_statements import post, subs
from threeassets.assets.models import Asset, AssetChange
from threeassets.contracts.models import Contract, Installment, Receipt
from threeassets.core.db import transaction
from threeassets.core.money import fmt, to_chinese_upper
from threeassets.disclosure.content import build_notice
from threeassets.disclosure.pdf import render_notice
from threeassets.disclosure.rules import parse_period
from threeassets.orgs.models import TownshipSettings
from threeassets.reports.service import trial_balance
from threeassets.resources.models import Resource

D = Decimal
URL = "https://sanzi.example.cn/verify/TESTCODE123"
ID_NO = "220102199001011234"


def pdf_text(data: dict, layout: str = "a4", **kw) -> str:
    """The rendered notice's text as pypdf extracts it, whitespace removed (CJK text has no word spaces)."""
    pdf = render_notice(data, layout=layout, verify_url=URL, **kw)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"\s+", "", text)


@pytest.fixture
def month(session, world):
    """a1 in March 2024: cash and bank at the start, income, expenses (one summary naming an ID), a2 alongside."""
    w, a1 = world, world.a1
    subs(session, a1, "102", "农商行")
    subs(session, a1, "112", "张三")
    post(session, w, a1, date(2024, 2, 5), (("期初现金", "101", "3000", ""), ("出资", "301", "", "3000")))
    post(session, w, a1, date(2024, 2, 6), (("期初存款", "10201", "100000", ""), ("出资", "301", "", "100000")))
    post(session, w, a1, date(2024, 3, 2), (("土地发包费", "10201", "12000", ""), ("土地发包费", "501", "", "12000")))
    post(session, w, a1, date(2024, 3, 3), (("转移支付补助", "10201", "50000", ""), ("补助", "503", "", "50000")))
    post(session, w, a1, date(2024, 3, 4), (("应收张三承包费", "11201", "3000", ""), ("承包费", "501", "", "3000")))
    post(session, w, a1, date(2024, 3, 8), (("买文具", "513", "60", ""), ("买文具", "101", "", "60")))
    post(session, w, a1, date(2024, 3, 9), (("复印", "513", "40", ""), ("复印", "101", "", "40")))
    post(session, w, a1, date(2024, 3, 10), ((f"付王五（身份证{ID_NO}）误工补贴", "514", "800", ""),
                                              ("误工补贴", "10201", "", "800")))
    post(session, w, a1, date(2024, 3, 12), (("村道维修", "514", "20000", ""), ("村道维修", "10201", "", "20000")))
    post(session, w, a1, date(2024, 4, 1), (("四月的费用", "513", "500", ""), ("四月", "101", "", "500")))
    post(session, w, w.a2, date(2024, 3, 5), (("别村收入", "101", "999", ""), ("别村", "501", "", "999")))
    return a1


def _tb(session, village, start, end):
    """Trial balance rows by code."""
    return {r.code: r for r in trial_balance(session, [village.id], start, end, include_zero=True)}


def test_totals_equal_the_books(session, month):
    data = build_notice(session, month, parse_period("2024-03"))
    tb = _tb(session, month, 202403, 202403)
    income = sum((tb[c].credit - tb[c].debit for c in ("501", "502", "503", "504")), D(0))
    expense = sum((tb[c].debit - tb[c].credit for c in ("511", "512", "513", "514", "515", "521")), D(0))
    assert (income, expense) == (D("65000.00"), D("20900.00"))
    assert D(data["income"]["total"]) == income and D(data["expense"]["total"]) == expense
    assert sum(D(i["amount"]) for i in data["income"]["items"]) == income
    assert sum(D(i["amount"]) for i in data["expense"]["items"]) == expense
    assert D(data["net"]["amount"]) == income - expense
    opening = tb["101"].opening + tb["102"].opening
    closing = tb["101"].closing + tb["102"].closing
    assert (D(data["cash"]["opening"]), D(data["cash"]["closing"])) == (opening, closing)
    assert closing == D("3000") - 100 + 100000 + 12000 + 50000 - 800 - 20000
    assert [(r["code"], r["closing"]) for r in data["cash"]["rows"]] == [
        ("101", "2900.00"), ("102", "141200.00"), ("10201", "141200.00")]
    json.dumps(data)  # stored as JSON by the workflow


def test_pdf_text_carries_the_book_totals(session, month):
    data = build_notice(session, month, parse_period("2024-03"))
    for layout in ("a4", "a3"):
        text = pdf_text(data, layout)
        for figure in ("65,000.00", "20,900.00", "44,100.00", "144,100.00", "103,000.00"):
            assert figure in text, (layout, figure)
        assert to_chinese_upper(D("65000.00")) in text and to_chinese_upper(D("144100.00")) in text
        assert "甲一村财务公开榜" in text and "2024年3月" in text and URL in text


def test_items_are_itemised_with_voucher_numbers(session, month):
    data = build_notice(session, month, parse_period("2024-03"))
    first = data["income"]["items"][0]
    assert first == {"date": "2024-03-02", "voucher": "记-0001", "summary": "土地发包费", "account": "经营收入",
                     "amount": "12000.00", "count": 1}
    assert [i["summary"] for i in data["expense"]["items"]][:2] == ["买文具", "复印"]
    assert "别村收入" not in json.dumps(data, ensure_ascii=False)  # a2's books stay out
    assert "四月的费用" not in json.dumps(data, ensure_ascii=False)
    assert [(r["name"], r["amount"]) for r in data["income"]["by_account"]] == [
        ("经营收入", "15000.00"), ("补助收入", "50000.00")]


def test_id_number_in_a_summary_is_masked_in_data_and_pdf(session, month):
    data = build_notice(session, month, parse_period("2024-03"))
    raw = json.dumps(data, ensure_ascii=False)
    assert ID_NO not in raw and "220102********1234" in raw
    text = pdf_text(data)
    assert ID_NO not in text and "220102********1234" in text


def test_other_text_is_masked_when_rendered(session, month):
    data = build_notice(session, month, parse_period("2024-03"))
    data["other"] = f"村民李四银行卡6222021234567890123已登记，身份证{ID_NO}。"
    text = pdf_text(data)
    assert "6222021234567890123" not in text and ID_NO not in text
    assert "***************0123" in text and "其他需要公开的事项" in text


def test_small_items_grouped_per_account_under_the_threshold(session, world, month):
    with transaction(session):
        session.add(TownshipSettings(township_id=world.township_a.id, disclosure_group_threshold=D("100.00"),
                                     large_cash_threshold=D("5000.00"), contract_expiry_days=90,
                                     decision_rules="", supervision_phone="0551-6288 1234（镇纪委）"))
    data = build_notice(session, month, parse_period("2024-03"))
    items = data["expense"]["items"]
    assert [(i["summary"], i["amount"], i["count"]) for i in items] == [
        (f"付王五（身份证{'220102********1234'}）误工补贴", "800.00", 1), ("村道维修", "20000.00", 1),
        ("其他小额支出（2笔）", "100.00", 2)]
    assert items[-1]["account"] == "管理费用" and items[-1]["voucher"] == ""
    assert data["expense"]["total"] == "20900.00"  # grouping never changes the total
    assert data["group_threshold"] == "100.00" and data["supervision_phone"] == "0551-6288 1234（镇纪委）"
    text = pdf_text(data)
    assert "其他小额支出（2笔）" in text and "0551-62881234（镇纪委）" in text and "不足100.00元" in text


def test_zero_threshold_never_groups(session, month):
    data = build_notice(session, month, parse_period("2024-03"))
    assert len(data["expense"]["items"]) == 4 and not any(i["count"] > 1 for i in data["expense"]["items"])


def test_quarter_takes_three_months(session, world, month):
    post(session, world, month, date(2024, 1, 20), (("一月收入", "101", "700", ""), ("一月", "504", "", "700")))
    q1 = build_notice(session, month, parse_period("2024-Q1"))
    assert q1["period"]["label"] == "2024年第一季度" and q1["period"]["quarter"] is True
    assert q1["income"]["total"] == "65700.00" and q1["expense"]["total"] == "20900.00"
    assert q1["cash"]["opening"] == "0.00" and q1["cash"]["closing"] == "144800.00"
    assert q1["distribution"]["columns"] == ["本季度数", "本年累计数"]
    q2 = build_notice(session, month, "2024-Q2")
    assert q2["expense"]["total"] == "500.00" and q2["cash"]["opening"] == "144800.00"
    lines = {ln["item"]: ln["values"] for ln in q2["distribution"]["lines"] if ln["values"]}
    assert lines["管理费用"] == ["500.00", "600.00"]  # quarter share and year to date
    text = pdf_text(q2)
    assert "2024年第二季度" in text and "本季度数" in text


def test_empty_registers_and_books_say_none(session, world):
    data = build_notice(session, world.a2, parse_period("2024-05"))
    assert data["income"]["items"] == [] and data["assets"]["by_category"] == []
    assert data["resources"]["by_type"] == [] and data["contracts"]["rows"] == []
    text = pdf_text(data)
    for phrase in ("固定资产台账本期无", "资源台账本期无", "发包出租合同本期无", "未编制财务计划"):
        assert phrase in text, phrase
    assert text.count("本期无") >= 6


def test_receivables_and_payables_by_sub_account(session, world, month):
    subs(session, month, "211", "村道施工队")
    post(session, world, month, date(2024, 3, 20), (("欠施工队工程款", "514", "5000", ""),
                                                    ("欠施工队", "21101", "", "5000")))
    data = build_notice(session, month, parse_period("2024-03"))
    rec = data["debts"]["receivable"]["rows"]
    assert [(r["account"], r["counterparty"], r["increase"], r["closing"]) for r in rec] == [
        ("应收款", "张三", "3000.00", "3000.00")]
    pay = data["debts"]["payable"]["rows"]
    assert [(r["account"], r["counterparty"], r["closing"]) for r in pay] == [("应付款", "村道施工队", "5000.00")]
    assert data["debts"]["payable"]["total"] == "5000.00"
    assert "村道施工队" in pdf_text(data)


def _registers(session, village):
    """One card acquired in the period and one disposed in it, a let parcel, a person's contract with receipts."""
    with transaction(session):
        tractor = Asset(village_id=village.id, code="ZC001", name="拖拉机", category="机器设备",
                        acquired_on=date(2020, 1, 1), original_cost=D("80000.00"), useful_life_months=120,
                        accumulated_depreciation=D("34000.00"), status="in_use")
        hall = Asset(village_id=village.id, code="ZC002", name="村部办公楼", category="房屋及建筑物",
                     acquired_on=date(2024, 3, 15), original_cost=D("300000.00"), useful_life_months=360)
        old = Asset(village_id=village.id, code="ZC003", name="旧仓库", category="房屋及建筑物",
                    acquired_on=date(2000, 1, 1), original_cost=D("20000.00"), useful_life_months=240,
                    accumulated_depreciation=D("19000.00"), status="disposed")
        session.add_all([tractor, hall, old])
        session.flush()
        session.add_all([
            AssetChange(village_id=village.id, asset_id=tractor.id, kind="depreciation", ym=202403,
                        on=date(2024, 3, 31), amount=D("633.33")),
            AssetChange(village_id=village.id, asset_id=tractor.id, kind="depreciation", ym=202404,
                        on=date(2024, 4, 30), amount=D("633.33")),
            AssetChange(village_id=village.id, asset_id=old.id, kind="disposal", ym=202403, on=date(2024, 3, 20),
                        amount=D("1000.00"), method="auction", proceeds=D("1500.00"), counterparty="赵六")])
        land = Resource(village_id=village.id, code="ZY001", name="东洼地", rtype="耕地", area_mu=D("120.50"),
                        status="let")
        pond = Resource(village_id=village.id, code="ZY002", name="南塘", rtype="水面", area_mu=D("8.00"))
        session.add_all([land, pond])
        c = Contract(village_id=village.id, code="HT2024001", title="东洼地发包", kind="contracting",
                     party_type="person", party_name="孙七", party_id_no=ID_NO, award_method="bidding",
                     signed_on=date(2024, 1, 2), starts_on=date(2024, 1, 1), ends_on=date(2028, 12, 31),
                     total_price=D("60000.00"))
        session.add(c)
        session.flush()
        i1 = Installment(village_id=village.id, contract_id=c.id, seq=1, due_on=date(2024, 1, 31),
                         amount=D("6000.00"), received=D("6000.00"), status="paid")
        i2 = Installment(village_id=village.id, contract_id=c.id, seq=2, due_on=date(2024, 3, 31),
                         amount=D("6000.00"), received=D("2500.00"), status="partial")
        i3 = Installment(village_id=village.id, contract_id=c.id, seq=3, due_on=date(2024, 6, 30),
                         amount=D("6000.00"))
        session.add_all([i1, i2, i3])
        session.flush()
        session.add_all([Receipt(village_id=village.id, contract_id=c.id, installment_id=i1.id, kind="payment",
                                 received_on=date(2024, 1, 20), amount=D("6000.00")),
                         Receipt(village_id=village.id, contract_id=c.id, installment_id=i2.id, kind="payment",
                                 received_on=date(2024, 3, 25), amount=D("2500.00")),
                         Receipt(village_id=village.id, contract_id=c.id, kind="deposit", received_on=date(2024, 3, 2),
                                 amount=D("5000.00"))])


def test_registers_at_the_period_end(session, world):
    _registers(session, world.a1)
    data = build_notice(session, world.a1, parse_period("2024-03"))
    a = data["assets"]
    # the April depreciation is rolled back; the disposed warehouse is gone by the end of March
    assert [(r["category"], r["count"], r["cost"], r["depreciation"]) for r in a["by_category"]] == [
        ("房屋及建筑物", 1, "300000.00", "0.00"), ("机器设备", 1, "80000.00", "33366.67")]
    assert (a["count"], a["net"], a["period_depreciation"]) == (2, "346633.33", "633.33")
    assert [(c["kind"], c["asset"]) for c in a["changes"]] == [("新增", "ZC002 村部办公楼"), ("处置", "ZC003 旧仓库")]
    assert "拍卖" in a["changes"][1]["detail"] and "1500.00" in a["changes"][1]["detail"]
    r = data["resources"]
    assert (r["count"], r["area"], r["let_area"]) == (2, "128.50", "120.50")
    (c,) = data["contracts"]["rows"]
    assert (c["party"], c["party_id"]) == ("孙七", "220102********1234")
    assert (c["received"], c["due"], c["received_to_date"], c["overdue"]) == (
        "2500.00", "12000.00", "8500.00", "3500.00")
    text = pdf_text(data)
    assert ID_NO not in text and "220102********1234" in text
    for figure in ("346,633.33", "128.50", "3,500.00", "村部办公楼", "孙七"):
        assert figure in text, figure
    other = build_notice(session, world.a2, parse_period("2024-03"))  # a1's registers stay a1's
    assert other["assets"]["count"] == 0 and other["resources"]["count"] == 0 and other["contracts"]["rows"] == []


def test_signoff_and_publication_date_are_printed(session, month):
    data = build_notice(session, month, parse_period("2024-03"))
    data.update(published_on="2024-04-05", signoff={"names": "刘理财、陈监督", "on": "2024-04-03"})
    text = pdf_text(data, version=3, status_note="")
    assert "刘理财、陈监督" in text and "2024年4月3日" in text and "2024年4月5日" in text
    assert "第3版" in text and "民主理财小组" in text and "代理服务中心" in text
    assert re.search(r"第1页共\d+页", text)


def test_many_items_break_across_pages_with_repeated_headers(session, world, month):
    with transaction(session):
        from tests.conftest import lines
        from threeassets.ledger import service
        for n in range(120):
            v = service.save_draft(session, village=month, actor=world.user("accountant"),
                                   voucher_date=date(2024, 3, 28), attachments=0,
                                   lines=lines((f"零星支出{n}", "515", "10", ""), ("零星", "101", "", "10")))
            service.review(session, voucher=v, village=month, actor=world.user("reviewer"))
            service.post(session, voucher=v, village=month, actor=world.user("accountant2"))
    data = build_notice(session, month, parse_period("2024-03"))
    assert data["expense"]["total"] == fmt(D("22100.00")).replace(",", "")
    pdf = render_notice(data, layout="a4", verify_url=URL)
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    holding = [p for p in pages if "零星支出" in p]
    assert len(holding) >= 2
    assert all("凭证号" in p and "摘要" in p for p in holding)  # the header repeats on each page
