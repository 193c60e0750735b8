"""The voucher's life in a real browser, typed only with the keyboard as a 用友/金蝶 clerk would:
enter → review → post → find it in the trial balance and the ledger; and an unbalanced voucher refused
with every typed line kept. Step screenshots go to test-artifacts/<test name>/."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, logout, open_first

pytestmark = pytest.mark.browser


def open_village(page, name: str) -> None:
    """From the home page, open a village's books (its dashboard)."""
    page.locator("tr", has_text=name).get_by_role("link", name="进入账套").click()
    expect(page.locator("#current-village")).to_contain_text(name)


def open_entry(page) -> None:
    """Open 录入凭证 from the left menu and wait for the account list the picker needs."""
    with page.expect_response(re.compile(r"/accounts\.json$")):
        page.locator("aside").get_by_role("link", name="录入凭证").click()
    expect(page.locator("input.summary").first).to_be_focused()


def type_account(page, text: str, downs: int = 0) -> None:
    """Type into the focused account cell, move down the dropdown, confirm with Enter."""
    page.keyboard.type(text)
    expect(page.locator("#account-menu")).to_be_visible()
    for _ in range(downs):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#account-menu")).to_be_hidden()


def type_balanced(page, summary: str, debit: str, amount: str, credit: str) -> None:
    """From the focused first 摘要: a two-line voucher typed with the keyboard, the credit line balanced by '='."""
    page.keyboard.type(summary)
    page.keyboard.press("Enter")
    type_account(page, debit)
    page.keyboard.type(amount)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    type_account(page, credit)
    page.keyboard.press("Enter")
    page.keyboard.press("=")


def cell(page, row: int, kind: str):
    """The input of a line (0-based) and kind: summary, account, debit, credit."""
    return page.locator("tr.line").nth(row).locator(f"input.{kind}")


