"""Golden values, end to end: what the services store is what later verification recomputes.

The expected texts and digests are literals written once: a failure here means the stored format changed, and
the hashes of existing books, printed notices or printed receipts would no longer verify or resolve.
"""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from pypdf import PdfReader

from threeassets.core.db import transaction
from threeassets.disclosure import service as disclosure
from threeassets.ledger import service as ledger
from threeassets.ledger.chain import verify
from threeassets.ledger.generated import post_generated
from threeassets.ledger.rules import LineInput
from threeassets.windows import service as hall
from threeassets.windows.catalogue import item_by_code
from threeassets.windows.queries import public_status

ORDINARY = (("购买办公用品（打印纸、墨盒）", "513", "356.50", ""), ("付张三误工补贴", "514", "800.00", ""),
            ("现金支付", "101", "", "1156.50"))
ORDINARY_TEXT = ("A1|202405|1|2024-05-08|\n"
                 "513|购买办公用品（打印纸、墨盒）|35650|0\n"
                 "514|付张三误工补贴|80000|0\n"
                 "101|现金支付|0|115650")
ORDINARY_LINK = "1a1aefc6efaf5513f6a77e3d9f90e82943667e123097a11ffa16836a857b9a2d"
# A generated voucher: posted with kind "depreciation", which is not part of the canonical text.
DEPRECIATION_TEXT = ("A1|202405|2|2024-05-31|\n"
                     "511|计提2024-05折旧（经营性资产）|12500|0\n"
                     "513|计提2024-05折旧（管理用资产）|3333|0\n"
                     "152|计提2024-05折旧|0|15833")
DEPRECIATION_LINK = "8337efaa74c14f644b94cc82e0951f746d07b792a0c92abac86b11d82fee7326"


def sha256_link(prev: str, text: str) -> str:
    """SHA-256 of "<previous link>\\n<canonical text>", written out here rather than taken from the rules."""
    return hashlib.sha256((prev + "\n" + text).encode("utf-8")).hexdigest()


def test_posting_stores_the_golden_chain_links(session, world, post_voucher):
    a1 = world.a1
    first = post_voucher(a1, date(2024, 5, 8), ORDINARY)
    assert (first.number, first.chain_seq, first.prev_hash) == (1, 1, "")
    assert sha256_link("", ORDINARY_TEXT) == ORDINARY_LINK
    assert first.hash == ORDINARY_LINK

    with transaction(session):
        generated = post_generated(session, village=a1, on=date(2024, 5, 31), kind="depreciation", actor=None, lines=[
            LineInput("计提2024-05折旧（经营性资产）", "511", debit=Decimal("125.00")),
            LineInput("计提2024-05折旧（管理用资产）", "513", debit=Decimal("33.33")),
            LineInput("计提2024-05折旧", "152", credit=Decimal("158.33"))])
    assert generated.kind == "depreciation" and generated.prev_hash == ORDINARY_LINK
    assert sha256_link(ORDINARY_LINK, DEPRECIATION_TEXT) == DEPRECIATION_LINK
    assert generated.hash == DEPRECIATION_LINK

    with transaction(session):
        red = ledger.reverse(session, voucher=first, village=a1, actor=world.user("accountant"), on=date(2024, 6, 3))
    with transaction(session):
        ledger.review(session, voucher=red, village=a1, actor=world.user("reviewer"))
        ledger.post(session, voucher=red, village=a1, actor=world.user("accountant2"))
    # The reversal names the original by its database id; its amounts enter as negative fen. The 冲销记-0001：
    # prefix is service.reverse's wording, stored in the reversal's lines (the text hashed is the stored one).
    reversal_text = (f"A1|202406|1|2024-06-03|{first.id}\n"
                     "513|冲销记-0001：购买办公用品（打印纸、墨盒）|-35650|0\n"
                     "514|冲销记-0001：付张三误工补贴|-80000|0\n"
                     "101|冲销记-0001：现金支付|0|-115650")
    assert red.prev_hash == DEPRECIATION_LINK and red.chain_seq == 3
    assert red.hash == sha256_link(DEPRECIATION_LINK, reversal_text)

    assert verify(session, "A1") == ([], 3)


