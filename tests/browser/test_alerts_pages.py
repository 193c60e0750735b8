"""Alerts and township settings in a real browser on the demo: the township list with its counts, filtering,
acknowledging with a note, the acknowledged filter, and the settings page with a refused save."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, login

pytestmark = pytest.mark.browser


def _township(page) -> None:
    """From the home page, open the demo township's consolidated view."""
    page.get_by_role("link", name="示范镇 · 全镇概览").click()


def test_township_alerts_acknowledge_and_settings(page, demo_server):
    base, steps = demo_server.url, page.steps
    login(page, base, "zhuren", DEMO_PASSWORD)
    page.goto(base + "/")
    _township(page)
    menu = page.locator("aside").get_by_role("link", name="全镇预警")
    menu.click()
    rows = page.locator("table.alerts-table tbody tr")
    expect(rows.first).to_be_visible()
    open_count = rows.count()  # the demo's contracts, installments and cash payment as of today
    assert open_count >= 1
    expect(page.locator("aside .alerts-badge")).to_have_text(str(open_count))
    steps.shot("township-alerts")
    page.locator(".alerts-count", has_text="大额现金支付").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("6,800.00")
    rows.first.locator("input[name=note]").fill("已核实：临时用工工资，附签领表")
    rows.first.get_by_role("button", name="确认").click()
    expect(page.locator(".alert-success").first).to_contain_text("已确认")
    expect(page.locator("table.alerts-table tbody")).to_contain_text("没有符合条件的预警")
    page.locator("#state").select_option("acknowledged")
    page.get_by_role("button", name="查询").click()
    expect(rows.first).to_contain_text("已核实：临时用工工资")
    expect(rows.first).to_contain_text("王主任")
    steps.shot("acknowledged")
    if open_count > 1:
        expect(page.locator("aside .alerts-badge")).to_have_text(str(open_count - 1))

    page.locator("aside").get_by_role("link", name="参数设置").click()
    expect(page.locator("#supervision_phone")).to_have_value("0551-12345678")
    page.locator("#large_cash_threshold").fill("-100")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("不能为负数")
    steps.shot("settings-refused")
    assert steps.console == []
