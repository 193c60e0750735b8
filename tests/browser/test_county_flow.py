"""The county's view in a real browser on the demo: the county supervisor lands on every township side by side,
sorts the table by keyboard, and drills down to a township, a village's books and one voucher; on a phone the wide
table scrolls sideways inside its frame."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, login

pytestmark = pytest.mark.browser


def test_county_supervisor_drills_down_to_a_voucher(page, demo_server):
    base, steps = demo_server.url, page.steps
    login(page, base, "xianjian", DEMO_PASSWORD)
    expect(page).to_have_url(base + "/county")
    table = page.locator("#county-table")
    expect(table.locator("tbody tr")).to_have_count(2)  # 示范镇 and 青山镇
    expect(table.locator("tfoot")).to_contain_text("合计")
    expect(page.locator("#county-alerts")).to_contain_text("库存现金")
    expect(page.locator("svg.chart-hbar")).to_have_count(2)
    steps.shot("county")

    sort = table.get_by_role("button", name="库存现金")
    sort.focus()
    page.keyboard.press("Enter")  # the header buttons sort by keyboard
    expect(table.locator("th[aria-sort]")).to_have_count(1)

    table.get_by_role("link", name="示范镇").click()
    expect(page.locator("h1")).to_contain_text("示范镇")
    expect(page.locator("#county-table tbody tr")).to_have_count(3)
    steps.shot("township")
    page.locator("#county-table").get_by_role("link", name="东风村").click()
    expect(page).to_have_url(re.compile(r"/v/\d+/dashboard$"))  # the village's own dashboard
    page.locator("aside").get_by_role("link", name="凭证列表").click()
    page.locator("table tbody tr").first.get_by_role("link", name="查看").click()
    expect(page.locator("body")).to_contain_text("记-")
    steps.shot("voucher")
    assert steps.console == []


def test_county_table_scrolls_on_a_phone(page, demo_server):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo_server.url, "xianjian", DEMO_PASSWORD)
    frame = page.locator(".county-scroll").first
    wide = frame.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wide
    body_fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert body_fits  # the page itself does not scroll sideways, only the table's frame
    page.steps.shot("phone")
    assert page.steps.console == []
