"""A clerk's tour of every page on the demo books: each page renders without script errors or
Content-Security-Policy violations and fits the window. Full-page screenshots go to test-artifacts/pages/."""
from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

import pytest

from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD, login, logout

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "pages"


class Tour:
    """Visits pages, saves a screenshot of each, and collects what went wrong."""

    def __init__(self, page, base_url: str) -> None:
        self.page, self.base, self.problems = page, base_url, []
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("*.png"):
            old.unlink()

    def check(self, name: str) -> None:
        """Screenshot the current page; note console errors and horizontal overflow."""
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        console = self.page.steps.console
        if console:
            self.problems.append(f"{name}: " + " | ".join(console))
            console.clear()
        overflow = self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.problems.append(f"{name}: page is {overflow}px wider than the window")

    def visit(self, name: str, path: str, status: int = 200) -> None:
        """Open a path, expect a status, check the page."""
        resp = self.page.goto(self.base + path)
        assert resp.status == status, f"{path}: {resp.status}"
        self.check(name)


def _village_id(page) -> int:
    """Id of the village whose books the page shows."""
    return int(re.search(r"/v/(\d+)/", page.url).group(1))


def test_every_page_renders_cleanly(page, demo_server):
    """Login, village picker, vouchers, entry, voucher views, reports, users, audit, orgs, errors."""
    tour = Tour(page, demo_server.url)
    tour.visit("01-login", "/login")
    page.locator("#username").fill("kuaiji")
    page.locator("#password").fill("wrong-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tour.check("02-login-failed")

    login(page, demo_server.url, "kuaiji", DEMO_PASSWORD)
    tour.check("03-home")
    page.get_by_role("link", name="进入账套").first.click()
    vid = _village_id(page)
    tour.check("04-dashboard-village")
    tour.visit("04b-vouchers", f"/v/{vid}/vouchers")
    tour.visit("05-vouchers-drafts", f"/v/{vid}/vouchers?status=draft")

    tour.visit("06-entry-empty", f"/v/{vid}/vouchers/new")
    page.locator("input.account").first.click()
    page.keyboard.type("yhck")
    page.locator("#account-menu li.active").wait_for()
    tour.check("07-entry-account-menu")
    page.keyboard.press("Escape")
    page.locator("input.summary").first.fill("购买办公用品")
    page.locator("input.account").first.fill("513")
    page.locator("input.debit").first.fill("100")
    page.locator("input.account").nth(1).fill("9999")
    page.locator("input.credit").nth(1).fill("90")
    page.locator("#save").click()
    page.locator("#entry-errors").wait_for()
    tour.check("08-entry-errors")

    tour.visit("09-vouchers-posted", f"/v/{vid}/vouchers?status=posted")
    page.get_by_role("link", name="查看").first.click()
    tour.check("10-voucher-posted")
    posted_url = page.url
    tour.visit("11-vouchers-drafts", f"/v/{vid}/vouchers?status=draft")
    page.get_by_role("link", name="查看").first.click()
    tour.check("12-voucher-draft")
    page.get_by_role("link", name="修改", exact=True).click()
    tour.check("13-entry-edit")

    page.goto(posted_url)
    # Other browser tests on this demo post month-end vouchers (depreciation): reverse on the month's last day.
    today = date.today()
    page.locator("input[name=on]").fill(date(today.year, today.month, monthrange(today.year, today.month)[1])
                                        .isoformat())
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="红字冲销").click()
    page.locator("text=本凭证为红字冲销凭证").wait_for()
    tour.check("14-voucher-reversal")
    page.goto(posted_url)
    tour.check("15-voucher-reversed")

    tour.visit("16-accounts", f"/v/{vid}/accounts")
    tour.visit("17-trial-balance-village", f"/v/{vid}/reports/trial-balance")
    tour.visit("18-ledger-empty", f"/v/{vid}/reports/ledger")
    tour.visit("19-ledger-10201", f"/v/{vid}/reports/ledger?account=10201")
    tour.visit("20-404", f"/v/{vid}/vouchers/999999", status=404)
    tour.visit("21-403", "/users", status=403)
    page.goto(demo_server.url + "/")
    page.get_by_role("link", name=re.compile("全镇科目余额表")).click()
    tour.check("22-trial-balance-township")
    page.goto(demo_server.url + "/")
    page.get_by_role("link", name=re.compile("全镇概览")).click()
    tour.check("22b-dashboard-township")
    tour.visit("23-password", "/password")
    page.goto(demo_server.url + "/")
    page.get_by_role("link", name=re.compile("导入凭证")).click()
    tour.check("23b-import")
    logout(page)

    login(page, demo_server.url, "zhuren", DEMO_PASSWORD)
    tour.visit("24-users", "/users")
    tour.visit("25-user-new", "/users/new")
    page.get_by_role("button", name="保存").click()
    tour.check("26-user-new-errors")
    tour.visit("27-users-page", "/users")
    page.get_by_role("link", name="编辑").first.click()
    tour.check("28-user-edit")
    tour.visit("29-audit", "/audit")
    logout(page)

    login(page, demo_server.url, "admin", DEMO_PASSWORD)
    tour.visit("30-orgs", "/orgs")
    tour.visit("31-home-admin", "/")
    logout(page)

    login(page, demo_server.url, "baozhang", DEMO_PASSWORD)
    page.wait_for_url("**/dashboard")  # one village, no township views: straight to its dashboard
    tour.check("32-village-accountant-landing")
    logout(page)
    assert not tour.problems, "\n".join(tour.problems)


