"""Golden values of the formats that are stored and re-verified later: never recompute them from the code.

Every expected string and digest below was computed once and pasted in. If one of these tests fails, the
format changed: existing books (voucher hashes), printed notices (verify codes and addresses) and printed
receipts (case numbers) would stop verifying or resolving. Restore the format; do not update the value.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal

import pytest

from threeassets.core.money import to_fen
from threeassets.disclosure.models import Disclosure
from threeassets.disclosure.service import matches, new_verify_code, verify_url
from threeassets.ledger.bulk_posting import _link, _rules_link, chain_body, check_link
from threeassets.ledger.importer.check import _day
from threeassets.ledger.rules import chain_hash, chain_payload
from threeassets.windows.rules import case_number, phone_tail

# ---------------------------------------------------------------- the voucher hash chain

# An ordinary voucher: several lines, Chinese summaries with full-width punctuation, amounts in fen.
ORDINARY = dict(village_code="A1", ym=202405, number=7, voucher_date=date(2024, 5, 8), reverses=None,
                lines=[("513", "购买办公用品（打印纸、墨盒）", 35650, 0), ("514", "付张三误工补贴", 80000, 0),
                       ("101", "现金支付", 0, 115650)])
ORDINARY_TEXT = ("A1|202405|7|2024-05-08|\n"
                 "513|购买办公用品（打印纸、墨盒）|35650|0\n"
                 "514|付张三误工补贴|80000|0\n"
                 "101|现金支付|0|115650")

# A generated voucher (the month's depreciation, kind "depreciation"). The canonical text has no `kind`:
# chain_payload takes none, so a generated voucher hashes exactly like a typed one with the same content.
DEPRECIATION = dict(village_code="A1", ym=202405, number=8, voucher_date=date(2024, 5, 31), reverses=None,
                    lines=[("511", "计提2024-05折旧（经营性资产）", 12500, 0),
                           ("513", "计提2024-05折旧（管理用资产）", 3333, 0),
                           ("152", "计提2024-05折旧", 0, 15833)])
DEPRECIATION_TEXT = ("A1|202405|8|2024-05-31|\n"
                     "511|计提2024-05折旧（经营性资产）|12500|0\n"
                     "513|计提2024-05折旧（管理用资产）|3333|0\n"
                     "152|计提2024-05折旧|0|15833")

# A reversal (红字冲销) of voucher id 41: the id ends the header line, the amounts are negative fen.
REVERSAL = dict(village_code="A1", ym=202406, number=2, voucher_date=date(2024, 6, 3), reverses=41,
                lines=[("513", "冲销记-0007：购买办公用品（打印纸、墨盒）", -35650, 0),
                       ("514", "冲销记-0007：付张三误工补贴", -80000, 0),
                       ("101", "冲销记-0007：现金支付", 0, -115650)])
REVERSAL_TEXT = ("A1|202406|2|2024-06-03|41\n"
                 "513|冲销记-0007：购买办公用品（打印纸、墨盒）|-35650|0\n"
                 "514|冲销记-0007：付张三误工补贴|-80000|0\n"
                 "101|冲销记-0007：现金支付|0|-115650")

# One village's chain of the three: the first link starts from "", each next one from the link before.
FIRST_LINK = "21aaa6fd247322a99c9956a35e890c0a411402d8d11168e5af5719a956aacc31"   # ORDINARY after ""
SECOND_LINK = "e100d9ae7c1590bf53df669f9c99ab3bd0a0abaa248b5f85627dfdd0ff292c19"  # DEPRECIATION after FIRST_LINK
THIRD_LINK = "11f7bb3078cb4dd16ac9d5c6d8934e0744ea6f5d83ca93556de9ca8ca55766d3"   # REVERSAL after SECOND_LINK
# The same vouchers as first links of a chain of their own.
DEPRECIATION_ALONE = "c14722d41d5223994c7d07ef5701fff6f403febeaa4d22250c1ef339c42cf0b8"
REVERSAL_ALONE = "8b3917a205b70241e5141a83451f1d7d8eac4a2eef381a27f04c003a6027d193"


@pytest.mark.parametrize("voucher, text", [(ORDINARY, ORDINARY_TEXT), (DEPRECIATION, DEPRECIATION_TEXT),
                                           (REVERSAL, REVERSAL_TEXT)], ids=["ordinary", "generated", "reversal"])
def test_canonical_text_of_a_posted_voucher(voucher, text):
    assert chain_payload(**voucher) == text


@pytest.mark.parametrize("prev, text, digest", [
    ("", ORDINARY_TEXT, FIRST_LINK),
    (FIRST_LINK, DEPRECIATION_TEXT, SECOND_LINK),
    (SECOND_LINK, REVERSAL_TEXT, THIRD_LINK),
    ("", DEPRECIATION_TEXT, DEPRECIATION_ALONE),
    ("", REVERSAL_TEXT, REVERSAL_ALONE),
], ids=["first-link", "second-link", "third-link-reversal", "generated-alone", "reversal-alone"])
def test_chain_link_digest(prev, text, digest):
    assert chain_hash(prev, text) == digest


def test_golden_digests_are_sha256_of_previous_newline_text():
    # The pasted digests themselves: SHA-256 of UTF-8 "<previous link>\n<canonical text>", lowercase hex.
    assert hashlib.sha256(("\n" + ORDINARY_TEXT).encode("utf-8")).hexdigest() == FIRST_LINK
    assert hashlib.sha256((FIRST_LINK + "\n" + DEPRECIATION_TEXT).encode("utf-8")).hexdigest() == SECOND_LINK
    assert hashlib.sha256((SECOND_LINK + "\n" + REVERSAL_TEXT).encode("utf-8")).hexdigest() == THIRD_LINK


def test_a_chain_of_three_from_the_canonical_texts():
    prev = ""
    for voucher in (ORDINARY, DEPRECIATION, REVERSAL):
        prev = chain_hash(prev, chain_payload(**voucher))
    assert prev == THIRD_LINK


@pytest.mark.parametrize("yuan, fen", [("356.50", 35650), ("800", 80000), ("0", 0), ("0.01", 1),
                                       ("-1156.50", -115650), ("999999999999.99", 99999999999999)])
def test_amounts_enter_the_chain_as_integer_fen(yuan, fen):
    # posting and verify-chain both turn stored Decimal yuan into integer fen with to_fen before hashing.
    assert to_fen(Decimal(yuan)) == fen and isinstance(to_fen(Decimal(yuan)), int)


# The bulk importer's day tuple: (date, ISO text, yyyymm, ordinal), as importer.check._day makes it.
ORDINARY_DAY = (date(2024, 5, 8), "2024-05-08", 202405, 739014)
DEPRECIATION_DAY = (date(2024, 5, 31), "2024-05-31", 202405, 739037)


def test_importer_day_tuple():
    assert _day("2024-05-08") == ORDINARY_DAY
    assert _day("2024-05-31") == DEPRECIATION_DAY


def _fast_link(prev, code, ym, number, day, lines):
    """The importer's link, from the text of the lines it keeps instead of the lines."""
    return _link(prev, code, ym, number, day, chain_body(lines))


