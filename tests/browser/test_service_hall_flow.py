"""A claim through the service hall in a real browser: a village accountant submits a claim with a receipt image;
a clerk receives it, issues a one-time notice, accepts it after the missing item arrives; the voucher draft exists
with the receipt; the agency head sees the case on time on the board."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, instance_of, login, logout, start_server
from tests.browser.test_voucher_flow import open_village

pytestmark = pytest.mark.browser
APPROVAL = "支出审批单（大额支出附“四议两公开”会议记录）"
ORIGINALS = ("村级报账单（经办人、民主理财小组、村主任签字）", "原始票据（发票、财政票据等）")


def _seed(db_url: str) -> None:
    """The hall's clerk and 前进村's village accountant, added to the small world."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from threeassets.auth.rules import Role
    from threeassets.auth.service import create_user
    from threeassets.core.db import make_engine, transaction
    from threeassets.orgs.models import Village

    engine = make_engine(db_url)
    with Session(engine, expire_on_commit=False) as session, transaction(session):
        village = session.scalar(select(Village).where(Village.code == "T0101"))
        create_user(session, actor=None, username="chuangkou", display_name="陈窗口", password=PASSWORD,
                    role=Role.WINDOW_CLERK, township_id=village.township_id, village_id=None)
        create_user(session, actor=None, username="baozhang", display_name="张报账", password=PASSWORD,
                    role=Role.VILLAGE_ACCOUNTANT, township_id=None, village_id=village.id)
    engine.dispose()


@pytest.fixture(scope="module")
def hall_server(tmp_path_factory):
    """The app on a fresh database with a clerk and a village accountant (the catalogue comes with the town)."""
    instance = instance_of(tmp_path_factory, "small")
    _seed(f"sqlite:///{instance / 'threeassets.db'}")
    server = start_server(instance)
    yield server
    server.stop()


