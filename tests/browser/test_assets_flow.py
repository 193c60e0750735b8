"""The asset register in a real browser on the demo: list, card, this month's depreciation, reconciliation, a
disposal refused for missing 四议两公开 steps then completed, and the head approving the pending auction."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, login
from tests.browser.test_voucher_flow import open_village

pytestmark = pytest.mark.browser
STEPS = {"proposal_on": "2025-01-02", "committees_on": "2025-01-05", "members_on": "2025-01-08",
         "resolution_on": "2025-01-10", "attendees": "40", "votes_for": "36", "votes_against": "2",
         "votes_abstain": "2", "notice_from": "2025-01-11", "notice_to": "2025-01-18", "result_notice_on": "2025-02-01"}


def _menu(page, name: str) -> None:
    with page.expect_navigation():  # until the new page's load: its scripts are bound before anything is typed
        page.locator("aside").get_by_role("link", name=name).click()


def test_register_depreciation_disposal_and_reconciliation(page, demo_server):
    base, steps = demo_server.url, page.steps
    page.on("dialog", lambda d: d.accept())
    login(page, base, "kuaiji", DEMO_PASSWORD)
    open_village(page, "东风村")
    _menu(page, "资产台账")
    expect(page.locator("table.assets-table tbody tr")).to_have_count(13)
    steps.shot("list")
    page.locator("#purpose").select_option("welfare")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("table.assets-table tbody tr")).to_have_count(4)
    page.get_by_role("link", name="GZ-002").click()
    expect(page.locator("h4")).to_contain_text("村民活动中心")
    steps.shot("card")
    _menu(page, "计提折旧")
    expect(page.locator(".assets-voucher-preview")).to_contain_text("514 公益支出")
    steps.shot("depreciation-preview")
    page.get_by_role("button", name="计提并生成凭证").click()
    expect(page.locator(".alert-success").first).to_contain_text("折旧已计提")
    steps.shot("depreciation-posted")
    _menu(page, "资产对账")
    expect(page.locator(".alert-success")).to_contain_text("账卡相符")
    steps.shot("reconciliation")
    _menu(page, "资产台账")
    page.get_by_role("link", name="GZ-012").click()
    page.get_by_role("link", name="处置").click()
    page.locator("#proceeds").fill("20000")
    page.locator("#counterparty").fill("本村村民 周八")
    page.locator("#resolution_on").fill("2025-01-10")
    page.get_by_role("button", name="提交处置").click()
    expect(page.locator(".alert-danger").first).to_contain_text("缺少")
    steps.shot("disposal-refused")
    for field, value in STEPS.items():
        page.locator(f"#{field}").fill(value)
    page.get_by_role("button", name="提交处置").click()
    expect(page.locator(".alert-success").first).to_contain_text("处置已完成并记账")
    expect(page.locator("h4 .badge")).to_have_text("已处置")
    steps.shot("disposed")
    _menu(page, "资产对账")
    expect(page.locator(".alert-success")).to_contain_text("账卡相符")
    assert steps.console == []


def test_head_approves_the_pending_auction(page, demo_server):
    base, steps = demo_server.url, page.steps
    page.on("dialog", lambda d: d.accept())
    login(page, base, "zhuren", DEMO_PASSWORD)
    open_village(page, "东风村")
    _menu(page, "资产台账")
    page.get_by_role("link", name="GZ-013").click()
    expect(page.locator(".alert-warning")).to_contain_text("待中心主任审批")
    steps.shot("pending")
    page.get_by_role("button", name="审批通过并记账").click()
    expect(page.locator(".alert-success").first).to_contain_text("审批并记账")
    steps.shot("approved")
    page.goto(page.url.replace(page.url.split("/assets")[1], "") + "/reconcile")
    expect(page.locator(".alert-success")).to_contain_text("账卡相符")
    assert steps.console == []