# ---------------------------------------------------------------- disclosure notices

BASE = "https://sanzi.example.cn"
CODE_22 = "Ab-_0123456789xyzXYZab"    # the shape new_verify_code gives: 22 of [A-Za-z0-9_-]
CODE_24 = "Zz_-9876543210abcdefABCD"  # the longest code the column and the lookup take


def pdf_text(pdf: bytes) -> str:
    """A PDF's text without whitespace."""
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))


def publish_with_code(session, world, period: str, code: str):
    """Generate a1's notice of a period, give the draft a verify code, take it through sign-off to published."""
    a1, today = world.a1, date.today()
    with transaction(session):
        notice = disclosure.generate(session, village=a1, period=period, actor=world.user("accountant"))
        notice.verify_code = code
    with transaction(session):
        disclosure.submit(session, notice=notice, village=a1, actor=world.user("accountant"))
    with transaction(session):
        disclosure.sign_off(session, notice=notice, village=a1, actor=world.user("board"), names="刘理财 王五",
                            on=today, remarks="")
    with transaction(session):
        disclosure.publish(session, notice=notice, village=a1, actor=world.user("head"), posted_on=today,
                           display_until=today + timedelta(days=14), base_url=BASE)
    return notice


def test_published_notice_stores_the_sha256_of_its_stored_pdf_and_prints_the_golden_address(
        session, world, post_voucher, qr_contents):
    post_voucher(world.a1, date(2024, 5, 8), ORDINARY)
    notice = publish_with_code(session, world, "2024-05", CODE_22)
    assert re.fullmatch(r"[0-9a-f]{64}", notice.sha256)
    assert notice.sha256 == hashlib.sha256(notice.pdf).hexdigest()
    assert disclosure.matches(notice, notice.pdf) == (True, notice.sha256)
    assert disclosure.matches(notice, notice.pdf + b"\n")[0] is False
    # The QR code and the printed address both carry exactly this URL.
    assert qr_contents and set(qr_contents) == {"https://sanzi.example.cn/verify/Ab-_0123456789xyzXYZab"}
    assert "https://sanzi.example.cn/verify/Ab-_0123456789xyzXYZab" in pdf_text(notice.pdf)


def test_verify_lookup_finds_published_notices_by_the_printed_code(session, world, post_voucher):
    post_voucher(world.a1, date(2024, 5, 8), ORDINARY)
    month = publish_with_code(session, world, "2024-05", CODE_22)
    quarter = publish_with_code(session, world, "2024-Q2", CODE_24)
    assert disclosure.published_by_code(session, "Ab-_0123456789xyzXYZab").id == month.id
    assert disclosure.published_by_code(session, "Zz_-9876543210abcdefABCD").id == quarter.id
    assert disclosure.published_by_code(session, "Zz_-9876543210abcdefABCD" + "x") is None  # over 24: never issued


# ---------------------------------------------------------------- service-hall case numbers

def test_case_numbers_as_printed_find_their_case(session, world):
    township = world.township_a
    with transaction(session):
        item = item_by_code(session, township.id, "cert")
        cases = [hall.intake(session, township=township, item=item, actor=world.user("clerk"),
                             applicant_name="张三", applicant_phone="138 0000 1234", village_id=world.a1.id,
                             today=date(2024, 5, 3)) for _ in range(2)]
    assert [c.number for c in cases] == ["TA-20240503-0001", "TA-20240503-0002"]
    for typed in ("TA-20240503-0002", "ta-20240503-0002", " TA-20240503-0002 "):
        found = public_status(session, typed, "1234")
        assert found is not None and found.number == "TA-20240503-0002", typed
    assert public_status(session, "TA-20240503-0002", "4321") is None