PHONE = ARTIFACTS / "phone"


@pytest.mark.parametrize("username", ["baozhang", "licai"])
def test_a_village_user_on_a_phone(page, demo_server, username):
    """At 390×844 every page of a village role's menu fits the width (wide tables scroll inside the page), the
    top bar stays one line, and the menu folds behind 菜单. Screenshots go to test-artifacts/phone/."""
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, demo_server.url, username, DEMO_PASSWORD)
    assert page.locator(".app-bar").bounding_box()["height"] <= 64  # brand, village, 退出 on one line
    assert not page.locator("#side-menu").is_visible()
    page.locator(".menu-toggle").click()
    page.locator("#side-menu").wait_for(state="visible")
    assert "切换村" not in page.locator("#side-menu").inner_text()  # one village: nothing to switch to
    links = page.eval_on_selector_all("#side-menu a.menu-link", "els => els.map(e => [e.textContent.trim(), "
                                      "e.getAttribute('href')])")
    assert len(links) >= 5
    PHONE.mkdir(parents=True, exist_ok=True)
    problems = []
    for n, (label, href) in enumerate(links, start=1):
        resp = page.goto(demo_server.url + href)
        assert resp.status == 200, f"{label} {href}: {resp.status}"
        page.wait_for_load_state("networkidle")
        name = re.sub(r"\W+", "_", label)
        page.screenshot(path=str(PHONE / f"{username}-{n:02d}-{name}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{label} ({href}): {overflow}px wider than the phone")
        if page.steps.console:
            problems.append(f"{label}: " + " | ".join(page.steps.console))
            page.steps.console.clear()
    assert problems == []


def test_the_ledger_account_is_picked_by_pinyin_and_prints_month_totals(page, demo_server):
    """明细账: the same pinyin picker as voucher entry (kcxj → 101 库存现金), then 本月合计 / 本年累计 lines."""
    login(page, demo_server.url, "kuaiji", DEMO_PASSWORD)
    page.get_by_role("link", name="进入账套").first.click()
    vid = _village_id(page)
    page.goto(f"{demo_server.url}/v/{vid}/reports/ledger")
    box = page.locator("#account")
    box.click()
    page.keyboard.type("ｋｃｘｊ")  # an input method in full-width mode: read as kcxj
    page.locator("#picker-menu li.active").wait_for()
    page.keyboard.press("Enter")
    assert box.input_value() == "101 库存现金"
    page.get_by_role("button", name="查询").click()
    page.locator("#ledger").wait_for()
    assert page.locator("tr.ledger-month").count() >= 1 and page.locator("tr.ledger-year").count() >= 1
    assert page.locator("#ledger-downloads a").count() == 3
    assert page.steps.console == []
    page.steps.shot("ledger-picked")
