"""Menus show only what the role may open. For one demo user of each role, the pages the menus and the pages'
own links lead to are crawled (one page of each address shape, e.g. one voucher); every link of the header and
the sidebar of every page reached, and every link in a page's content, must open: no 403, no 404, no login."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest

from threeassets.demo.loader import PASSWORD, USERS

HREF = re.compile(r'href="([^"#]+)"')
MAX_PAGES = 150  # per user: far above the ~80 address shapes the agency head reaches


@pytest.fixture
def demo(app, demo_loaded):
    """The demo township, its villages and one user per role (restored from the session's demo_template)."""
    return demo_loaded


def _links(html: str) -> tuple[set[str], set[str]]:
    """(menu links: header bar and sidebar, content links) of a page, site-relative, static files left out."""
    def local(part: str) -> set[str]:
        return {unescape(h) for h in HREF.findall(part) if h.startswith("/") and not h.startswith("/static/")}
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0] if "<nav" in html else ""
    aside = html.split("<aside", 1)[1].split("</aside>", 1)[0] if "<aside" in html else ""
    main = html.split("<main", 1)[1] if "<main" in html else ""
    return local(nav + aside), local(main)


def _open(client, path: str):
    """GET a path, following redirects within the site: (response, final path)."""
    resp = client.get(path)
    for _ in range(5):
        if resp.status_code not in (301, 302, 303):
            break
        path = urlsplit(resp.headers["Location"]).path
        resp = client.get(path)
    return resp, path


def _shape(path: str) -> str:
    """One address per shape is crawled: /v/3/vouchers/17?status=draft → /v/N/vouchers/N."""
    return re.sub(r"\d+", "N", path.split("?", 1)[0])


def _crawl(client, username: str) -> list[str]:
    """Open the user's pages breadth-first; the links that do not open, with where they were shown. Every menu
    link is opened; of a page's own links, one per address shape. Each address is requested once."""
    wrong, pages, shapes, queue = [], {}, set(), ["/"]

    def fetch(link: str):
        if link not in pages:
            resp, end = _open(client, link)
            ok = resp.status_code == 200 and not end.startswith("/login")
            html = resp.get_data(as_text=True) if ok and "text/html" in resp.content_type else None
            pages[link] = ("ok" if ok else f"{resp.status_code} {end}", html)
        return pages[link]

    while queue and len(shapes) < MAX_PAGES:
        path = queue.pop(0)
        _, html = fetch(path)
        if html is None:
            continue
        menu, content = _links(html)
        for kind, links in (("menu", menu), ("page", content)):
            for link in sorted(links):
                if kind == "page" and _shape(link) in shapes and link not in pages:
                    continue
                outcome, _ = fetch(link)
                if outcome != "ok":
                    wrong.append(f"{username}: {kind} link {link} on {path} → {outcome}")
                if _shape(link) not in shapes:
                    shapes.add(_shape(link))
                    queue.append(link)
    return wrong


def test_every_link_a_demo_role_is_shown_opens(app, demo):
    wrong, roles = [], set()
    for username, _name, role, _scope in USERS:
        if role in roles:  # the other oversight groups have the same menus in their own villages
            continue
        roles.add(role)
        client = app.test_client()
        assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
        wrong += _crawl(client, username)
    print("\n".join(sorted(set(wrong))))
    assert sorted(set(wrong)) == []


def _aside(html: str) -> str:
    """The side menu of a page."""
    return html.split("<aside", 1)[1].split("</aside>", 1)[0]


def _current(aside: str) -> str:
    """The href of the menu item marked as the current page."""
    return re.search(r'href="([^"]+)" aria-current="page"', aside).group(1)


def test_kept_menu_follows_the_village_the_page_and_the_role(client, world):
    """The side menu is rendered once per role, village, township, page and ?status= and kept (core/web.py): each
    of those still gets its own menu, whatever was shown before."""
    from tests.conftest import login
    a1, a2 = world.a1.id, world.a2.id
    login(client, "accountant")
    first = _aside(client.get(f"/v/{a1}/vouchers").get_data(as_text=True))
    assert _current(first) == f"/v/{a1}/vouchers" and f"/v/{a2}/" not in first
    other = _aside(client.get(f"/v/{a2}/vouchers").get_data(as_text=True))
    assert _current(other) == f"/v/{a2}/vouchers" and f"/v/{a1}/" not in other
    assert _current(_aside(client.get(f"/v/{a1}/reports/trial-balance").get_data(as_text=True))) \
        == f"/v/{a1}/reports/trial-balance"
    assert _current(_aside(client.get(f"/v/{a1}/vouchers?status=reviewed").get_data(as_text=True))) \
        == f"/v/{a1}/vouchers?status=reviewed"
    assert _aside(client.get(f"/v/{a1}/vouchers").get_data(as_text=True)) == first  # kept, and the same
    client.post("/logout")
    login(client, "board")  # 民主理财小组 of the same village: another role, another menu on the same page
    board = _aside(client.get(f"/v/{a1}/vouchers").get_data(as_text=True))
    assert board != first and f'href="/v/{a1}/vouchers/new"' in first and "/vouchers/new" not in board
