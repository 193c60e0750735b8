"""A search box's text as lists match it (core.pagination.search_word): full-width codes read as half-width,
Chinese text as typed."""
import pytest

from threeassets.core.pagination import WORD_MAX, search_word, spellings


@pytest.mark.parametrize(("typed", "matched"), [
    ("  ＤＥＭＯ－２０２６１２０７－０００８ ", "DEMO-20261207-0008"),  # a case number from a full-width keyboard
    ("ＧＤＤＬ", "GDDL"),
    ("１２３４", "1234"),
    ("办公费（十月）", "办公费（十月）"),  # Chinese text keeps its full-width brackets: stored text has them
    ("张三", "张三"),
    ("10%", "10%"),
    ("", ""),
    (None, ""),
])
def test_search_word(typed, matched):
    assert search_word(typed) == matched


def test_a_word_is_cut_to_its_longest():
    assert search_word("字" * (WORD_MAX + 10)) == "字" * WORD_MAX


@pytest.mark.parametrize(("typed", "spelt"), [
    ("办公费（十月）", ["办公费（十月）", "办公费(十月)"]),  # typed full-width: found stored half-width too
    ("办公费(十月)", ["办公费(十月)", "办公费（十月）"]),  # and the other way
    ("ＧＤ－００１", ["ＧＤ－００１", "GD-001"]),
    ("张三", ["张三"]),
    ("a,b", ["a,b", "a，b"]),
])
def test_spellings(typed, spelt):
    assert spellings(typed) == spelt
