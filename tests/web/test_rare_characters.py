"""Rare characters through the web (issue 14, point 2): a posted voucher prints its 生僻字; a character no
installed font has gives its reason (422, the character and the field named), never a 500 or a file with a hole;
the disclosure notice holding one is not generated, not signed with it, not previewed and never published."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import login
from threeassets.core.audit import AuditEvent
from threeassets.disclosure.models import Disclosure

RARE = "𠮷䶮龑𨚕\U0002A700\uF900"  # Extensions B, A, the URO, B, C; a compatibility ideograph
LOST = "\U0002EBF0"  # Extension I: no installed font has it
TODAY = date.today()


def pdf_text(data: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def refusal(resp, where: str) -> str:
    """The refusal page: 422, HTML, naming the character, its code point and the field."""
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and resp.mimetype == "text/html", resp.status_code
    assert f"“{LOST}”（U+2EBF0）" in page and f"“{where}”" in page and "无法生成 PDF" in page
    return page


def test_a_posted_voucher_prints_its_rare_characters(as_user, records, world):
    v = records.voucher(world.a1, "posted", summary=f"收到{RARE}缴款")
    resp = as_user("accountant").get(f"/v/{world.a1.id}/vouchers/{v.id}/pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert f"收到{RARE}缴款" in pdf_text(resp.data)


def test_a_voucher_with_a_character_no_font_has_answers_with_the_reason(as_user, records, world):
    v = records.voucher(world.a1, "posted", summary=f"付{LOST}款")
    page_url = f"/v/{world.a1.id}/vouchers/{v.id}"
    resp = as_user("accountant").get(f"{page_url}/pdf", headers={"Referer": f"http://localhost{page_url}"})
    page = refusal(resp, "分录 第 1 行 摘要")
    assert f'href="http://localhost{page_url}"' in page  # back to the voucher


def test_a_book_printed_with_a_lost_character_leads_back_to_the_page(as_user, records, world):
    records.voucher(world.a1, "posted", summary=f"付{LOST}款", debit="513", credit="101")
    base = f"/v/{world.a1.id}/statements/cash-journal?from=2024-05&to=2024-05"
    page = refusal(as_user("accountant").get(base + "&format=pdf"), "现金日记账 第 2 行 摘要")
    assert f'href="/v/{world.a1.id}/statements/cash-journal?from=2024-05&amp;to=2024-05">返回' in page


@pytest.fixture
def books(records, world):
    """a1's May 2024 books, one summary holding rare characters the notice must print."""
    records.voucher(world.a1, "posted", day=date(2024, 5, 3), summary=f"收到{RARE}土地发包费", amount="12000.00",
                    debit="102", credit="501")
    return world.a1


def url(village, *parts) -> str:
    return "/".join([f"/v/{village.id}/disclosure", *[str(p) for p in parts]])


def fresh(session, notice_id: int) -> Disclosure:
    session.rollback()
    return session.get(Disclosure, notice_id, populate_existing=True)


def signed_off(client, books) -> int:
    """Generate, submit and sign off a1's May notice through the pages; its id."""
    login(client, "accountant")
    resp = client.post(url(books, "generate"), data={"period": "2024-05", "layout": "a4"})
    assert resp.status_code == 302
    nid = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert client.post(url(books, nid, "submit")).status_code == 302
    login(client, "board")
    resp = client.post(url(books, nid, "signoff"), data={"names": "刘理财、王五", "signoff_on": TODAY.isoformat()})
    assert resp.status_code == 302
    return nid


def publish(client, books, nid: int):
    login(client, "head")
    return client.post(url(books, nid, "publish"), data={
        "posted_on": TODAY.isoformat(), "display_until": (TODAY + timedelta(days=20)).isoformat()})


def test_the_published_notice_prints_rare_characters(client, session, books):
    nid = signed_off(client, books)
    assert publish(client, books, nid).status_code == 302
    n = fresh(session, nid)
    assert n.status == "published" and f"收到{RARE}土地发包费" in pdf_text(n.pdf)


def test_a_notice_with_a_character_no_font_has_is_not_generated(client, session, records, world):
    records.voucher(world.a1, "posted", day=date(2024, 5, 8), summary=f"付{LOST}款", amount="10.00")
    login(client, "accountant")
    resp = client.post(url(world.a1, "generate"), data={"period": "2024-05", "layout": "a3"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and f"“{LOST}”（U+2EBF0）" in page and "“各项支出 第 1 行 摘要”" in page
    session.rollback()
    assert session.scalar(select(Disclosure.id)) is None


def test_a_board_member_name_no_font_has_is_refused_at_signoff(client, session, books):
    login(client, "accountant")
    nid = int(client.post(url(books, "generate"), data={"period": "2024-05"}).headers["Location"].rsplit("/", 1)[1])
    client.post(url(books, nid, "submit"))
    login(client, "board")
    resp = client.post(url(books, nid, "signoff"), data={"names": f"刘理财、王{LOST}", "signoff_on": TODAY.isoformat()})
    assert resp.status_code == 422 and "民主理财小组成员签字" in resp.get_data(as_text=True)
    assert fresh(session, nid).status == "submitted"


def test_a_notice_holding_a_character_no_font_has_is_never_published(client, session, books):
    """Content stored before a font went away (or before this check): preview and publication are refused, nothing
    is sealed, stored, audited or shown to the public."""
    from threeassets.core.db import transaction
    nid = signed_off(client, books)
    with transaction(session):
        n = session.get(Disclosure, nid)
        data = json.loads(n.content)
        data["other"] = f"村道维修由{LOST}家承担"
        n.content = json.dumps(data, ensure_ascii=False)
    resp = publish(client, books, nid)
    shown = resp.get_data(as_text=True)
    assert resp.status_code == 422 and f"“{LOST}”（U+2EBF0）" in shown and "“其他需要公开的事项”" in shown
    n = fresh(session, nid)
    assert (n.status, n.sha256, n.pdf, n.published_on) == ("signed_off", None, None, None)
    actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Disclosure",
                                                              AuditEvent.object_id == nid)).all()
    assert not [a for a in actions if "publish" in a], actions
    assert client.get(f"/verify/{n.verify_code}").status_code == 404
    preview = client.get(url(books, nid, "pdf"))
    assert preview.status_code == 302 and "U+2EBF0" in client.get(preview.headers["Location"]).get_data(as_text=True)
