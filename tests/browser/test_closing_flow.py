"""Month close in a real browser: a reviewed but unposted voucher stops the close with a clear reason; once it is
posted the month closes and shows as locked; a voucher dated in the closed month is then refused."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import cli, login, logout, open_first
from tests.browser.test_voucher_flow import cell, open_entry, open_village, type_balanced

pytestmark = pytest.mark.browser

MARCH = ("org_code,date,voucher_ref,summary,account_code,debit,credit\n"
         "T0101,2024-03-05,M1,购买办公用品,513,120.00,\nT0101,2024-03-05,M1,购买办公用品,101,,120.00\n"
         "T0101,2024-03-18,M2,收到租金,101,800.00,\nT0101,2024-03-18,M2,收到租金,501,,800.00\n")


def open_closing(page, year: int = 2024) -> None:
    """月结/年结 from the left menu, then the given year."""
    page.locator("aside").get_by_role("link", name="月结/年结").click()
    expect(page.locator("h4")).to_contain_text("月结/年结")
    while f"{year} 年" not in (shown := page.locator("h4").inner_text()):
        page.get_by_role("link", name="上一年").click()
        expect(page.locator("h4")).not_to_have_text(shown)  # the year before has come, not the page it left


def month_row(page, label: str):
    """The closing page's row of one month."""
    return page.locator(f"#closing-months tr[data-period='{label}']")


def test_close_a_month_and_posting_into_it_is_refused(page, small_server):
    base, steps = small_server.url, page.steps
    src = small_server.instance / "march.csv"
    src.write_text(MARCH, encoding="utf-8")
    cli(small_server.instance, "import", "vouchers", str(src))  # two drafts in 2024-03

    login(page, base, "shenhe")
    open_village(page, "前进村")
    for _ in range(2):
        open_first(page, "待审核")
        page.get_by_role("button", name="审核", exact=True).click()
        expect(page.locator(".alert-success")).to_have_text("已审核")
    logout(page)

    # One of the two is posted; the close names the one still waiting.
    login(page, base, "kuaiji")
    open_village(page, "前进村")
    open_first(page, "待记账")
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已记账")
    open_closing(page)
    march = month_row(page, "2024-03")
    expect(march).to_contain_text("未结账")
    page.once("dialog", lambda d: d.accept())
    march.get_by_role("button", name="结账").click()
    expect(page.locator(".alert-danger")).to_have_text("2024-03 不能结账：有 1 张凭证已审核未记账")
    expect(month_row(page, "2024-03")).to_contain_text("未结账")
    steps.shot("refused")

    # Post the other one from the count's link, then close.
    month_row(page, "2024-03").locator("a", has_text="1").click()
    page.locator("table tbody tr").first.get_by_role("link", name="查看").click()
    page.get_by_role("button", name="记账", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已记账，凭证号 记-0002")
    open_closing(page)
    page.once("dialog", lambda d: d.accept())
    month_row(page, "2024-03").get_by_role("button", name="结账").click()
    expect(page.locator(".alert-success")).to_contain_text("2024-03 已结账")
    march = month_row(page, "2024-03")
    expect(march).to_contain_text("已结账")
    expect(march).to_contain_text("李会计")
    expect(march.get_by_role("button")).to_have_count(0)  # an accountant cannot reopen
    steps.shot("closed")

    # A voucher dated in the closed month: refused with the reason, the typed lines kept.
    open_entry(page)
    page.locator("#voucher_date").fill("2024-03-20")
    cell(page, 0, "summary").focus()
    type_balanced(page, "补记三月电费", "513", "66", "101")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    expect(page.locator("#entry-errors")).to_contain_text("会计期间 2024-03 已结账，不能录入或记账")
    expect(cell(page, 0, "summary")).to_have_value("补记三月电费")
    steps.shot("entry-refused")
    logout(page)

    # The agency head sees 反结账 with a reason field.
    login(page, base, "zhuren")
    open_village(page, "前进村")
    open_closing(page)
    expect(month_row(page, "2024-03").get_by_placeholder("反结账原因")).to_be_visible()
    steps.shot("head-view")
