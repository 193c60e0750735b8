"""The three-assets registers end to end in a real browser, on fresh books: add an asset bought last month, run
this month's depreciation, let a resource by contract, receive its installment, and see the receivable cleared
and the vouchers in the ledger."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_voucher_flow import open_village

pytestmark = pytest.mark.browser


def _menu(page, name: str) -> None:
    """Open a left-menu entry."""
    with page.expect_navigation():  # until the new page's load: its scripts (the account picker) are bound
        page.locator("aside").get_by_role("link", name=name, exact=True).click()


def _fill(page, values: dict[str, str]) -> None:
    """Fill form fields by id."""
    for field, value in values.items():
        page.locator(f"#{field}").fill(value)


def _add_asset(page, bought: date) -> None:
    """新增资产卡片: an office building bought from the bank account on the first of last month."""
    _menu(page, "资产台账")
    page.get_by_role("link", name="新增资产卡片").click()
    page.locator("#funding-bank").check()
    _fill(page, {"code": "GZ-001", "name": "村部办公楼", "category": "房屋及建筑物", "acquired_on": bought.isoformat(),
                 "original_cost": "120,000.00", "useful_life_months": "240", "salvage_rate": "5",
                 "accumulated_depreciation": "0"})
    page.locator("#purpose").select_option("management")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success").first).to_contain_text("资产卡片 GZ-001 村部办公楼 已保存")


def _depreciate(page, steps) -> None:
    """计提折旧 for this month: (120,000 − 5%) ÷ 240 = 475.00 to 513 管理费用."""
    _menu(page, "计提折旧")
    expect(page.locator(".assets-voucher-preview")).to_contain_text("513 管理费用")
    expect(page.locator(".assets-voucher-preview")).to_contain_text("475.00")
    steps.shot("depreciation-preview")
    page.get_by_role("button", name="计提并生成凭证").click()
    expect(page.locator(".alert-success").first).to_contain_text("折旧已计提")
    _menu(page, "资产对账")
    expect(page.locator(".alert-success")).to_contain_text("账卡相符")


def _add_resource(page) -> None:
    """登记资源: fifty mu of farmland, not yet let."""
    _menu(page, "资源台账")
    page.get_by_role("link", name="登记资源").click()
    _fill(page, {"code": "GD-001", "name": "村东一组耕地", "area_mu": "50.00", "location": "村东一组"})
    page.locator("#rtype").select_option("耕地")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success").first).to_contain_text("已登记资源 GD-001 村东一组耕地")


def _contract(page, today: date, steps) -> None:
    """新建合同 for the farmland, paid at once, with its 决议 and 决议公开, then 生效."""
    _menu(page, "合同管理")
    page.get_by_role("link", name="新建合同").click()
    _fill(page, {"code": "HT-001", "title": "村东一组耕地承包合同", "party_name": "张三",
                 "party_id_no": "11010519491231002X", "party_phone": "13800000000",
                 "signed_on": today.isoformat(), "starts_on": today.isoformat(),
                 "ends_on": (today + timedelta(days=3 * 365)).isoformat(), "total_price": "8,000.00",
                 "d_resolution_on": (today - timedelta(days=21)).isoformat(), "d_attendees": "40",
                 "d_votes_for": "36", "d_votes_against": "2", "d_votes_abstain": "2",
                 "d_notice_from": (today - timedelta(days=20)).isoformat(),
                 "d_notice_to": (today - timedelta(days=13)).isoformat()})
    page.locator("select[name=subject_ref]").first.select_option(label="GD-001 村东一组耕地（耕地，50.00 亩，未发包）")
    page.locator("#frequency").select_option("once")
    page.get_by_role("button", name="保存为草稿").click()
    expect(page.locator(".alert-success").first).to_contain_text("合同 HT-001 已保存为草稿")
    steps.shot("contract-draft")
    page.get_by_role("button", name="生效").click()
    expect(page.locator("h4 .badge")).to_have_text("履行中")
    page.set_viewport_size({"width": 390, "height": 844})  # on a phone the subjects are cards, nothing sideways
    subjects = page.locator("h5", has_text="合同标的").locator("xpath=following-sibling::table[1]")
    expect(subjects.locator("thead")).to_be_hidden()
    assert subjects.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    steps.shot("contract-phone")
    page.set_viewport_size({"width": 1366, "height": 800})


def test_asset_depreciation_contract_receipt_and_ledger(page, small_server):
    base, steps = small_server.url, page.steps
    page.on("dialog", lambda d: d.accept())
    today = date.today()
    bought = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # first of last month
    login(page, base, "kuaiji")
    open_village(page, "前进村")
    _add_asset(page, bought)
    _depreciate(page, steps)
    _add_resource(page)
    _contract(page, today, steps)

    # 确认到期应收 puts the installment due today into 112 应收款; then the money comes in.
    _menu(page, "应收款/逾期")
    expect(page.locator("table tbody")).to_contain_text("8,000.00")
    page.get_by_role("button", name="确认到期应收").click()
    expect(page.locator(".alert-success").first).to_contain_text("已确认 1 期应收款")
    steps.shot("accrued")
    page.get_by_role("link", name="HT-001").click()
    page.locator("main").get_by_role("link", name="收款", exact=True).click()
    expect(page.locator("#amount")).to_have_value("8000.00")
    page.get_by_role("button", name="收款并生成凭证").click()
    expect(page.locator(".alert-success").first).to_contain_text("已收款 8,000.00 元并生成记账凭证")
    expect(page.locator("table", has_text="已收金额").locator("tbody tr").first).to_contain_text("已收清")
    steps.shot("contract-paid")

    _menu(page, "应收款/逾期")
    expect(page.locator("table tbody")).to_contain_text("没有应收款")

    # 明细账 of 112 应收款 for this month: the accrual and the receipt, ending at zero (平).
    _menu(page, "明细账")
    page.locator("#account").click()
    page.keyboard.type("112")  # the pinyin picker: the code offers the account first, then its sub-accounts
    page.locator("#picker-menu li.active").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("#account")).to_have_value(re.compile(r"^112 "))
    ym = f"{today:%Y-%m}"
    page.locator("#from").fill(ym)
    page.locator("#to").fill(ym)
    page.get_by_role("button", name="查询").click()
    rows = page.locator("#ledger tbody tr")
    expect(rows).to_have_count(6)  # opening, accrual, receipt, 本月合计, 本年累计, closing
    expect(rows.nth(1)).to_contain_text("8,000.00")
    expect(rows.nth(2)).to_contain_text("8,000.00")
    expect(rows.last).to_contain_text("平")
    expect(rows.last).to_contain_text("0.00")
    steps.shot("ledger-112")
    rows.nth(2).get_by_role("link").click()
    voucher = page.locator("main")
    expect(voucher).to_contain_text("102 银行存款")
    expect(voucher).to_contain_text("112 应收款")
    expect(voucher).to_contain_text("已记账")
    steps.shot("receipt-voucher")
    assert steps.console == []
