"""No full resident ID, bank number or mobile number on any public page or PDF: a crawler follows every link
from /public (and the old public addresses), opens every page, image and PDF of the public surface on the demo
township — with households carrying whole IDs and card numbers, window clerks' mobiles, cases' applicant phones
and the books' voucher summaries carrying a mobile, a card and an ID (as an accountant types them) planted — and
runs core.masking over the text a visitor sees (and the attributes, addresses and PDF text).
Two more tests plant a mobile in a published notice and in a policy behind the services' back and show the
crawler finds them."""
from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.kiosk_data import ID_ZHANG as HOUSEHOLD_ID
from threeassets.core import masking

PUBLIC = ("/public", "/verify/")
MAX_PAGES = 800


class _Text(HTMLParser):
    """What a page shows (text, and the attributes a visitor reads) and the addresses it leads to."""

    SHOWN = {"value", "title", "alt", "placeholder", "aria-label", "content"}
    # Elements a browser's innerText ends with a break (or a tab, for cells); inline ones join their text.
    BLOCKS = {"address", "article", "aside", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form",
              "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "label", "li", "main", "nav", "ol", "option", "p",
              "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "button"}

    def __init__(self) -> None:
        super().__init__()
        self.text, self.attrs, self.links, self._skip = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.BLOCKS:
            self.text.append("\n")
        if tag in ("script", "style"):
            self._skip += 1
        if attrs.get("name") == "csrf_token":
            return
        self.attrs += [v for k, v in attrs.items() if k in self.SHOWN and v]
        self.links += [v for k, v in attrs.items() if k in ("href", "src", "action") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in self.BLOCKS:
            self.text.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _problems(where: str, text: str, strict: list[str]) -> list[str]:
    found = masking.findings(text) + [f for s in strict for f in masking.strict_findings(s)]
    return [f"{where}: {f.label} {f.text!r}" for f in found]


def crawl(client, starts: list[str], posts: list[tuple[str, dict]] = (), shown: list[str] | None = None,
          visited: set[str] | None = None) -> tuple[list[str], dict[str, int]]:
    """(problems, kinds of responses seen) over the public surface reachable from starts, plus the answers of
    the given form posts; the texts read are appended to shown, and the addresses opened added to visited,
    when given."""
    queue, seen, problems, kinds = list(starts), set() if visited is None else visited, [], {}
    shown = [] if shown is None else shown

    def check(path, resp):
        kind = resp.mimetype
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "application/pdf":
            shown.append(_pdf_text(resp.data))
            problems.extend(_problems(path, shown[-1], []))
        elif kind == "text/html":
            parsed = _Text()
            parsed.feed(resp.get_data(as_text=True))
            shown.append("".join(parsed.text))
            problems.extend(_problems(path, shown[-1], parsed.attrs + parsed.links))
            for link in parsed.links:
                target = urlsplit(link)
                if not target.netloc and target.path.startswith(PUBLIC):
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))

    for path, data in posts:
        check(f"POST {path}", client.post(path, data=data))
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        resp = client.get(path)
        if resp.status_code in (301, 302, 303):
            queue.append(urlsplit(resp.headers["Location"]).path)
            continue
        assert resp.status_code == 200, f"{path}: {resp.status_code}"
        check(path, resp)
    assert len(seen) < MAX_PAGES, "the crawl did not end"
    return problems, kinds


# What an accountant may type into a voucher's summary: the payee's mobile, card and ID (the demo's summaries name
# a person: 收到{who}土地承包费, 报销{who}差旅费 …).
PAYEE = "张三（手机13812345678，卡号6222 0212 3456 7890，身份证340121199001011234）"


