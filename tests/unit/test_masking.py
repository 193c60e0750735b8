"""The one masking rule of every public surface: IDs, bank numbers and mobiles masked wherever they stand, and the
checks that find a personal number in text the public will read."""
from __future__ import annotations

import pytest

from threeassets.core import masking
from threeassets.core.masking import mask_bank, mask_id, mask_mobile, mask_text

ID = "340121199001011234"


# ---------------------------------------------------------------- masks

@pytest.mark.parametrize("raw, shown", [
    ("220102199001011234", "220102********1234"), ("11010519491231002X", "110105********002X"),
    ("110105491231002", "110105*****1002"),  # an old 15-digit ID
    (" 220102199001011234 ", "220102********1234"), ("1234567890", "******7890"), ("12345678", "********"),
    ("1234567", "*******"), ("", ""), (None, ""),
])
def test_an_id_keeps_its_first_six_and_last_four_and_hides_the_birth_date(raw, shown):
    assert mask_id(raw) == shown
    assert "19900101" not in mask_id(ID)


@pytest.mark.parametrize("raw, shown", [
    ("6222021234567890123", "***************0123"), ("6222 0212 3456 7890", "************7890"),
    ("6222-0212-3456-7890", "************7890"), ("123", "***"), ("1234", "****"), ("", ""),
])
def test_a_bank_number_keeps_its_last_four(raw, shown):
    assert mask_bank(raw) == shown


def test_a_mobile_keeps_its_first_three_and_last_four():
    assert mask_mobile("手机13800001234") == "手机138****1234"
    assert mask_mobile("0551-6688 1201") == "0551-6688 1201"


def test_mask_text_masks_ids_bank_numbers_and_mobiles_inside_summaries():
    text = "付张三（身份证220102199001011234，电话13912345678）补偿款，转入卡号6222021234567890123"
    out = mask_text(text)
    for whole in ("220102199001011234", "13912345678", "6222021234567890123"):
        assert whole not in out
    assert "220102********1234" in out and "139****5678" in out and "***************0123" in out
    assert out.startswith("付张三（身份证") and masking.findings(out) == []


@pytest.mark.parametrize("text, shown", [
    ("卡号 6222 0212 3456 7890 收款", "卡号 ************7890 收款"),
    ("账号6222-0212-3456-7890-123", "账号" + "*" * 15 + "0123"),
    ("对公账户1234567890123", "对公账户*********0123"),
    ("旧证号110105491231002", "旧证号110105*****1002"),
    ("联系电话13812345678", "联系电话138****5678"), ("电话 138 1234 5678。", "电话 138****5678。"),
    ("电话138-1234-5678", "电话138****5678"),
    ("电话１３８１２３４５６７８", "电话138****5678"),  # an input method's full-width digits
    ("身份证２２０１０２１９９００１０１１２３４", "身份证220102********1234"),
])
def test_mask_text_reads_every_way_people_write_numbers(text, shown):
    assert mask_text(text) == shown


@pytest.mark.parametrize("text", [
    "支付2026年10月电费1234.50元", "记-0007", "合同HT-2026-001", "统一社会信用代码91340100MA2N0DEM0Q",
    "监督电话0551-6288 1234", "电话 0551 6288 1234", "055162881234", "2026-10-01 2026-10-31", "金额13800000000.00元",
    "TA-20261126-0001",
])
def test_mask_text_leaves_ordinary_numbers(text):
    assert mask_text(text) == text


# ---------------------------------------------------------------- checks

FLAGGED = [
    ("340102198001011234", "id"), ("34010219800101123X", "id"), ("34010219800101123x", "id"),
    ("户主身份证340102198001011234号", "id"), ("13800001234", "mobile"), ("联系人张三13955101234", "mobile"),
    ("6222 0212 3456 7890 123", "bank"), ("6222-0212-3456-7890", "bank"), ("6222021234567890123", "bank"),
    ("622202123456", "bank"), ("第12345号", "bank"), ("户号340102001002", "bank"), ("20240510", "bank"),
    ("12345 67890", "bank"),
]
ALLOWED = [
    "2024-05-10", "2024年5月10日", "12345.67", "1,234,567.00", "-12,345.60", "50000元", "3.5万元", "12000 人",
    "6.50亩", "12.5%", "TA-20261126-0001", "DEMO-20261126-0001", "0551-12345678", "0551-6688 1201",
    "93340121MA2N01YC8K", "3401**********0111", "340121********0111", "110105*****1002",
    "340***********123X", "138****1234", "尾号1234",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "http://127.0.0.1:8000/verify/oKL32oV3Aq7wCnYPCxtIEg", "/public/t/TA/notices/123456",
    "财农〔2021〕121号", "第 1 页 共 4 页", "2026年11月（2026年11月1日至2026年11月30日）", "记-0001",
]


@pytest.mark.parametrize("text, kind", FLAGGED)
def test_personal_numbers_are_found(text, kind):
    assert kind in [f.kind for f in masking.findings(text)], text


@pytest.mark.parametrize("text", ALLOWED)
def test_legitimate_numbers_pass(text):
    assert masking.findings(text) == [], text


def test_the_strict_check_sees_ids_and_mobiles_even_in_attributes_but_not_long_ids_of_records():
    assert [f.kind for f in masking.strict_findings("value=340102198001011234")] == ["id"]
    assert [f.kind for f in masking.strict_findings("tel:13800001234")] == ["mobile"]
    assert masking.strict_findings("/public/t/TA/villages/123456/lists/7890123") == []


def test_a_finding_is_named_in_words():
    assert [f.label for f in masking.findings("13800001234 340102198001011234")] == ["身份证号", "手机号"]


def test_public_phone_masks_a_mobile_and_keeps_an_office_line():
    assert masking.public_phone("13800001234") == "138****1234"
    assert masking.public_phone(" 0551-6688 1201 ") == "0551-6688 1201"
    assert masking.public_phone("") == ""
    assert masking.findings(masking.public_phone("座机 0551-12345678，手机 13955101234")) == []
