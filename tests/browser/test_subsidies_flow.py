"""补贴发放 in a real browser on a fresh township: import a village's households (GBK CSV), draw up a list and
import it, start the notice, print the village's notice PDF, let the period run out, end the notice, import the
bank's result file and see the differences."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.browser.test_voucher_flow import open_village
from tests.subsidy_helpers import households_csv, list_csv, payments_csv, person_id

pytestmark = pytest.mark.browser
IDS = [person_id(n) for n in (11, 12, 13)]


def _upload(page, name: str, data: bytes) -> None:
    page.set_input_files("#file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="导入", exact=True).click()


def _run_out_the_notice(server) -> None:
    """The notice's seven days pass (the test cannot wait a week): its dates move into the past."""
    with sqlite3.connect(server.instance / "threeassets.db") as conn:
        start = date.today() - timedelta(days=8)
        conn.execute("UPDATE subsidy_batch SET notice_from = ?, notice_to = ?",
                     (start.isoformat(), (start + timedelta(days=6)).isoformat()))


def test_households_list_notice_pdf_payment_and_differences(page, small_server):
    base, steps = small_server.url, page.steps
    page.on("dialog", lambda d: d.accept())
    login(page, base, "kuaiji")
    open_village(page, "前进村")
    page.locator("aside").get_by_role("link", name="农户花名册").click()
    page.get_by_role("link", name="导入农户", exact=True).click()
    rows = [["一组", "001", "吉𠮷祥", IDS[0], "4", "6.35", "3021"], ["一组", "002", "李秀英", IDS[1], "3", "4.80", ""],
            ["二组", "003", "刘䶮", IDS[2], "5", "10", "5871"]]
    _upload(page, "前进村农户.csv", households_csv(rows))
    expect(page.locator("#import-done")).to_contain_text("导入完成：3 户")
    page.get_by_role("link", name="查看导入的数据").click()
    expect(page.locator("table.households-table tbody tr")).to_have_count(3)
    expect(page.locator("table.households-table")).to_contain_text("吉𠮷祥")
    expect(page.locator("table.households-table")).to_contain_text(IDS[0][:6] + "*" * 8 + IDS[0][-4:])
    steps.shot("households")

    page.goto(base + "/t/1/subsidies")
    page.get_by_role("link", name="＋ 新建名单").click()
    page.locator("#policy_id").select_option(label="中央 · 大中型水库移民后期扶持")
    page.get_by_role("button", name="创建").click()
    expect(page.locator(".alert-success").first).to_contain_text("名单已创建")
    _upload(page, "名单.csv", list_csv([[IDS[0], "4", "600", "2400"], [IDS[1], "3", "600", ""],
                                         [IDS[2], "5", "600", "3000.00"]]))
    expect(page.locator("#import-done")).to_contain_text("导入完成：3 户，合计 7200.00 元")
    page.get_by_role("link", name="查看导入的数据").click()
    expect(page.locator("#batch-total")).to_contain_text("3 户，7,200.00 元")
    steps.shot("list-draft")
    page.get_by_role("button", name="开始公示").click()
    expect(page.locator(".alert-success").first).to_contain_text("已开始公示")
    expect(page.locator("#notice-card")).to_contain_text("还有 7 天公示期满")
    steps.shot("noticing")
    link = page.get_by_role("link", name="打印公示表（PDF）")
    pdf = page.request.get(base + link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    with page.context.expect_page() as opened:
        link.click()
    opened.value.close()

    _run_out_the_notice(small_server)
    page.reload()
    page.get_by_role("button", name="公示期满").click()
    expect(page.locator(".alert-success").first).to_contain_text("公示期满")
    bank = payments_csv([["吉𠮷祥", IDS[0][-4:], "3021", "2400.00", date.today().isoformat(), "成功", "NS1"],
                         ["李秀英", IDS[1], "", "1700.00", date.today().isoformat(), "成功", "NS2"],
                         ["赵六", person_id(19), "", "600.00", date.today().isoformat(), "成功", "NS3"]])
    _upload(page, "农商银行代发结果.csv", bank)
    expect(page.locator("#import-done")).to_contain_text("差异 3 处")
    page.get_by_role("link", name="查看导入的数据").click()
    differences = page.locator("table.subsidy-differences")
    expect(differences.locator("tbody tr")).to_have_count(3)
    expect(differences).to_contain_text("发放金额与公示不符")
    expect(differences).to_contain_text("不在公示名单")
    expect(differences).to_contain_text("未发放")
    expect(page.locator("h4 .badge")).to_have_text("已发放")
    steps.shot("differences")
    page.set_viewport_size({"width": 390, "height": 844})
    steps.shot("differences-390")
