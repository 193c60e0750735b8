"""期初余额 in a real browser, by keyboard: figures typed into the grid, 试算平衡 failing then passing as they are
typed, saved with Ctrl+S; the first voucher posted; the balance sheet's 年初数 shows the openings.
Step screenshots go to test-artifacts/<test name>/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, open_first
from tests.browser.test_voucher_flow import cell, open_entry, open_village, type_account

pytestmark = pytest.mark.browser


def grid(page, code: str, field: str):
    prefix = {"year_debit": "yd", "year_credit": "yc", "ytd_debit": "td", "ytd_credit": "tc"}[field]
    return page.locator(f"input[name='{prefix}-{code}']")


def test_openings_by_keyboard_then_the_first_voucher_and_the_balance_sheet(page, small_server):
    base, steps = small_server.url, page.steps
    login(page, base, "kuaiji")
    open_village(page, "光明村")
    page.locator("aside").get_by_role("link", name="期初余额").click()
    expect(page.locator("h4")).to_contain_text("期初余额")
    page.wait_for_load_state()  # the grid's keys come from openings.js at the page's end, after the heading is seen
    page.locator("#start_period").fill("2026-01")

    grid(page, "101", "year_debit").click()
    page.keyboard.type("５０００")  # an input method in full-width mode
    page.keyboard.press("Enter")
    expect(grid(page, "101", "year_credit")).to_be_focused()
    grid(page, "301", "year_credit").click()
    page.keyboard.type("3000")
    expect(page.locator("#ob-balance")).to_have_text(
        "年初余额不平衡：借方合计 5,000.00，贷方合计 3,000.00，差额 2,000.00")
    expect(page.locator("tr[data-code='101'] .ob-net")).to_have_text("5,000.00")
    steps.shot("unbalanced")
    grid(page, "322", "year_credit").click()
    page.keyboard.type("2000")
    expect(page.locator("#ob-balance")).to_have_text("试算平衡")
    expect(page.locator("#total-year_debit")).to_have_text("5,000.00")
    expect(page.locator("#total-year_credit")).to_have_text("5,000.00")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    expect(page.locator(".alert-success").first).to_contain_text("期初余额已保存（建账月份 2026-01，试算平衡）")
    expect(grid(page, "101", "year_debit")).to_have_value("5,000.00")
    steps.shot("saved")

    # A stock-take adjustment with its reason: cash found in the count, credited to 322.
    page.locator("#adj-kind").select_option("asset_found")
    page.locator("#adj-debit").fill("101")
    page.locator("#adj-credit").fill("322")
    page.locator("#adj-amount").fill("300")
    page.locator("#adj-reason").fill("清点库存现金盘盈")
    page.get_by_role("button", name="登记调整").click()
    expect(page.locator(".alert-success").first).to_contain_text("清产核资调整已登记")
    expect(page.locator("#adjustment-list tbody tr").first).to_contain_text("清点库存现金盘盈")
    expect(grid(page, "101", "year_debit")).to_have_value("5,300.00")
    expect(page.locator("#ob-balance")).to_have_text("试算平衡")
    steps.shot("adjusted")

    # The first voucher: prepared by the accountant, reviewed, posted by the head.
    open_entry(page)
    page.keyboard.type("购买办公用品")
    page.keyboard.press("Enter")
    type_account(page, "513")
    page.keyboard.type("120")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    type_account(page, "101")
    expect(cell(page, 1, "debit")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("=")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    expect(page.locator(".alert-success")).to_contain_text("凭证已保存")
    logout(page)
    login(page, base, "shenhe")
    open_village(page, "光明村")
    open_first(page, "待审核")
    page.get_by_role("button", name="审核", exact=True).click()
    logout(page)
    login(page, base, "zhuren")
    open_village(page, "光明村")
    open_first(page, "待记账")
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已记账，凭证号 记-0001")

    page.locator("aside").get_by_role("link", name="资产负债表").click()
    cash = page.locator("#statement tbody tr", has_text="货币资金")
    expect(cash.locator("td.amount").first).to_have_text("5,300.00")  # 年初数, the stock-take adjustment included
    expect(cash.locator("td.amount").nth(1)).to_have_text("5,180.00")  # 期末数
    equity = page.locator("#statement tbody tr", has_text="未分配收益")
    expect(equity).to_contain_text("2,300.00")  # the carried profit is the 年初数 of 未分配收益
    steps.shot("balance-sheet")

    page.locator("aside").get_by_role("link", name="会计报表附注").click()
    expect(page.locator("#note-1")).to_have_text("一、会计政策")
    expect(page.locator("#note-table-1")).to_contain_text("在本系统记账")  # how the books started
    distribution = page.locator("#note-table-7 tbody tr", has_text="年初未分配收益")
    expect(distribution.locator("td.amount")).to_have_text("2,300.00")  # the same carried profit
    steps.shot("notes")
