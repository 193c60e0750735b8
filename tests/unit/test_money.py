"""Money rules: parsing typed amounts, fen conversion, separators and the 大写 form."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threeassets.core.money import (
    MAX_AMOUNT,
    AmountError,
    fmt,
    from_fen,
    parse_amount,
    parse_percent,
    plain,
    to_chinese_upper,
    to_fen,
)

D = Decimal
MAX_FEN = int(MAX_AMOUNT * 100)


# ---------------------------------------------------------------- parse_amount

@pytest.mark.parametrize("text, expected", [
    ("0", "0.00"),
    ("12", "12.00"),
    ("12.5", "12.50"),
    ("  12.34 ", "12.34"),
    ("1,234.56", "1234.56"),
    ("1,234,567", "1234567.00"),
    ("１２３", "123.00"),                   # full-width digits
    ("１，２３４．５", "1234.50"),          # full-width separator and point
    ("¥1,000", "1000.00"),
    ("￥88.8", "88.80"),
    ("999999999999.99", "999999999999.99"),
])
def test_parse_amount_accepts(text, expected):
    value = parse_amount(text)
    assert value == D(expected)
    assert str(value) == expected  # always two places


@pytest.mark.parametrize("text", [None, "", "   ", "\t"])
def test_parse_amount_blank_is_none(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["1.234", "0.001", "１．２３４", "12.345,6"])
def test_parse_amount_refuses_more_than_two_decimals(text):
    with pytest.raises(AmountError, match="两位小数"):
        parse_amount(text)


@pytest.mark.parametrize("text", ["-1", "-0.01", "－５", "-1,000.00"])
def test_parse_amount_refuses_negative_by_default(text):
    with pytest.raises(AmountError, match="负数"):
        parse_amount(text)


@pytest.mark.parametrize("text, expected", [("-1", "-1.00"), ("－５", "-5.00"), ("-1,000.5", "-1000.50")])
def test_parse_amount_negative_when_allowed(text, expected):
    assert parse_amount(text, allow_negative=True) == D(expected)


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12元", "NaN", "Infinity", "-inf", "1 2", "0x10", "--1", "."])
def test_parse_amount_refuses_junk(text):
    with pytest.raises(AmountError, match="不是有效金额"):
        parse_amount(text)


def test_parse_amount_refuses_too_large():
    with pytest.raises(AmountError, match="^金额过大：最多 999,999,999,999.99 元$"):
        parse_amount("1000000000000")


def test_parse_amount_error_names_the_text():
    with pytest.raises(AmountError) as exc:
        parse_amount("十二块")
    assert "十二块" in str(exc.value)


# ---------------------------------------------------------------- fen

@pytest.mark.parametrize("value, fen", [("0", 0), ("0.01", 1), ("12.3", 1230), ("-5.07", -507),
                                        ("999999999999.99", 99999999999999)])
def test_to_fen(value, fen):
    assert to_fen(D(value)) == fen


def test_to_fen_refuses_sub_fen():
    with pytest.raises(AmountError):
        to_fen(D("0.005"))


def test_from_fen_has_two_places():
    assert str(from_fen(123456)) == "1234.56"
    assert str(from_fen(-5)) == "-0.05"
    assert from_fen(0) == 0


@given(st.integers(min_value=-MAX_FEN, max_value=MAX_FEN))
def test_fen_round_trip(fen):
    assert to_fen(from_fen(fen)) == fen


@given(st.decimals(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_round_trip_through_fen(value):
    assert from_fen(to_fen(value)) == value


# ---------------------------------------------------------------- fmt / plain

@pytest.mark.parametrize("value, text", [
    (D("0"), "0.00"), (D("5"), "5.00"), (D("999.9"), "999.90"), (D("1000"), "1,000.00"),
    (D("1234567.891"), "1,234,567.89"), (D("-1234.5"), "-1,234.50"), (12, "12.00"),
    (D("123456789012.34"), "123,456,789,012.34"),
])
def test_fmt_separators(value, text):
    assert fmt(value) == text


def test_fmt_blank():
    assert fmt(None) == ""
    assert fmt(D("0"), blank_zero=True) == ""
    assert fmt(D("0.01"), blank_zero=True) == "0.01"


def test_plain_has_no_separators():
    assert plain(D("1234567.8")) == "1234567.80"
    assert plain(None) == "0.00"


@given(st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False))
def test_fmt_parses_back(value):
    assert parse_amount(fmt(value)) == value


# ---------------------------------------------------------------- 大写

@pytest.mark.parametrize("value, upper", [
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("100", "壹佰元整"),
    ("1005", "壹仟零伍元整"),
    ("1010", "壹仟零壹拾元整"),
    ("10", "壹拾元整"),
    ("10.05", "壹拾元零伍分"),
    ("1.02", "壹元零贰分"),
    ("0.05", "伍分"),
    ("0.5", "伍角整"),
    ("0.55", "伍角伍分"),
    ("100000", "壹拾万元整"),
    ("10500", "壹万零伍佰元整"),
    ("105000", "壹拾万伍仟元整"),
    ("1050000", "壹佰零伍万元整"),
    ("10000001", "壹仟万零壹元整"),
    ("100000000", "壹亿元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100000000.01", "壹亿元零壹分"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("0", "零元整"),
    ("-12.5", "负壹拾贰元伍角整"),
    ("-0.05", "负伍分"),
    ("-100", "负壹佰元整"),
])
def test_chinese_upper(value, upper):
    assert to_chinese_upper(D(value)) == upper


DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def _read_section(text: str) -> int:
    """Independent reader of a capital number below 10,000 (零 is only a filler)."""
    total, digit = 0, 0
    for ch in text:
        if ch in DIGIT:
            digit = DIGIT[ch]
        elif ch in SMALL:
            total += digit * SMALL[ch]
            digit = 0
    return total + digit


def _read_integer(text: str) -> int:
    """Independent reader of a capital integer using 亿 and 万 as group markers."""
    if "亿" in text:
        high, low = text.split("亿", 1)
        return _read_integer(high) * 10**8 + _read_integer(low)
    if "万" in text:
        high, low = text.split("万", 1)
        return _read_section(high) * 10**4 + _read_section(low)
    return _read_section(text)


def _read_upper(text: str) -> int:
    """Capital amount → fen, written without looking at the implementation."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan_part, _, rest = text.rpartition("元") if "元" in text else ("", "", text)
    fen = _read_integer(yuan_part) * 100
    if "角" in rest:
        jiao, rest = rest.split("角", 1)
        fen += DIGIT[jiao[-1]] * 10
    if "分" in rest:
        fen += DIGIT[rest.replace("零", "").removesuffix("分")[-1]]
    return sign * fen


