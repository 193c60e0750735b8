"""The service hall in a real browser on the demo: a clerk receives a 证明开具 applicant (a certificate about herself,
so the village committee's recommendation, needed only for collective matters, does not apply), hands over a
one-time notice, accepts once the materials are in, and the applicant looks the case up on the public page."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, login

pytestmark = pytest.mark.browser


def _fits_a_phone(page, steps, shot: str) -> None:
    """At 390 px the checklist is cards (no header row) and neither it nor the page scrolls sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    checklist = page.locator("table.windows-checklist")
    expect(checklist.locator("thead")).to_be_hidden()
    assert checklist.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    steps.shot(shot)
    page.set_viewport_size({"width": 1366, "height": 800})


def test_intake_notice_accept_and_public_lookup(page, demo_server):
    base, steps = demo_server.url, page.steps
    login(page, base, "chuangkou", DEMO_PASSWORD)  # a window clerk lands in the hall
    expect(page.locator("h4")).to_contain_text("服务大厅")
    expect(page.locator(".windows-card.is-overdue")).to_have_count(1)
    steps.shot("hall")
    page.locator("aside").get_by_role("link", name="受理登记").click()
    page.wait_for_url("**/hall/intake")  # the chooser submits itself only once the page's script has run
    page.locator("#item").select_option(label="综合受理窗口 · 证明开具（3个工作日）")  # reloads with the checklist
    expect(page.locator("table.windows-checklist tbody tr")).to_have_count(3)
    name = page.locator("#applicant_name")  # 50 characters, rare ones (outside the BMP) counted as one each
    for typed, kept in (("𠀀" * 50, 50), ("𠀀" * 51, 50), ("韩" * 60, 50)):
        name.fill(typed)
        assert name.evaluate("e => Array.from(e.value).length") == kept
    name.press("Home")
    name.press_sequentially("王")  # a full field takes nothing more, wherever the caret: nothing else is pushed out
    assert name.input_value() == "韩" * 50
    expect(page.locator("#applicant_name + .char-count")).to_have_text("已达上限 50 字")  # said, not silent
    name.fill("韩" * 41)
    expect(page.locator("#applicant_name + .char-count")).to_have_text("已输入 41 / 50 字")
    name.fill("韩梅梅")
    expect(page.locator("#applicant_name + .char-count")).to_be_hidden()
    page.locator("#applicant_phone").fill("13612348765")
    page.locator("tbody tr").nth(1).locator("input[type=checkbox]").first.check()  # only the ID card brought
    page.locator("tbody tr").nth(1).locator("input[type=checkbox]").nth(1).check()
    page.get_by_label("不适用 村委会推荐意见（需证明集体事项时）").check()  # 视情形提交: not her case
    steps.shot("intake")
    expect(page.locator("table.windows-checklist thead")).to_be_visible()  # a table on a desk
    _fits_a_phone(page, steps, "intake-phone")
    page.get_by_role("button", name="材料不全，出具一次性告知书").click()
    expect(page.locator(".alert-success")).to_contain_text("共 1 项需补正")
    expect(page.locator(".windows-notified li")).to_have_text(["证明申请表（写明用途）"])
    number = page.locator("h4 .windows-no").inner_text().strip()
    expect(page.get_by_role("link", name="打印一次性告知书")).to_be_visible()
    steps.shot("supplement")
    _fits_a_phone(page, steps, "supplement-phone")  # the case page's checklist too
    for row in page.locator("table.windows-checklist tbody tr").all():
        for box in row.locator("input[type=checkbox]").all():
            box.check()
    expect(page.get_by_label("不适用 村委会推荐意见（需证明集体事项时）")).to_be_checked()
    page.get_by_role("button", name="保存材料登记").click()
    expect(page.locator(".windows-checklist .windows-na")).to_have_count(1)  # still not applicable, greyed
    page.get_by_role("button", name="受理并出具回执").click()
    expect(page.locator(".alert-success")).to_contain_text("已受理")
    expect(page.get_by_role("link", name="打印受理回执")).to_be_visible()
    steps.shot("accepted")
    page.goto(base + "/public/case")
    page.locator("#number").fill(number)
    page.locator("#tail").fill("8765")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#lookup-result")).to_contain_text("已受理")
    expect(page.locator("#lookup-result")).to_contain_text("韩**")
    steps.shot("public")
    assert steps.console == []
