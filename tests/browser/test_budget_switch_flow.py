"""Budgets and the 2004 chart switch-over in a real browser: the grid is typed with the keyboard (Enter moves down,
Ctrl+S saves), and a village's 2023 trial balance is uploaded, previewed with a stock-take adjustment typed on the
preview, and confirmed into its 2024 opening."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, login
from tests.browser.test_voucher_flow import open_village

pytestmark = pytest.mark.browser

TB_2004 = ("account_code,account_name,debit_balance,credit_balance\n101,现金,300.00,\n112,应收款,200.00,\n"
           "112001,张三,200.00,\n202,应付款,,100.00\n202001,村道施工队,,100.00\n301,资本,,400.00\n")


def test_budget_grid_with_the_keyboard(page, small_server):
    base, steps = small_server.url, page.steps
    login(page, base, "kuaiji")
    open_village(page, "前进村")
    page.locator("aside").get_by_role("link", name="年度财务预算").click()
    page.locator("input[name=year]").first.fill("2024")
    page.get_by_role("button", name="切换年度").click()
    first = page.locator("input.budget-cell").first
    expect(first).to_be_focused()
    page.keyboard.type("12,000")
    page.keyboard.press("Enter")
    expect(page.locator("input.budget-cell").nth(1)).to_be_focused()
    page.keyboard.type("300")
    page.keyboard.press("Shift+Enter")
    expect(first).to_be_focused()
    expect(page.locator("#total-income")).to_have_text("12,300.00")
    steps.shot("typed")
    page.keyboard.press("Control+s")
    expect(page.locator(".alert-success")).to_contain_text("2024年预算已保存：2 个科目")
    expect(first).to_have_value("12,000.00")
    page.locator("main").get_by_role("link", name="预算执行情况").click()
    expect(page.locator("#budget-report tr[data-code='501']")).to_contain_text("12,000.00")
    steps.shot("report")
    assert steps.console == []  # no script errors or CSP violations


def test_a_parent_typed_beside_its_budgeted_child_is_counted_once_and_marked(page, demo_server):
    """The demo's chart has sub-accounts (501 经营收入 → 50101 …); nothing is saved."""
    login(page, demo_server.url, "kuaiji", DEMO_PASSWORD)
    open_village(page, "东风村")
    page.locator("aside").get_by_role("link", name="年度财务预算").click()
    page.locator("input[name=year]").first.fill("2030")
    with page.expect_navigation(url=re.compile(r"year=2030")):  # read the rows of the new page, loaded whole
        page.get_by_role("button", name="切换年度").click()
    levels = page.eval_on_selector_all("tr[data-category]", "trs => trs.map(t => [t.dataset.code, +t.dataset.level])")
    parent, child = next((a, b) for (a, la), (b, lb) in zip(levels, levels[1:], strict=False) if lb > la)
    before = page.locator("#total-income").inner_text(), page.locator("#total-expense").inner_text()
    page.locator(f"tr[data-code='{parent}'] input.budget-cell").fill("5,000")
    grown = page.locator("#total-income").inner_text(), page.locator("#total-expense").inner_text()
    assert grown != before and page.locator("#budget-nested").inner_text() == ""
    page.locator(f"tr[data-code='{child}'] input.budget-cell").fill("5,000")
    assert (page.locator("#total-income").inner_text(), page.locator("#total-expense").inner_text()) == grown
    expect(page.locator("#budget-nested")).to_contain_text(f"科目 {parent} 的下级科目已填写预算")
    expect(page.locator(f"tr[data-code='{parent}'] input.budget-cell")).to_have_class(re.compile("is-invalid"))
    page.locator(f"tr[data-code='{parent}'] input.budget-cell").fill("0")  # a budget of 0 is a budget to the save
    expect(page.locator("#budget-nested")).to_contain_text(f"科目 {parent} 的下级科目已填写预算")
    page.locator(f"tr[data-code='{child}'] input.budget-cell").fill("")
    expect(page.locator("#budget-nested")).to_have_text("")
    expect(page.locator(f"tr[data-code='{parent}'] input.budget-cell")).not_to_have_class(re.compile("is-invalid"))
    page.steps.shot("nested")


def test_switch_over_from_upload_to_opening_balances(page, small_server):
    base, steps = small_server.url, page.steps
    src = small_server.instance / "tb2004.csv"
    src.write_bytes(TB_2004.encode("gbk"))
    login(page, base, "kuaiji")
    open_village(page, "光明村")
    page.locator("aside").get_by_role("link", name="新旧制度转换").click()
    page.locator("#file").set_input_files(str(src))
    page.get_by_role("button", name="检查并预览期初余额").click()
    expect(page.locator("#switch-rows")).to_contain_text("211001")
    expect(page.locator("#opening-lines tfoot")).to_contain_text("500.00")
    steps.shot("preview")
    # a stock-take adjustment typed with the keyboard: Tab from field to field, Enter previews again
    kind = page.locator("select[name=adj-kind-0]")
    kind.focus()
    kind.select_option("asset_found")
    for name, text in (("adj-debit-0", "151"), ("adj-credit-0", "311"), ("adj-amount-0", "1000"),
                       ("adj-reason-0", "盘盈水泵一台")):
        page.keyboard.press("Tab")
        expect(page.locator(f"input[name={name}]")).to_be_focused()
        page.keyboard.type(text)
    page.keyboard.press("Enter")
    adjusted = page.locator("#opening-lines tr[data-code='151'] td")
    expect(adjusted.nth(4)).to_have_text("1,000.00")  # 清产核资调整 借方
    expect(adjusted.nth(6)).to_have_text("1,000.00")  # 调整后期初余额 借方
    expect(page.locator("#opening-lines tfoot")).to_contain_text("1,500.00")
    expect(page.locator("input[name=adj-amount-0]")).to_have_value("1,000.00")
    steps.shot("preview-adjusted")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="确认转换并建账").click()
    expect(page.locator(".alert-success").first).to_contain_text("转换后的余额已作为 2024年1月 的期初余额")
    expect(page.locator("#adjustment-list")).to_contain_text("盘盈资产入账")
    expect(page.locator("#adjustment-list")).to_contain_text("盘盈水泵一台")
    expect(page.locator("#adjustment-list")).to_contain_text("李会计")
    expect(page.locator("#adjustments-more")).to_be_visible()
    steps.shot("switched")
    page.get_by_role("link", name="期初科目余额表（2024-01）").click()
    expect(page.locator("#trial-balance tr[data-code='211001']")).to_contain_text("村道施工队")
    expect(page.locator("#trial-balance tr[data-code='151']")).to_contain_text("1,000.00")
    expect(page.locator("#trial-balance tfoot")).to_contain_text("1,500.00")
    steps.shot("opening-trial-balance")
    assert steps.console == []
