"""A voucher import in a real browser runs in the background: the upload lands on the job's page with a progress
bar that moves by itself, and the page shows the result when the job ends (the vouchers imported, or every
error by file, line and column); the import page lists the recent imports."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

HEADER = "org_code,date,voucher_ref,summary,account_code,debit,credit\n"


def _year_of_vouchers(n: int) -> bytes:
    """n two-line vouchers spread over 2024, alternating the two villages."""
    rows = []
    for i in range(n):
        village, day = ("T0101", "T0102")[i % 2], f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        rows.append(f"{village},{day},H{i},历史凭证,513,{i % 900 + 1}.00,\n{village},{day},H{i},历史凭证,101,,"
                    f"{i % 900 + 1}.00\n")
    return (HEADER + "".join(rows)).encode()


def _upload(page, name: str, data: bytes, post: bool) -> None:
    page.locator("aside").get_by_role("link", name="导入凭证").click()
    page.set_input_files("#file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    if post:
        page.get_by_label("导入后直接记账（历史凭证）").check()
    page.get_by_role("button", name="导入").click()


def test_a_voucher_import_runs_in_the_background_with_a_progress_bar(page, small_server):
    base, steps = small_server.url, page.steps
    login(page, base, "kuaiji")
    page.get_by_role("link", name="城关镇 · 全镇概览").click()
    _upload(page, "历史凭证.csv", _year_of_vouchers(15_000), post=True)
    page.wait_for_url("**/import/vouchers/jobs/*")
    expect(page.locator(".job-progress")).to_be_visible()
    expect(page.locator("h4")).to_contain_text("导入凭证")
    steps.shot("import-progress", full_page=False)
    expect(page.locator("#import-done")).to_contain_text("导入完成：2 个村，15000 张凭证（30000 行），状态：已记账",
                                                         timeout=120_000)
    expect(page.locator("#job-bar")).to_have_text("100%")
    expect(page.locator("#job-count")).to_have_text("30000 / 30000 行")
    steps.shot("import-done")
    page.set_viewport_size({"width": 390, "height": 800})
    steps.shot("import-done-390")
    page.set_viewport_size({"width": 1280, "height": 800})

    bad = HEADER + "T0101,2024-05-03,E1,错,513,1.005,\nT0101,2024-13-03,E1,错,101,,1.00\nX9,2024-05-03,E2,越权,513,1,\n"
    _upload(page, "有错.csv", bad.encode(), post=False)
    expect(page.locator("#import-failed")).to_have_text("导入失败，未写入任何数据", timeout=60_000)
    expect(page.locator("#job-error")).to_contain_text("文件有 1 处错误")
    expect(page.locator(".import-errors tbody tr")).to_have_count(1)
    expect(page.locator(".import-errors tbody tr td").nth(1)).to_have_text("4")
    expect(page.locator(".import-errors tbody")).to_contain_text("X9 不属于本乡镇")
    steps.shot("import-failed")

    page.get_by_role("link", name="返回重新导入").click()
    recent = page.locator(".recent-jobs li")
    expect(recent).to_have_count(2)
    expect(recent.first).to_contain_text("有错.csv")
    expect(recent.first).to_contain_text("失败")
    expect(recent.nth(1)).to_contain_text("已完成")
    steps.shot("import-page-recent")
    recent.nth(1).get_by_role("link").click()
    expect(page.locator("#import-done")).to_contain_text("15000 张凭证")
    assert page.steps.console == []
