"""No 500 on anything a person can type. For one demo user of each role (and a visitor of the public pages),
every form reachable from the start page is found — one per address shape — and sent back with every box
filled with odd input: an input method's full-width digits and letters, 4-byte rare characters, control
characters, a very long text, whitespace only, nothing. Each answer must be a page (200), a redirect or a refusal
(4xx), never a server error; the app runs with faults propagating, so a fault fails the test with its trace."""
from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.web.test_menus import _open, _shape
from threeassets.demo.loader import PASSWORD

ODD = {
    "full-width": "１２３４５．６７ＡＢＣ－５６７８",
    "rare": "𠀀𪚥𫝀 𠮷",
    "control": "a\x00b\x01\x1f\x7fc\u200b\ufeff",
    "long": "长" * 10_000,
    "blank": " \u3000 \t ",
    "empty": "",
}
TEXT_TYPES = {"", "text", "search", "tel", "number", "email", "password", "url", "date", "month"}
MAX_PAGES = 120
SKIP = re.compile(r"/logout|/static/|format=|\.pdf|/pdf|/download|/export|/file")


class _Forms(HTMLParser):
    """The forms of a page: method, action, and fields (name, kind, value, options) in order."""

    def __init__(self) -> None:
        super().__init__()
        self.forms, self.links, self._select = [], [], None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(unescape(a["href"]))
        elif tag == "form":
            self.forms.append({"method": a.get("method", "get").lower(), "action": unescape(a.get("action", "")),
                               "fields": [], "multipart": a.get("enctype", "").lower() == "multipart/form-data"})
        elif not self.forms or not a.get("name"):
            return
        elif tag == "input":
            self.forms[-1]["fields"].append((a["name"], a.get("type", "").lower(), a.get("value", ""),
                                             "checked" in a))
        elif tag == "textarea":
            self.forms[-1]["fields"].append((a["name"], "textarea", "", False))
        elif tag == "select":
            self._select = [a["name"], "select", None, False]
            self.forms[-1]["fields"].append(self._select)

    def handle_starttag_option(self, a):
        if self._select is not None and self._select[2] is None:
            self._select[2] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _option(parser: _Forms):
    """Options come through handle_starttag; route them to the open select."""
    original = parser.handle_starttag

    def starttag(tag, attrs):
        if tag == "option":
            parser.handle_starttag_option({k: (v or "") for k, v in attrs})
        original(tag, attrs)
    parser.handle_starttag = starttag
    return parser


def _filled(fields, odd: str) -> dict:
    """The form's data: every box a person types into gets the odd input; hidden fields, ticked boxes and the
    first option of each list keep what the page gave."""
    data: dict[str, list[str]] = {}
    for name, kind, value, checked in fields:
        if kind in TEXT_TYPES or kind == "textarea":
            data.setdefault(name, []).append(odd)
        elif kind == "hidden" or (kind in ("checkbox", "radio") and checked) or kind == "select":
            data.setdefault(name, []).append(value or "")
    return data


def _collect(client, start: str) -> list[tuple[str, str, str, list]]:
    """(page, method, action, fields) of one form per shape, from the pages reachable from start."""
    seen, shapes, queue, forms = set(), set(), [start], {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or SKIP.search(path) or _shape(path) in shapes:
            continue
        seen.add(path)
        shapes.add(_shape(path))
        resp, end = _open(client, path)
        if resp.status_code != 200 or "text/html" not in resp.content_type or end.startswith("/login"):
            continue
        parser = _option(_Forms())
        parser.feed(resp.get_data(as_text=True))
        queue += [link for link in parser.links if _shape(link) not in shapes]
        for form in parser.forms:
            action = form["action"] or end
            if SKIP.search(action) or not action.startswith("/"):
                continue
            key = (form["method"], _shape(action), tuple(sorted(f[0] for f in form["fields"])))
            forms.setdefault(key, (end, form["method"] + ("+multipart" if form["multipart"] else ""), action,
                                   form["fields"]))
    return list(forms.values())


def _send(client, method: str, action: str, data: dict):
    """Send the form as a browser would: a POST URL-encoded, or as multipart when its enctype says so."""
    if method == "post+multipart":
        return client.post(action, data=data, content_type="multipart/form-data")
    if method == "post":
        return client.post(action, data=data)
    return client.get(urlsplit(action).path, query_string=data)


def _to_login(resp) -> bool:
    """Whether the answer sends the browser to the login page (the session has ended)."""
    return resp.status_code in (301, 302, 303) and urlsplit(resp.headers["Location"]).path == "/login"


def _fuzz(client, start: str, login=None) -> tuple[list[str], int]:
    """(server errors found, forms sent) over the forms reachable from start."""
    if login:
        login()
    forms, errors = _collect(client, start), []
    for page, method, action, fields in forms:
        for label, odd in ODD.items():
            resp = _send(client, method, action, _filled(fields, odd))
            if login and _to_login(resp):  # an earlier form ended the session (a password change): again, logged in
                login()
                resp = _send(client, method, action, _filled(fields, odd))
            if resp.status_code >= 500:
                errors.append(f"{method.upper()} {action} (form on {page}) with {label}: {resp.status_code}")
    return errors, len(forms)


@pytest.fixture
def demo(app, demo_loaded):
    """The demo township, its villages and one user per role (restored from the session's demo_template)."""
    return demo_loaded


# The roles whose forms differ; the village's oversight group and the second and third groups see the same forms.
ROLES = ["admin", "zhuren", "kuaiji", "shenhe", "chuangkou", "baozhang", "licai", "xianjian"]


@pytest.mark.parametrize("username", ROLES)
def test_no_form_answers_odd_input_with_a_server_error(client, demo, username):
    def login():
        client.post("/login", data={"username": username, "password": PASSWORD})
    errors, sent = _fuzz(client, "/", login)
    assert errors == []
    assert sent >= 3, f"{username}: only {sent} forms found — the crawl did not reach the pages"


def test_no_public_form_or_lookup_answers_odd_input_with_a_server_error(client, demo):
    errors, sent = _fuzz(client, "/public")
    login_errors, _ = _fuzz(client, "/login")
    assert errors + login_errors == []
    assert sent >= 3