@pytest.fixture
def demo(app, session, monkeypatch):
    """The demo township with what must never be shown planted in it."""
    from sqlalchemy import select

    from threeassets.core.db import transaction
    from threeassets.demo import loader
    from threeassets.demo.loader import load_demo
    monkeypatch.setattr(loader, "WHO", [PAYEE])
    from threeassets.orgs.models import Township, Village
    from threeassets.windows.models import Window
    with transaction(session):
        load_demo(session)
    township = session.scalar(select(Township).where(Township.code == "DEMO"))
    villages = list(session.scalars(select(Village).where(Village.township_id == township.id)
                                    .order_by(Village.code)))
    with transaction(session):
        for window in session.scalars(select(Window).where(Window.township_id == township.id)).all()[:1]:
            window.phone = "13955101234"  # a clerk typed his own mobile as the window's phone
    _plant_subsidies(session, township, villages)
    session.remove()
    return township


def _plant_subsidies(session, township, villages) -> None:
    """Households with whole IDs, card numbers and mobiles in their notes on the lists of the first village."""
    from tests.kiosk_data import seed_village
    seed_village(session, township, villages[0])


def _case_number(session) -> str:
    from sqlalchemy import select

    from threeassets.windows.models import Case
    return session.scalar(select(Case.number).where(Case.applicant_phone == "13955101234"))


def test_no_public_page_or_pdf_shows_a_whole_id_bank_or_mobile_number(client, session, demo):
    home = f"/public/t/{demo.code}"
    posts = [(f"{home}/household", {"head_name": "张三", "id_last4": HOUSEHOLD_ID[-4:]}),
             (f"{home}/case", {"number": _case_number(session), "tail": "1234"}),
             ("/public/case", {"number": _case_number(session), "tail": "1234"})]
    shown: list[str] = []
    visited: set[str] = set()
    problems, kinds = crawl(client, ["/public", "/public/villages", "/public/case", "/login"], posts, shown, visited)
    assert problems == []
    # every policy of the catalogue the kiosk shows was opened (policy texts are staff text on a public page)
    from threeassets.subsidies import public
    cards = public.policies(session, demo.id)
    assert cards and all(f"/public/t/{demo.code}/policies/{c.id}" in visited for c in cards)
    # the planted summaries reached the published notices, masked (a PDF's table cells wrap: spaces dropped)
    read = ["".join(text.split()) for text in shown]
    assert all(any(m in text for text in read) for m in ("138****5678", "************7890", "340121********1234"))
    assert kinds.get("application/pdf", 0) >= 4  # the villages' notices (and their old addresses), a notice's file
    assert kinds.get("text/html", 0) >= 60 and kinds.get("image/png", 0) == 0


def test_the_crawler_finds_what_slipped_past_the_service(client, session, demo):
    from threeassets.core.db import transaction
    from threeassets.kiosk.models import KioskNotice
    with transaction(session):  # straight into the table: the service would refuse this text
        session.add(KioskNotice(township_id=demo.id, kind="gov", title="通知", notice_date=date(2026, 11, 1),
                                body="联系人张三 13800001234，账号 6222 0212 3456 7890", status="published"))
    problems, _kinds = crawl(client, [f"/public/t/{demo.code}/gov"])
    assert any("手机号 '13800001234'" in p for p in problems)
    assert any("银行卡号或账号 '6222 0212 3456 7890'" in p for p in problems)
    assert re.search(r"/public/t/DEMO/notices/\d+: ", problems[0])


def test_the_crawler_finds_a_number_in_a_policy_that_slipped_past_the_form(client, session, demo):
    from threeassets.core.db import transaction
    from threeassets.subsidies.models import Policy
    with transaction(session):  # straight into the table: the policy form would refuse this text
        session.add(Policy(township_id=demo.id, code="ZZ99", level="county", department="财政", name="测试补贴",
                           initials="csbt", eligibility="报名请联系 13800001234", year_from=date.today().year,
                           status="active"))
    problems, _kinds = crawl(client, [f"/public/t/{demo.code}/policies"])
    assert any("手机号 '13800001234'" in p for p in problems)
    assert re.search(r"/public/t/DEMO/policies/\d+: ", next(p for p in problems if "13800001234" in p))
