"""The annual report in a real browser on the demo: the head opens the year's report, follows a figure to the list
it was counted from, writes the problems and plans, finalises, and downloads the Word and PDF files; the county
supervisor opens the county's report; on a phone the report's tables scroll inside their frames."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, login

pytestmark = pytest.mark.browser
YEAR = date.today().year


def test_head_follows_a_figure_writes_and_finalises_the_report(page, demo_server):
    base, steps = demo_server.url, page.steps
    login(page, base, "zhuren", DEMO_PASSWORD)
    page.get_by_role("link", name="示范镇 · 全镇概览").click()  # the township's menu
    page.locator("aside").get_by_role("link", name="年度报告").click()
    page.wait_for_url("**/annual-report")  # the select submits itself only once the page's script has run
    page.select_option("#year", str(YEAR))  # the select submits itself
    report = page.locator("#annual-report")
    expect(report).to_contain_text(f"{YEAR}年度信息公开和服务工作报告")
    expect(report).to_contain_text("三、收到和处理政府信息公开申请情况")
    steps.shot("report")

    cases = report.locator("table").nth(2)  # 表3 服务窗口办件情况
    total = cases.locator("tr").last
    received = total.locator("td").nth(1)
    count = int(received.inner_text())
    assert count > 0
    received.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/hall/cases\?.*received={YEAR}"))
    expect(page.locator("table tbody tr")).to_have_count(min(count, 50))
    page.go_back()

    page.fill("#t-problems", "个别村财务公开榜公布不及时。")
    page.fill("#t-plans", "明年实行月初五日前公布。")
    page.locator("input[name='review.kept']").fill("１")  # full-width digits are read
    page.once("dialog", lambda d: d.accept())
    page.locator("#annual-finalise").click()
    expect(page.locator(".alert-success")).to_contain_text("年度报告已定稿")
    expect(page.locator("#annual-report")).not_to_contain_text("（草稿）")
    expect(page.locator("#annual-report")).to_contain_text("明年实行月初五日前公布。")
    with page.expect_download() as got:
        page.get_by_role("link", name="下载Word").click()
    with open(got.value.path(), "rb") as fh:
        doc = Document(io.BytesIO(fh.read()))
    assert any("个别村财务公开榜公布不及时" in p.text for p in doc.paragraphs)
    pdf = page.request.get(base + page.get_by_role("link", name="下载PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    steps.shot("final")
    assert steps.console == []


def test_county_supervisor_reads_the_countys_report_and_opens_a_township(page, demo_server):
    base = demo_server.url
    login(page, base, "xianjian", DEMO_PASSWORD)
    page.locator("aside").get_by_role("link", name="全县年度报告").click()
    page.wait_for_url("**/annual-report")
    page.select_option("#year", str(YEAR))
    report = page.locator("#annual-report")
    expect(report).to_contain_text("县农村经营管理站")
    expect(report.locator("table").first).to_contain_text("青山镇")
    report.locator("table").first.get_by_role("link", name="示范镇").click()
    expect(page.locator("#annual-report")).to_contain_text("示范镇农村集体“三资”代理服务中心")
    assert page.steps.console == []


def test_the_report_fits_a_phone(page, demo_server):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo_server.url, "zhuren", DEMO_PASSWORD)
    page.get_by_role("link", name="示范镇 · 全镇概览").click()
    township = re.search(r"/t/\d+/", page.url).group(0)
    page.goto(f"{demo_server.url}{township}annual-report?year={YEAR}")
    expect(page.locator("#annual-report")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.steps.shot("phone")
    assert page.steps.console == []
