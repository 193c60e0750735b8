"""Disclosure notices in a real browser, on the demo: the agency submits this month's draft, the village's
oversight group signs it, the head publishes it; a villager finds it on the public pages and checks a PDF copy
(the published one matches, a modified one does not); the township's batch run ends in a ZIP."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, login, logout
from tests.browser.test_voucher_flow import open_village

pytestmark = pytest.mark.browser


def fits(page) -> None:
    """The page is no wider than the window (no sideways scrolling on a kiosk or a phone)."""
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url


def open_notices(page, village: str = "东风村") -> None:
    """From home, the village's 财务公开 list."""
    open_village(page, village)
    page.locator("aside").get_by_role("link", name="财务公开", exact=True).click()
    expect(page.locator("h4")).to_contain_text("财务公开榜")


def test_notice_from_draft_to_public_verification(page, demo_server, tmp_path):
    base, steps = demo_server.url, page.steps
    login(page, base, "kuaiji", DEMO_PASSWORD)
    open_notices(page)
    rows = page.locator("#disclosure-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("草稿")
    expect(rows.nth(1)).to_contain_text("已公布")
    steps.shot("staff-list")
    fits(page)
    rows.nth(0).get_by_role("link", name="查看").click()
    expect(page.locator("#key-figures")).to_contain_text("本期收入合计")
    steps.shot("notice-draft")
    fits(page)
    # the month is not closed (or not over): the page says so and the button asks once more
    expect(page.locator("#unfinished-warning")).to_be_visible()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="提交民主理财小组审核").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交")
    notice_url = page.url
    logout(page)

    login(page, base, "licai", DEMO_PASSWORD)
    page.locator("aside").get_by_role("link", name="待审核签字的公开榜").click()
    page.locator("#disclosure-list tbody tr").first.get_by_role("link", name="审核签字").click()
    page.locator("#signoff-names").fill("刘理财、王立新、赵秀兰")
    page.locator("#signoff-remarks").fill("已逐笔核对，同意公开")
    steps.shot("signoff-form")
    page.get_by_role("button", name="审核通过，签字").click()
    expect(page.locator(".alert-success")).to_contain_text("已审核签字")
    logout(page)

    login(page, base, "zhuren", DEMO_PASSWORD)
    page.goto(notice_url)
    until = page.locator("#display_until")
    kept = until.input_value()
    posted = date.fromisoformat(page.locator("#posted_on").input_value())
    until.fill((posted + timedelta(days=3)).isoformat())  # a period the server refuses is said before "sure?"
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()
    page.on("dialog", dismiss)
    page.get_by_role("button", name="公布", exact=True).click()
    assert until.evaluate("e => e.validationMessage") == "公示期不少于15天（现为4天）" and asked == []
    page.remove_listener("dialog", dismiss)
    until.fill(kept)
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="公布", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已公布")
    expect(page.locator("#sha256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    steps.shot("notice-published")
    pdf = page.request.get(base + page.locator("#preview-pdf").get_attribute("href")).body()
    assert pdf.startswith(b"%PDF")
    logout(page)

    page.goto(base + "/public/villages")  # the village list /public was until it became the kiosk's home
    steps.shot("public-index")
    page.get_by_role("link", name=re.compile("东风村")).click()
    notices = page.locator(".disclosure-notice")
    expect(notices).to_have_count(2)
    steps.shot("public-village")
    fits(page)
    notices.first.get_by_role("link", name="查验").click()
    expect(page.locator("#genuine")).to_be_visible()
    steps.shot("verify")

    good, bad = tmp_path / "公开榜.pdf", tmp_path / "改过的公开榜.pdf"
    good.write_bytes(pdf)
    bad.write_bytes(pdf[:-40] + b" " * 40)
    page.locator("#file").set_input_files(str(good))
    page.get_by_role("button", name="核对", exact=True).click()
    expect(page.locator("#verdict")).to_have_attribute("data-match", "yes")
    steps.shot("verify-match")
    page.locator("#file").set_input_files(str(bad))
    page.get_by_role("button", name="核对", exact=True).click()
    expect(page.locator("#verdict")).to_have_attribute("data-match", "no")
    steps.shot("verify-mismatch")
    page.set_viewport_size({"width": 390, "height": 844})  # the QR code is scanned with a phone
    page.reload()
    steps.shot("verify-phone")
    fits(page)
    assert page.steps.console == []


def test_township_batch_shows_progress_and_ends_in_a_zip(page, demo_server):
    base, steps = demo_server.url, page.steps
    login(page, base, "kuaiji", DEMO_PASSWORD)
    page.get_by_role("link", name="示范镇 · 全镇概览").click()
    page.locator("aside").get_by_role("link", name="全镇公开榜").click()
    expect(page.locator("#township-notices tbody tr")).to_have_count(3)
    steps.shot("township")
    page.locator("#period").fill(page.locator("#q-period").input_value())
    page.get_by_role("button", name="生成全镇公开榜（ZIP）").click()
    expect(page.locator(".job-progress")).to_be_visible()
    steps.shot("batch-progress", full_page=False)
    expect(page.locator("#job-download")).to_be_visible(timeout=60_000)
    expect(page.locator("#job-bar")).to_have_text("100%")
    page.wait_for_timeout(800)  # the bar's width transition, so the screenshot shows where it ends
    steps.shot("batch-done")
    with page.expect_download() as dl:
        page.locator("#job-download").click()
    assert dl.value.suggested_filename.endswith(".zip")
    assert page.steps.console == []