def receipt_image(path) -> None:
    """A photographed receipt stand-in: a PNG with the payee and amount drawn on it."""
    from PIL import Image, ImageDraw, ImageFont
    img = Image.new("RGB", (640, 400), "#fbf7ee")
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 28)
    except OSError:
        font = ImageFont.load_default()
    draw.rectangle((10, 10, 630, 390), outline="#8b1a1a", width=3)
    for y, text in ((40, "增值税普通发票"), (120, "购买方：前进村股份经济合作社"), (180, "路灯灯头 12 个"),
                    (240, "金额：¥1,440.00"), (320, "销售方：明亮电器维修部")):
        draw.text((40, y), text, fill="#1d3557", font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    path.write_bytes(buf.getvalue())


def submit_claim(page, base, steps, image) -> None:
    """The village accountant types a claim, uploads the receipt and submits it."""
    login(page, base, "baozhang")
    page.locator("aside").get_by_role("link", name="新建报账单").click()
    page.locator("#payee").fill("明亮电器维修部")
    page.locator("#payee_kind").select_option("firm")
    page.locator("#payee_account").fill("6217 0010 2233 4455 667")
    page.locator("[name=lines-0-purpose]").fill("村道路灯更换灯头12个")
    page.locator("[name=lines-0-account_code]").fill("514")
    page.locator("[name=lines-0-amount]").fill("1440")
    page.locator("[name=lines-1-purpose]").fill("路灯线路检修人工")
    page.locator("[name=lines-1-account_code]").fill("514")
    page.locator("[name=lines-1-amount]").fill("600")
    page.locator("[name=lines-1-invoice]").select_option("receipt")
    expect(page.locator("#claim-total")).to_have_text("2,040.00")
    expect(page.locator("#claim-white")).to_have_text("白条")
    for name, value in (("handler_name", "张报账"), ("oversight_name", "刘理财"), ("head_name", "陈村长"),
                        ("contact_phone", "13905510123")):
        page.locator(f"#{name}").fill(value)
    page.locator("#signed_on").fill(page.locator("#occurred_on").input_value())
    page.locator("#receipts").set_input_files(str(image))
    steps.shot("village-claim-form")
    page.get_by_role("button", name="保存并提交到乡镇窗口").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交，等待乡镇窗口接件")
    expect(page.locator("#claim-status")).to_contain_text("已提交待接件")
    expect(page.locator("#claim-status")).to_contain_text("白条")
    expect(page.locator("#payee-account")).to_have_text("*" * 15 + "5667")  # the village sees only the last four
    expect(page.locator("#claim-receipts img")).to_have_count(1)
    steps.shot("village-claim-submitted")
    logout(page)


def receive_and_accept(page, base, steps) -> None:
    """The clerk receives the claim, lists the missing approval form, then accepts once it is brought in."""
    login(page, base, "chuangkou")
    page.goto(base + "/t/1/hall")
    page.locator("aside").get_by_role("link", name="待接收报账").click()
    row = page.locator("#inbox-table tbody tr", has_text="明亮电器维修部")
    expect(row).to_contain_text("2,040.00")
    steps.shot("clerk-inbox")
    row.get_by_role("button", name="接件").click()
    expect(page.locator(".alert-success")).to_contain_text("已接件")
    expect(page.locator("tr.windows-missing")).to_have_count(3)  # two originals to see, the approval form
    for name in ORIGINALS:  # the accountant brought the signed claim form and the receipt
        page.get_by_label(f"原件已核验 {name}").check()
    page.get_by_role("button", name="保存材料登记").click()
    expect(page.locator("tr.windows-missing")).to_have_count(1)
    expect(page.locator("tr.windows-missing")).to_contain_text(APPROVAL)
    steps.shot("clerk-case-received")
    page.get_by_role("button", name="出具一次性告知书").click()
    expect(page.locator(".windows-notified")).to_contain_text(APPROVAL)
    steps.shot("clerk-one-time-notice")
    page.get_by_label(f"已收到 {APPROVAL}").check()
    page.get_by_label(f"原件已核验 {APPROVAL}").check()
    page.get_by_role("button", name="保存材料登记").click()
    expect(page.locator("tr.windows-missing")).to_have_count(0)
    page.get_by_role("button", name="受理并出具回执").click()
    expect(page.locator("h4")).to_contain_text("已受理")
    steps.shot("clerk-case-accepted")
    logout(page)


def test_claim_through_the_hall_to_the_board(page, hall_server, tmp_path):
    base, steps = hall_server.url, page.steps
    image = tmp_path / "路灯发票.png"
    receipt_image(image)
    submit_claim(page, base, steps, image)
    receive_and_accept(page, base, steps)

    login(page, base, "kuaiji")  # the agency accountant finds the draft with the receipt
    open_village(page, "前进村")
    page.locator("aside").get_by_role("link", name="凭证列表").click()
    page.locator("table tbody tr", has_text="村道路灯更换灯头12个").get_by_role("link", name="查看").click()
    expect(page.locator("#voucher-status")).to_have_text("待审核")
    expect(page.locator(".voucher-table tbody tr")).to_have_count(3)
    expect(page.locator(".voucher-table tfoot")).to_contain_text("2,040.00")
    expect(page.locator(".voucher-signs")).to_contain_text("附单据 1 张")
    link = page.locator("#voucher-files a")
    expect(link).to_have_text("路灯发票.png")
    with page.expect_response(lambda r: "/attachments/" in r.url) as resp:
        page.evaluate("url => fetch(url)", link.get_attribute("href"))
    assert resp.value.status == 200 and resp.value.headers["content-type"] == "image/png"
    steps.shot("voucher-draft-with-receipt")
    logout(page)

    login(page, base, "zhuren")  # the head's board: one open case at the finance window, on time
    page.get_by_role("link", name="城关镇 · 全镇概览").click()
    page.locator("aside").get_by_role("link", name="督办看板").click()
    window_row = page.locator("#open-by-window tbody tr").first
    expect(window_row).to_contain_text("1")
    expect(window_row.locator(".badge")).to_have_count(0)  # neither due soon nor overdue
    expect(page.locator("#open-by-item")).to_contain_text("村级报账")
    expect(page.locator("#open-by-owner")).to_contain_text("陈窗口")
    case_row = page.locator("#open-cases tbody tr", has_text="前进村")
    expect(case_row).to_contain_text("已受理")
    expect(case_row.locator(".badge")).to_have_text("按期")
    steps.shot("head-oversight-board")
    assert steps.console == []  # no script errors or CSP violations


def test_a_village_accountant_submits_a_claim_from_a_phone(page, hall_server, tmp_path):
    """At 390×844: the menu folds, the account is picked by pinyin, full-width digits are read, the claim is
    submitted and its status read — and no page is wider than the phone."""
    base, steps = hall_server.url, page.steps
    image = tmp_path / "收据.png"
    receipt_image(image)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, base, "baozhang")
    page.locator(".menu-toggle").click()
    page.locator("#side-menu.show").wait_for()  # unfolded: Bootstrap adds .show once its transition has ended
    page.locator("#side-menu").get_by_role("link", name="新建报账单").click()
    page.wait_for_url("**/claims/new")
    page.locator("#payee").fill("村保洁员王大姐")
    page.locator("#pay_method").select_option("cash")
    page.locator("[name=lines-0-purpose]").fill("十一月村道保洁")
    page.locator("[name=lines-0-account_code]").click()
    page.keyboard.type("gyzc")  # 公益支出
    page.locator("#picker-menu li.active").wait_for()
    page.keyboard.press("Enter")
    expect(page.locator("[name=lines-0-account_code]")).to_have_value(re.compile(r"^514 公益支出"))
    page.locator("[name=lines-0-amount]").fill("３６０")  # full-width from the phone's input method
    page.locator("[name=lines-0-invoice]").select_option("receipt")
    expect(page.locator("#claim-total")).to_have_text("360.00")
    for name, value in (("handler_name", "张报账"), ("oversight_name", "刘理财"), ("head_name", "陈村长"),
                        ("contact_phone", "１３９０５５１０１２３")):
        page.locator(f"#{name}").fill(value)
    page.locator("#signed_on").fill(page.locator("#occurred_on").input_value())
    page.locator("#receipts").set_input_files(str(image))
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    steps.shot("phone-claim-form")
    page.get_by_role("button", name="保存并提交到乡镇窗口").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交，等待乡镇窗口接件")
    expect(page.locator("#claim-status")).to_contain_text("已提交待接件")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    steps.shot("phone-claim-submitted", full_page=True)
    assert page.steps.console == []


