"""依申请公开 in a real browser on the demo: the window clerk registers a request for disclosure, answers it
(不予公开, the legal basis filled in as the kind is chosen) and prints the answer."""
from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import DEMO_PASSWORD, login

pytestmark = pytest.mark.browser


def test_register_answer_and_print(page, demo_server):
    base, steps = demo_server.url, page.steps
    login(page, base, "chuangkou", DEMO_PASSWORD)
    page.locator("aside").get_by_role("link", name="登记公开申请").click()
    page.locator("#requester_kind").select_option(label="商业企业")
    page.locator("#requester_name").fill("合肥丰收农资有限公司")
    page.locator("#requester_id_no").fill("９１１１００００６０００３７３４１Ｌ")  # typed full-width
    page.locator("#contact").fill("0551-65001234")
    page.locator("#content").fill("东风村2025年村集体机动地发包合同的承包人名单及联系方式")
    page.locator("#channel").select_option(label="邮寄（信函）")
    steps.shot("new")
    page.get_by_role("button", name="登记申请").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记，编号 依申〔")
    number = page.locator("h4 .windows-no").inner_text().strip()
    expect(page.locator(".ir-clock")).to_contain_text("20 天")
    steps.shot("registered")
    page.wait_for_load_state()  # the answer kind fills the basis through the page's script
    page.locator("#outcome").select_option("withheld_4")
    expect(page.locator("#answer_basis")).to_have_value("《中华人民共和国政府信息公开条例》第十五条")
    page.locator("#answer_text").fill("所申请信息为承包人的个人信息，经征求意见，承包人不同意公开。")
    page.get_by_role("button", name="答复并生成答复书").click()
    expect(page.locator(".alert-success")).to_contain_text("已答复")
    expect(page.locator("h4")).to_contain_text("已答复")
    steps.shot("answered")
    pdf = page.request.get(base + page.locator("#pdf-answer").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.body())).pages)
    for words in (number, "（不予公开）", "保护第三方合法权益", "第十五条", "行政复议", "合肥丰收农资有限公司"):
        assert words in text, words
    page.locator("aside").get_by_role("link", name="依申请公开").click()
    expect(page.locator("table tbody")).to_contain_text(number)
    steps.shot("list")
    assert steps.console == []