amounts = st.integers(min_value=-MAX_FEN, max_value=MAX_FEN).map(from_fen)


@given(amounts)
def test_chinese_upper_reads_back(value):
    assert _read_upper(to_chinese_upper(value)) == to_fen(value)


@given(amounts)
def test_chinese_upper_is_well_formed(value):
    upper = to_chinese_upper(value)
    assert "零零" not in upper
    assert not upper.endswith("零")
    body = upper.removeprefix("负")
    assert not body.startswith("零") or value == 0
    assert upper.startswith("负") == (value < 0)
    # 整 only after 元 or 角, never after 分
    assert upper.endswith("整") == (to_fen(value) % 10 == 0)
    assert "零元" not in upper or value == 0
    assert "零万" not in upper and "零亿" not in upper


@given(st.integers(min_value=1, max_value=999999999999))
def test_whole_yuan_end_with_yuan_zheng(yuan):
    assert to_chinese_upper(D(yuan)).endswith("元整")


@pytest.mark.parametrize("text", ["1e3", "1E-2", "NaN", "Infinity", "0x10", "1_000"])
def test_parse_amount_refuses_notations_a_clerk_would_not_type(text):
    with pytest.raises(AmountError):
        parse_amount(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("5", "5.00"), ("5%", "5.00"), ("5％", "5.00"), ("５％", "5.00"), (" 4.5 % ", "4.50"), ("0", "0.00"),
    ("0.5%", "0.50"), ("1", "1.00"), ("100", "100.00"),
])
def test_parse_percent_reads_a_rate_as_people_write_it(text, expected):
    assert parse_percent(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "words"), [
    ("0.05", "有歧义"), ("0.5", "有歧义"), ("abc", "无效"), ("5%%", "无效"), ("1e2", "无效"), ("5.005", "最多两位小数"),
    ("9" * 40, "过大"),
])
def test_parse_percent_refuses_with_a_message_about_a_rate(text, words):
    with pytest.raises(AmountError) as refused:
        parse_percent(text, "残值率")
    assert words in str(refused.value) and "残值率" in str(refused.value) and "金额" not in str(refused.value)


def test_parse_percent_blank_is_none():
    assert parse_percent("  ") is None and parse_percent(None) is None