@pytest.mark.parametrize("link", [_fast_link, _rules_link], ids=["fast", "rules"])
def test_bulk_importer_links_equal_the_golden_chain(link):
    first = link("", "A1", 202405, 7, ORDINARY_DAY, ORDINARY["lines"])
    assert first == FIRST_LINK == chain_hash("", chain_payload(**ORDINARY))
    second = link(FIRST_LINK, "A1", 202405, 8, DEPRECIATION_DAY, DEPRECIATION["lines"])
    assert second == SECOND_LINK == chain_hash(FIRST_LINK, chain_payload(**DEPRECIATION))


def test_bulk_importer_refuses_to_post_with_a_link_that_differs_from_the_rules(monkeypatch):
    from threeassets.ledger import bulk_posting
    check_link()  # the real _link passes
    monkeypatch.setattr(bulk_posting, "_link", lambda *args: _link(*args).upper())
    with pytest.raises(RuntimeError, match="differs"):
        bulk_posting.check_link()


# ---------------------------------------------------------------- disclosure notices (printed QR codes)

CODE = "AAECAwQFBgcICQoLDA0ODw"  # the URL-safe base64 of bytes 0..15, as secrets.token_urlsafe(16) would spell it


@pytest.mark.parametrize("base, expected", [
    ("https://sanzi.example.cn", "https://sanzi.example.cn/verify/AAECAwQFBgcICQoLDA0ODw"),
    ("https://sanzi.example.cn/", "https://sanzi.example.cn/verify/AAECAwQFBgcICQoLDA0ODw"),
    ("http://10.0.0.5:8000/sanzi", "http://10.0.0.5:8000/sanzi/verify/AAECAwQFBgcICQoLDA0ODw"),
])
def test_verify_url_printed_in_the_qr_code(base, expected):
    assert verify_url(base, CODE) == expected


def test_verify_url_keeps_every_code_character():
    assert verify_url("https://sanzi.example.cn", "Ab-_09zZ") == "https://sanzi.example.cn/verify/Ab-_09zZ"


def test_verify_code_alphabet_and_length():
    codes = {new_verify_code() for _ in range(300)}
    assert len(codes) == 300
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", code), code  # fits the column (24) and the lookup's limit


def test_verify_code_is_url_safe_base64_of_16_random_bytes(monkeypatch):
    import secrets
    monkeypatch.setattr(secrets, "token_bytes", lambda n: bytes(range(n)))
    assert new_verify_code() == CODE


ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_copy_check_compares_the_lowercase_hex_sha256_of_the_bytes():
    notice = Disclosure(sha256=ABC_SHA256)  # what publish stores: hashlib.sha256(pdf).hexdigest()
    assert matches(notice, b"abc") == (True, ABC_SHA256)
    assert matches(notice, b"abd")[0] is False
    assert matches(Disclosure(sha256=ABC_SHA256.upper()), b"abc")[0] is False  # stored digests are lowercase
    assert matches(Disclosure(), b"abc")[0] is False  # nothing published, nothing matches


# ---------------------------------------------------------------- service-hall case numbers (printed receipts)

@pytest.mark.parametrize("township, day, n, expected", [
    ("TA", date(2024, 5, 3), 1, "TA-20240503-0001"),
    ("TA", date(2024, 12, 31), 37, "TA-20241231-0037"),
    ("XZ01", date(2026, 1, 9), 9999, "XZ01-20260109-9999"),
])
def test_case_number_printed_on_papers(township, day, n, expected):
    assert case_number(township, day, n) == expected


@pytest.mark.parametrize("phone, tail", [("13800001234", "1234"), ("0551-62881234", "1234"),
                                         ("0551 6288 5678", "5678")])
def test_phone_tail_the_lookup_asks_for(phone, tail):
    assert phone_tail(phone) == tail
