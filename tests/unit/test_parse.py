"""Whole numbers from requests and typed fields (core.parse): read without raising, within the caller's bounds."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from threeassets.core.parse import ID_MAX, length_problems, to_id, to_int, too_long


@pytest.mark.parametrize("value, number", [("0", 0), ("42", 42), (" 7 ", 7), ("+3", 3), ("007", 7), (12, 12),
                                           (str(ID_MAX), ID_MAX), ("２０２７", 2027), ("\u3000１２ ", 12)])
def test_to_int_reads_whole_numbers(value, number):
    assert to_int(value) == number


@pytest.mark.parametrize("value", [None, "", " ", "abc", "1.5", "1e3", "²", "①", "١٢", "1 2", "１.５", "0x10", "-1",
                                   True, str(ID_MAX + 1), "99999999999999999999", "9" * 5000, "1\x00", [], 3.0])
def test_to_int_gives_the_default_for_anything_else(value):
    assert to_int(value) is None
    assert to_int(value, 5) == 5


def test_to_int_keeps_to_the_bounds():
    assert to_int("-5", lo=-10) == -5
    assert to_int("11", lo=1, hi=10) is None
    assert to_int("0", 1, lo=1) == 1
    assert to_int(61, lo=0, hi=60) is None


def test_to_id_is_a_row_id():
    assert to_id("1") == 1
    assert to_id("0") is None
    assert to_id(str(2**31)) is None  # past PostgreSQL's integer: no row has it
    assert to_id("2147483647") == ID_MAX


@given(st.text(max_size=30) | st.integers() | st.none())
def test_to_int_never_raises_and_stays_in_range(value):
    number = to_int(value)
    assert number is None or 0 <= number <= ID_MAX


def test_too_long_counts_characters_and_names_the_length():
    assert too_long("𠀀" * 10, 10, "姓名") is None  # a rare character outside the BMP is one character
    assert too_long("𠀀" * 11, 10, "姓名") == "姓名最多10字（现 11 字）"
    assert too_long("", 0) is None and too_long(None, 5) is None
    assert too_long("abcdef", 5) == "最多5字（现 6 字）"


def test_length_problems_names_each_field_over_its_limit_stripped():
    assert length_problems({"a": (" 短 ", 1, "甲"), "b": ("长长", 1, "乙"), "c": (None, 1, "丙")}) == \
        {"b": "乙最多1字（现 2 字）"}