def test_a_claim_with_mistakes_on_a_phone_names_them_all_and_keeps_the_receipt(page, hall_server, tmp_path):
    """At 390×844, the tester's claim: a future date, line 2's amount with three decimals, no 经办人, a receipt
    chosen. Every problem comes back at once, listed above the form and readable under its field in the line's
    card (no sideways scrolling); the receipt is held, so fixing the rest submits the claim with it."""
    base, steps = hall_server.url, page.steps
    image = tmp_path / "票据.png"
    receipt_image(image)
    page.set_viewport_size({"width": 390, "height": 844})
    day = (date.today() - timedelta(days=2)).isoformat()
    login(page, base, "baozhang")
    page.locator(".menu-toggle").click()
    page.locator("#side-menu.show").wait_for()
    page.locator("#side-menu").get_by_role("link", name="新建报账单").click()
    page.wait_for_url("**/claims/new")
    page.locator("#payee").fill("县城文具店")
    page.locator("#payee_account").fill("县农商银行 6222 0210 0012 3456 789")
    page.locator("#occurred_on").fill("2099-03-01")
    page.locator("[name=lines-0-purpose]").fill("购买办公用纸")
    page.locator("[name=lines-0-account_code]").fill("514")
    page.locator("[name=lines-0-amount]").fill("120")
    expect(page.locator("[name=lines-1-purpose]")).to_be_hidden()  # a phone shows one blank line
    page.get_by_role("button", name="增加一行").click()
    page.locator("[name=lines-1-purpose]").fill("打印机墨盒")
    page.locator("[name=lines-1-account_code]").fill("514")
    page.locator("[name=lines-1-amount]").fill("10.005")
    for name, value in (("oversight_name", "刘理财"), ("head_name", "陈村长"), ("contact_phone", "13905510123")):
        page.locator(f"#{name}").fill(value)
    page.locator("#signed_on").fill(day)
    page.locator("#receipts").set_input_files(str(image))
    page.get_by_role("button", name="保存并提交到乡镇窗口").click()
    listed = page.locator("#claim-problems li")
    expect(listed).to_have_text(["发生日期不能晚于今天", "第2行：金额最多两位小数", "请填写经办人"])
    listed.nth(1).locator("a").click()
    why = page.locator("#lines-1-amount-why")
    expect(why).to_be_in_viewport()
    expect(why).to_have_text("第2行：金额最多两位小数")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    expect(page.locator("#claim-held-note")).to_contain_text("已选的票据文件已暂存")
    steps.shot("phone-claim-every-problem")
    page.locator("#occurred_on").fill(day)
    page.locator("[name=lines-1-amount]").fill("10.05")
    page.locator("#handler_name").fill("张报账")
    page.get_by_role("button", name="保存并提交到乡镇窗口").click()  # no file chosen again
    expect(page.locator(".alert-success")).to_contain_text("已提交，等待乡镇窗口接件")
    expect(page.locator("#claim-receipts img")).to_have_count(1)
    assert page.steps.console == []