def test_keyboard_voucher_through_review_posting_and_reports(page, small_server):
    """Accountant types a three-line voucher; reviewer reviews; accountant posts; reports show it."""
    base, steps = small_server.url, page.steps
    login(page, base, "kuaiji")
    expect(page.locator("h4")).to_have_text("选择要处理的村（账套）")
    steps.shot("home")
    open_village(page, "前进村")
    open_entry(page)

    # Line 1: summary, Enter, account by pinyin initials, Enter, debit amount, Enter.
    page.keyboard.type("收到镇财政拨付村级运转补助")
    page.keyboard.press("Enter")
    expect(cell(page, 0, "account")).to_be_focused()
    page.keyboard.type("yhck")
    expect(page.locator("#account-menu li.active")).to_have_text(re.compile(r"^102\s*银行存款$"))
    steps.shot("account-menu")
    page.keyboard.press("Enter")
    expect(cell(page, 0, "account")).to_have_value("102 银行存款")
    expect(cell(page, 0, "debit")).to_be_focused()
    page.keyboard.type("10000")
    page.keyboard.press("Enter")

    # Line 2: the summary is copied from line 1; account by code; Enter in a filled debit skips the credit.
    expect(cell(page, 1, "summary")).to_be_focused()
    expect(cell(page, 1, "summary")).to_have_value("收到镇财政拨付村级运转补助")
    page.keyboard.press("Enter")
    type_account(page, "101")
    expect(cell(page, 1, "account")).to_have_value("101 库存现金")
    page.keyboard.type("2345.6")
    page.keyboard.press("Enter")

    # Line 3: account from a code prefix with the arrow keys (50 → 501, 502, 503 补助收入); '=' balances.
    expect(cell(page, 2, "summary")).to_be_focused()
    page.keyboard.press("Enter")
    type_account(page, "50", downs=2)
    expect(cell(page, 2, "account")).to_have_value("503 补助收入")
    expect(cell(page, 2, "debit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(cell(page, 2, "credit")).to_be_focused()
    page.keyboard.press("=")
    expect(cell(page, 2, "credit")).to_have_value("12345.60")
    expect(page.locator("#balance-hint")).to_have_text("借贷平衡")
    expect(page.locator("#total-debit")).to_have_text("12,345.60")
    expect(page.locator("#total-credit")).to_have_text("12,345.60")
    expect(page.locator("#upper")).to_have_text("壹万贰仟叁佰肆拾伍元陆角整")
    expect(cell(page, 0, "debit")).to_have_value("10,000.00")
    steps.shot("typed")

    # Balanced, nothing below: Enter goes to 保存并新增 rather than into line 4; Ctrl+S saves and opens a
    # fresh entry page for the next voucher.
    page.keyboard.press("Enter")
    expect(page.locator("#save-new")).to_be_focused()
    expect(cell(page, 3, "summary")).to_have_value("")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    expect(page.locator(".alert-success")).to_contain_text("凭证已保存")
    expect(page.locator(".alert-success")).to_contain_text("12,345.60")
    expect(cell(page, 0, "summary")).to_have_value("")
    expect(page.locator("#saved-voucher")).to_have_attribute("href", re.compile(r"/vouchers/\d+$"))
    expect(page.locator("#expected-number")).to_contain_text("记-")  # the number the next posting takes
    page.locator("aside").get_by_role("link", name="凭证列表").click()
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("收到镇财政拨付村级运转补助")
    expect(row).to_contain_text("12,345.60")
    expect(row).to_contain_text("待审核")
    steps.shot("saved-draft")
    logout(page)

    # The reviewer finds it under 待审核 and reviews it.
    login(page, base, "shenhe")
    open_village(page, "前进村")
    open_first(page, "待审核")
    expect(page.locator("#voucher-status")).to_have_text("待审核")
    page.get_by_role("button", name="审核", exact=True).click()
    expect(page.locator(".alert-success")).to_have_text("已审核")
    expect(page.locator("#voucher-status")).to_have_text("已审核")
    expect(page.locator(".voucher-signs")).to_contain_text("审核：赵审核")
    steps.shot("reviewed")
    logout(page)

    # Four eyes: the accountant who prepared it is not offered 记账; the head posts it and sees its number.
    login(page, base, "kuaiji")
    open_village(page, "前进村")
    open_first(page, "待记账")
    expect(page.get_by_role("button", name="记账", exact=True)).to_have_count(0)
    logout(page)
    login(page, base, "zhuren")
    open_village(page, "前进村")
    open_first(page, "待记账")
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已记账，凭证号 记-0001")
    expect(page.locator("#voucher-number")).to_have_text("记-0001")
    expect(page.locator("#voucher-status")).to_have_text("已记账")
    expect(page.locator(".voucher-signs")).to_contain_text("制单：李会计")
    expect(page.locator(".voucher-signs")).to_contain_text("记账：王主任")
    expect(page.locator("#total-upper")).to_have_text("壹万贰仟叁佰肆拾伍元陆角整")
    steps.shot("posted")

    # The trial balance shows the amounts on the right sides, and the totals agree.
    page.locator("aside").get_by_role("link", name="科目余额表").click()
    tb = page.locator("#trial-balance")
    expect(tb.locator("tr[data-code='102'] td.amount")).to_have_text(
        ["", "", "10,000.00", "", "10,000.00", ""])
    expect(tb.locator("tr[data-code='101'] td.amount")).to_have_text(
        ["", "", "2,345.60", "", "2,345.60", ""])
    expect(tb.locator("tr[data-code='503'] td.amount")).to_have_text(
        ["", "", "", "12,345.60", "", "12,345.60"])
    expect(tb.locator("tfoot td.amount")).to_have_text(
        ["0.00", "0.00", "12,345.60", "12,345.60", "12,345.60", "12,345.60"])
    steps.shot("trial-balance")

    # From the trial balance to the ledger of 银行存款: the voucher line and the running balance.
    tb.locator("tr[data-code='102']").get_by_role("link", name="102").click()
    expect(page.locator("h4")).to_contain_text("明细账：102 银行存款")
    entry = page.locator("#ledger tbody tr", has_text="记-0001")
    expect(entry).to_contain_text("收到镇财政拨付村级运转补助")
    expect(entry.locator("td.amount")).to_have_text(["10,000.00", "", "10,000.00"])
    closing = page.locator("#ledger tbody tr", has_text="期末余额")
    expect(closing).to_contain_text("借")
    expect(closing.locator("td.amount")).to_have_text(["", "", "10,000.00"])
    month = page.locator("#ledger tbody tr.ledger-month")
    expect(month.locator("td.amount")).to_have_text(["10,000.00", "0.00", "10,000.00"])  # 本月合计
    steps.shot("ledger")
    entry.get_by_role("link", name="记-0001").click()
    expect(page.locator("#voucher-number")).to_have_text("记-0001")


def test_unbalanced_voucher_shows_error_and_keeps_lines(page, small_server):
    """Debits 100.00 against credits 90.00: refused with the reason, nothing saved, every line kept."""
    base, steps = small_server.url, page.steps
    login(page, base, "kuaiji")
    open_village(page, "光明村")
    open_entry(page)
    page.keyboard.type("购买办公用品")
    page.keyboard.press("Enter")
    type_account(page, "glfy")
    expect(cell(page, 0, "account")).to_have_value("513 管理费用")
    page.keyboard.type("100")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    type_account(page, "kcxj")
    page.keyboard.press("Enter")
    page.keyboard.type("90")
    expect(page.locator("#balance-hint")).to_have_text(re.compile("借贷不平衡，差额 10.00"))
    page.keyboard.press("Enter")  # unbalanced: on to line 3, whose summary is copied (and dropped on save)
    expect(cell(page, 2, "summary")).to_have_value("购买办公用品")
    steps.shot("typed")

    with page.expect_navigation():
        page.keyboard.press("Control+s")
    errors = page.locator("#entry-errors")
    expect(errors).to_contain_text("凭证未保存")
    expect(errors).to_contain_text("借贷不平衡：借方合计 100.00，贷方合计 90.00，差额 10.00")
    expect(errors.locator("li")).to_have_count(1)
    expect(cell(page, 0, "summary")).to_have_value("购买办公用品")
    expect(cell(page, 0, "account")).to_have_value("513 管理费用")
    expect(cell(page, 0, "debit")).to_have_value("100.00")
    expect(cell(page, 1, "summary")).to_have_value("购买办公用品")
    expect(cell(page, 1, "account")).to_have_value("101 库存现金")
    expect(cell(page, 1, "credit")).to_have_value("90.00")
    expect(page.locator("tr.line").nth(2).locator("input.summary")).to_have_value("")
    expect(page.locator("#balance-hint")).to_contain_text("借贷不平衡")
    steps.shot("refused")

    # Fix it in place: '=' in the credit cell makes it 100.00, then the save goes through.
    cell(page, 1, "credit").focus()
    page.keyboard.press("=")
    expect(cell(page, 1, "credit")).to_have_value("100.00")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    expect(page.locator(".alert-success")).to_contain_text("凭证已保存")
    page.locator("aside").get_by_role("link", name="凭证列表").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr")).to_contain_text("100.00")


def test_entry_keyboard_helpers(page, small_server):
    """Enter in the header moves on; '..' and '//' copy summaries; space moves an amount across;
    an unknown account keeps the cursor."""
    login(page, small_server.url, "kuaiji")
    open_village(page, "光明村")
    open_entry(page)
    page.locator("#voucher_date").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#attachments")).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(cell(page, 0, "summary")).to_be_focused()
    expect(page).to_have_url(re.compile(r"/vouchers/new$"))
    expect(page.locator("#attachments")).to_have_value("3")
    page.keyboard.type("第一行摘要")
    page.keyboard.press("Enter")
    page.keyboard.type("zzzz")
    expect(page.locator("#account-menu")).to_contain_text("没有匹配的末级科目")
    page.keyboard.press("Enter")
    expect(cell(page, 0, "account")).to_be_focused()
    expect(cell(page, 0, "account")).to_have_class(re.compile("is-invalid"))
    page.keyboard.press("Control+a")
    type_account(page, "kcxj")
    expect(cell(page, 0, "account")).to_have_value("101 库存现金")
    expect(cell(page, 0, "account")).not_to_have_class(re.compile("is-invalid"))
    page.keyboard.type("50")
    page.keyboard.press(" ")
    expect(cell(page, 0, "credit")).to_be_focused()
    expect(cell(page, 0, "credit")).to_have_value("50.00")
    expect(cell(page, 0, "debit")).to_have_value("")
    page.keyboard.press("Enter")

    summary2 = cell(page, 1, "summary")
    expect(summary2).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("第二行")
    page.keyboard.press("Enter")
    type_account(page, "101")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(cell(page, 2, "summary")).to_be_focused()
    page.keyboard.press("Control+a")
    page.keyboard.type("//")
    expect(cell(page, 2, "summary")).to_have_value("第一行摘要")
    page.keyboard.press("Control+a")
    page.keyboard.type("..")
    expect(cell(page, 2, "summary")).to_have_value("第二行")
    page.steps.shot("helpers")

    # An input method left in full-width mode: the account code and the amount are read as typed half-width,
    # the totals follow, and nothing is marked wrong (the server reads them the same way).
    page.keyboard.press("Enter")
    type_account(page, "１０１")
    expect(cell(page, 2, "account")).to_have_value("101 库存现金")
    cell(page, 2, "debit").fill("１２３．４")
    cell(page, 2, "debit").press("Tab")
    expect(cell(page, 2, "debit")).not_to_have_class(re.compile("is-invalid"))
    expect(cell(page, 2, "debit")).to_have_value("123.40")
    expect(page.locator("#total-debit")).to_have_text("123.40")


def test_an_edit_saved_after_the_voucher_was_reviewed_keeps_what_was_typed(page, small_server):
    """The accountant edits a draft while the reviewer reviews it in another browser: the save is refused, what was
    typed stays on the page (its script running without save buttons), and the page offers the voucher itself."""
    base, steps = small_server.url, page.steps
    login(page, base, "kuaiji")
    open_village(page, "光明村")
    open_entry(page)
    type_balanced(page, "购买办公用品", "glfy", "100", "kcxj")
    with page.expect_navigation():
        page.locator("#save").click()
    expect(page.locator("#voucher-status")).to_have_text("待审核")
    shown = page.url
    page.get_by_role("link", name="修改", exact=True).click()
    cell(page, 0, "summary").fill("购买办公用品（已与报账员核对）")

    reviewer = page.context.browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN").new_page()
    login(reviewer, base, "shenhe")
    reviewer.goto(shown)
    reviewer.get_by_role("button", name="审核", exact=True).click()
    expect(reviewer.locator("#voucher-status")).to_have_text("已审核")
    reviewer.context.close()

    with page.expect_navigation():
        page.locator("#save").click()
    expect(page.locator("#entry-errors")).to_contain_text("凭证已审核，不能修改")
    expect(page.locator(".moved-on")).to_contain_text("尚未保存")
    expect(cell(page, 0, "summary")).to_have_value("购买办公用品（已与报账员核对）")
    expect(page.locator("#total-debit")).to_have_text("100.00")  # the entry script ran on a page without buttons
    expect(page.locator("#save, #save-new, #add-line")).to_have_count(0)
    steps.shot("moved-on")
    page.keyboard.press("Control+s")  # nothing to save with, and no script error
    page.locator(".moved-on").get_by_role("link", name="查看这张凭证").click()
    expect(page.locator("#voucher-status")).to_have_text("已审核")
    expect(page.locator("main")).not_to_contain_text("已与报账员核对")
    assert steps.console == []


def test_a_voucher_typed_on_a_phone_keeps_its_amounts_on_the_screen(page, small_server):
    """At 390 px each line is a card (摘要, 科目, then 借方 and 贷方 side by side): nothing sideways, the same keys."""
    base, steps = small_server.url, page.steps
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "kuaiji")
    page.goto(base + "/")
    open_village(page, "前进村")
    with page.expect_response(re.compile(r"/accounts\.json$")):
        page.goto(page.url.replace("/dashboard", "/vouchers/new"))
    expect(page.locator("input.summary").first).to_be_focused()
    type_balanced(page, "购买办公用品", "glfy", "56", "kcxj")
    expect(cell(page, 1, "credit")).to_have_value("56.00")
    expect(page.locator("#balance-hint")).to_contain_text("借贷平衡")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    for row, kind in ((0, "debit"), (1, "credit"), (0, "summary"), (1, "account")):
        box = cell(page, row, kind).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (row, kind, box)
    debit, credit = cell(page, 0, "debit").bounding_box(), cell(page, 0, "credit").bounding_box()
    assert abs(debit["y"] - credit["y"]) < 2 and debit["x"] < credit["x"]  # side by side under the account
    steps.shot("phone")
    assert steps.console == []
