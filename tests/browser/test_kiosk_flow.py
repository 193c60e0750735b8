"""The public kiosk in Chromium, at the hall's 1080×1920 portrait screen and on a 390×844 phone: browse a
department's policies, open one, look up a household's payments, open a village's payment list, then leave it
alone and watch it count down and go home. Screenshots of every step go to test-artifacts/<test>/."""
from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import instance_of, start_server

pytestmark = pytest.mark.browser
IDLE = 10  # seconds: the kiosk's idle return, shortened for the test (60 in production)
SIZES = {"kiosk": (1080, 1920), "phone": (390, 844)}


@pytest.fixture(scope="module")
def kiosk_server(tmp_path_factory):
    """The demo with households and payment lists of 东风村, served with a short idle time."""
    instance = instance_of(tmp_path_factory, "demo")
    _seed(f"sqlite:///{instance / 'threeassets.db'}")
    os.environ["THREEASSETS_KIOSK_IDLE_SECONDS"] = str(IDLE)
    try:
        server = start_server(instance)
    finally:
        del os.environ["THREEASSETS_KIOSK_IDLE_SECONDS"]
    yield server
    server.stop()


def _seed(url: str) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    import threeassets.models_registry  # noqa: F401  (every mapper known: the rows' foreign keys resolve)
    from tests.kiosk_data import seed_village
    from threeassets.core.db import make_engine
    from threeassets.orgs.models import Township, Village
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        township = session.scalar(select(Township).where(Township.code == "DEMO"))
        village = session.scalar(select(Village).where(Village.name == "东风村"))
        seed_village(session, township, village)
    engine.dispose()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _targets_are_large(page) -> None:
    """Every visible link and button of the page is at least 48 px high (the touch floor)."""
    small = page.evaluate("""() => [...document.querySelectorAll('main a, main button, nav a')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height])
        .filter(([_, h]) => h < 48)""")
    assert small == [], small


@pytest.mark.parametrize("size", list(SIZES))
def test_kiosk_policies_household_list_and_idle_return(page, kiosk_server, size):
    base, steps = kiosk_server.url, page.steps
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(base + "/public")  # the demo has two townships: the front door asks which
    expect(page.locator("h1")).to_have_text("请选择乡镇")
    _targets_are_large(page)
    page.get_by_role("link", name=re.compile("^示范镇")).click()
    expect(page).to_have_url(re.compile(r"/public/t/DEMO$"))
    expect(page.locator(".kiosk-tile")).to_have_count(5)
    steps.shot(f"{size}-home", full_page=False)
    _fits(page)

    page.get_by_role("link", name=re.compile("惠农政策")).click()
    page.locator("#departments").get_by_role("link", name="民政", exact=True).click()
    expect(page.locator("#policy-list .kiosk-row").first).to_contain_text("农村最低生活保障")
    steps.shot(f"{size}-department")
    _fits(page)
    _targets_are_large(page)
    page.locator("#policy-list .kiosk-row").first.click()
    expect(page.locator("h1")).to_have_text("农村最低生活保障")
    expect(page.locator("#policy-facts")).to_contain_text("补贴对象")
    steps.shot(f"{size}-policy")
    _fits(page)

    page.locator("#kiosk-back").click()
    page.locator("#to-household").click()
    page.locator("#head_name").fill("张三")
    if size == "kiosk":  # the hall's screen has no keyboard: the digits come from the touch keypad
        for key in "123X":
            page.locator(f".kiosk-key[data-key='{key}']").click()
        expect(page.locator("#id_last4")).to_have_value("123X")
    else:
        page.locator("#id_last4").fill("123X")
    page.get_by_role("button", name="查询", exact=True).click()
    result = page.locator("#household-result")
    expect(result).to_contain_text("耕地地力保护补贴")
    expect(result).to_contain_text("731.25")
    assert "34010219800101123X" not in page.content()
    expect(result).to_be_in_viewport()  # the page opens at the result, not at the form and keypad again
    steps.shot(f"{size}-household")
    _fits(page)

    page.locator("#kiosk-home").click()
    page.get_by_role("link", name=re.compile("村务公开")).click()
    page.get_by_role("link", name=re.compile("东风村")).click()
    page.get_by_role("link", name="本村惠农补贴发放名单").click()
    page.locator("#lists .kiosk-row", has_text="测试一批").click()  # the seeded list, beside the demo's own
    expect(page.locator("#list-rows")).to_contain_text("340102********123X")
    assert "34010219800101123X" not in page.content()
    steps.shot(f"{size}-village-list")
    _fits(page)

    toast = page.locator("#kiosk-idle")
    expect(toast).to_be_visible(timeout=IDLE * 1000)
    expect(page.locator("#kiosk-idle-left")).to_have_text(re.compile(r"^\d+$"))
    steps.shot(f"{size}-idle-countdown", full_page=False)
    box = page.locator("#kiosk-stay").bounding_box()  # 继续浏览, touched where it stands: the countdown stops
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(toast).to_be_hidden()
    assert "/lists/" in page.url
    page.wait_for_url(re.compile(r"/public/t/DEMO$"), timeout=(IDLE + 4) * 1000)  # then left alone: home
    expect(page.locator(".kiosk-tile")).to_have_count(5)
    steps.shot(f"{size}-home-again", full_page=False)
    assert steps.console == []


