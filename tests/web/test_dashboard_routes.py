"""Dashboard pages: figures and links on the page, the month picker, the landing redirect and menus.
Role and scope (403/404) are covered by the access table in test_access.py."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from tests.web.conftest import tbody

MAY = "2024-05"


def _svgs(page: str) -> list[str]:
    """The inline SVG charts of a page."""
    return re.findall(r"<svg\b.*?</svg>", page, flags=re.S)


def _books(records, world):
    """Posted: a1 receives 1,234.50 rent into the bank and spends 100 cash; a2 and b1 a little; a1 a draft."""
    records.voucher(world.a1, "posted", summary="收租金", amount="1234.50", debit="102", credit="501")
    records.voucher(world.a1, "posted", summary="办公费", amount="100.00", debit="513", credit="101")
    records.voucher(world.a1, "draft")
    records.voucher(world.a2, "posted", summary="出资", amount="88.00", debit="101", credit="301")
    records.voucher(world.b1, "posted", summary="出资", amount="777.00", debit="101", credit="301")


def test_village_dashboard_shows_figures_links_and_charts(as_user, world, records):
    _books(records, world)
    page = as_user("board").get(f"/v/{world.a1.id}/dashboard?ym={MAY}").get_data(as_text=True)
    assert "截至 2024年5月末" in page
    assert "-100.00" in page and "1,234.50" in page and "1,134.50" in page  # cash, bank/income, cash+bank
    assert f'href="/v/{world.a1.id}/vouchers?status=draft"' in page
    assert f'href="/v/{world.a1.id}/vouchers?status=reviewed"' in page
    assert f"/v/{world.a1.id}/reports/ledger?account=101" in page
    charts = _svgs(page)
    assert len(charts) == 2
    for svg in charts:
        ET.fromstring(svg)  # well-formed inside the page too
    assert "style=" not in page
    assert "5月" in charts[0] and "6月\n2023" not in charts[0] and "2023" in charts[0]


def test_charts_follow_the_books(as_user, world, records):
    """The charts of a trend are drawn once per process and kept by their figures: a voucher posted since changes
    the figures, so the page draws them again, and another village with the same figures gets the same drawing."""
    from threeassets.dashboard.routes import _drawn
    _books(records, world)
    client, url = as_user("board"), f"/v/{world.a1.id}/dashboard?ym={MAY}"
    before = _svgs(client.get(url).get_data(as_text=True))
    hits = _drawn.cache_info().hits
    assert _svgs(client.get(url).get_data(as_text=True)) == before and _drawn.cache_info().hits == hits + 1
    records.voucher(world.a1, "posted", summary="收租金", amount="0.01", debit="102", credit="501")
    misses = _drawn.cache_info().misses
    after = _svgs(client.get(url).get_data(as_text=True))
    assert _drawn.cache_info().misses == misses + 1  # new figures: drawn again
    assert after[0] != before[0] and "1,234.51" in after[0] and "1,234.51" not in before[0]
    assert after[1] != before[1]  # the month-end cash and bank grew by the fen too


def test_village_dashboard_counts_open_alerts_once_for_menu_and_button(as_user, world, session, monkeypatch):
    from tests.web.test_alerts_routes import add_alert, mark_fresh
    from threeassets.alerts import service
    mark_fresh(session, world.a1)
    for i in (1, 2):
        add_alert(session, world.a1, i)
    client = as_user("accountant")
    counted, real = [], service.badge_count
    monkeypatch.setattr(service, "badge_count", lambda *a: counted.append(a[1:]) or real(*a))
    page = client.get(f"/v/{world.a1.id}/dashboard").get_data(as_text=True)
    assert 'alerts-badge">2<' in page and '待处理预警 <span class="badge bg-light text-dark">2<' in page
    assert counted == [("village", world.a1.id)]  # one query for the badge and the button


def test_village_dashboard_pending_counts(as_user, world, records):
    records.voucher(world.a1, "draft")
    records.voucher(world.a1, "draft")
    records.voucher(world.a1, "reviewed")
    page = as_user("accountant").get(f"/v/{world.a1.id}/dashboard").get_data(as_text=True)
    pending = page.split('id="pending"', 1)[1].split("</div>", 1)[0]
    assert re.search(r"待审核凭证 <span[^>]*>2</span>", pending)
    assert re.search(r"已审核待记账 <span[^>]*>1</span>", pending)


def test_township_dashboard_lists_its_villages_only(as_user, world, records):
    _books(records, world)
    page = as_user("head").get(f"/t/{world.township_a.id}/dashboard?ym={MAY}").get_data(as_text=True)
    rows = tbody(page)
    assert "甲一村" in rows and "甲二村" in rows and "乙一村" not in rows
    assert f'href="/v/{world.a1.id}/dashboard?ym={MAY}"' in rows
    assert f'href="/v/{world.a1.id}/vouchers?status=draft"' in rows
    assert "777.00" not in page
    foot = page.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert "-12.00" in foot  # cash: a1 -100 + a2 88
    assert len(_svgs(page)) == 2 and "style=" not in page


def test_bad_month_warns_and_shows_this_month(as_user, world):
    page = as_user("accountant").get(f"/v/{world.a1.id}/dashboard?ym=2024-13").get_data(as_text=True)
    today = date.today()
    assert "不是年月" in page and f"截至 {today.year}年{today.month}月末" in page


def test_empty_books_render(as_user, world):
    page = as_user("supervisor").get(f"/t/{world.township_b.id}/dashboard").get_data(as_text=True)
    assert "所选期间无发生额" in page and "0.00" in page


def test_village_users_land_on_their_dashboard(as_user, world):
    for user in ("vacct", "board"):
        resp = as_user(user).get("/")
        assert resp.status_code == 302 and resp.headers["Location"] == f"/v/{world.a1.id}/dashboard"


def test_home_links_to_dashboards_and_menu_has_them(as_user, world):
    c = as_user("accountant")
    home = c.get("/").get_data(as_text=True)
    assert f'href="/v/{world.a1.id}/dashboard">进入账套' in home
    assert f'href="/t/{world.township_a.id}/dashboard"' in home and "全镇概览" in home
    page = c.get(f"/v/{world.a1.id}/vouchers").get_data(as_text=True)
    assert f'href="/v/{world.a1.id}/dashboard"' in page and "首页概览" in page
    page = c.get(f"/t/{world.township_a.id}/reports/trial-balance").get_data(as_text=True)
    assert f'href="/t/{world.township_a.id}/dashboard"' in page


def test_roles_without_township_reports_get_no_township_dashboard_button(as_user, world):
    home = as_user("clerk").get("/").get_data(as_text=True)
    assert "全镇概览" not in home


def test_other_village_or_township_is_404(as_user, world):
    assert as_user("vacct").get(f"/v/{world.a2.id}/dashboard").status_code == 404
    assert as_user("head").get(f"/v/{world.b1.id}/dashboard").status_code == 404
    assert as_user("head").get(f"/t/{world.township_b.id}/dashboard").status_code == 404
    assert as_user("board").get(f"/t/{world.township_a.id}/dashboard").status_code == 404
    assert as_user("admin").get("/t/999999/dashboard").status_code == 404