def _first_link(page, pattern: str) -> str:
    """The first link of the page whose address matches the pattern."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    return next(h for h in hrefs if re.search(pattern, h))


def _public_paths(page, base: str) -> list[tuple[str, str]]:
    """(name, path) of one page of each kind the kiosk has, found by following its links."""
    home = "/public/t/DEMO"
    out = [("home", home), ("party", home + "/party"), ("gov", home + "/gov")]
    page.goto(base + home + "/gov")
    notice = _first_link(page, r"/notices/\d+$")
    page.goto(base + notice)
    out += [("notice", notice), ("notice-pdf", _first_link(page, r"/files/\d+/view$"))]
    page.goto(base + home + "/villages")
    village = _first_link(page, r"/villages/\d+$")
    page.goto(base + village)
    out += [("villages", home + "/villages"), ("village", village), ("village-pdf", _first_link(page, r"/notices/"))]
    page.goto(base + home + "/services")
    out += [("services", home + "/services"), ("services-search", home + "/services?q=cjbz"),
            ("guide", _first_link(page, r"/services/\d+$")), ("case", home + "/case")]
    page.goto(base + home + "/policies")
    out += [("policies", home + "/policies"), ("policies-search", home + "/policies?q=gddl"),
            ("policy", _first_link(page, r"/policies/\d+$")), ("payments", home + "/payments"),
            ("household", home + "/household")]
    page.goto(base + village + "/lists")
    out += [("lists", village + "/lists"), ("list", _first_link(page, r"/lists/\d+$"))]
    return out


def test_every_kiosk_page_at_both_sizes_and_the_staff_pages(page, kiosk_server):
    """Each page of the kiosk at the hall's screen and on a phone, and the staff pages at 1280: no script or CSP
    error, nothing wider than the screen, every touch target at least 48 px high. Screenshots are kept."""
    base, steps, problems = kiosk_server.url, page.steps, []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        for name, path in _public_paths(page, base):
            assert page.goto(base + path).status == 200, path
            steps.shot(f"{size}-{name}")
            if page.evaluate("document.documentElement.scrollWidth - window.innerWidth") > 0:
                problems.append(f"{size} {name}: wider than the screen")
            try:
                _targets_are_large(page)
            except AssertionError as exc:
                problems.append(f"{size} {name}: small targets {exc}")
    page.set_viewport_size({"width": 1280, "height": 900})
    from tests.browser.conftest import DEMO_PASSWORD, login
    login(page, base, "chuangkou", DEMO_PASSWORD)
    page.goto(base + "/")
    page.get_by_role("link", name="党务政务公开").first.click()
    steps.shot("staff-notices")
    page.get_by_role("link", name=re.compile("新建公告")).click()
    page.locator("#title").fill("关于推荐优秀共产党员的通知")
    page.locator("#body").fill("各村党组织：\n联系人张三 13800001234")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#body")).to_have_class(re.compile("is-invalid"))
    steps.shot("staff-notice-refused")
    page.locator("#body").fill("各村党组织：\n联系人张三 138****1234")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#notice-status")).to_have_text("草稿")
    steps.shot("staff-notice-draft")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="发布", exact=True).click()
    expect(page.locator("#notice-status")).to_have_text("已发布")
    steps.shot("staff-notice-published")
    page.get_by_role("link", name="查询机使用统计").click()
    expect(page.locator("#by-day")).to_contain_text("合计")
    steps.shot("staff-usage")
    assert problems == [] and steps.console == [], problems + steps.console
