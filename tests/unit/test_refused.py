"""core.refused: a refused form's typed values and problems belong to that form only, and print as text; and the
pure readers refused forms rely on (a date and a year as typed, every field's problem at once)."""
from __future__ import annotations

from threeassets.core.refused import NONE, refused


def test_only_the_refused_form_gets_its_values_and_problems():
    r = refused("reopen-2024-04", {"reason": "补录<b>电费</b>", "period": "2024-04", "other": "x"}, ["reason"],
                {"reason": "最多200字（现 204 字）"})
    assert r.open("reopen-2024-04") and not r.open("reopen-2024-05")
    assert r.value("reopen-2024-04", "reason") == "补录<b>电费</b>" and r.value("reopen-2024-04", "other") == ""
    assert r.value("reopen-2024-05", "reason", "默认") == "默认"
    assert r.invalid("reopen-2024-04", "reason") == " is-invalid" and r.invalid("reopen-2024-05", "reason") == ""
    assert str(r.problem("reopen-2024-05", "reason")) == ""


def test_a_problem_prints_as_text_and_no_refusal_opens_nothing():
    r = refused("f", {"a": ""}, ["a"], {"a": "<script>x</script>"})
    assert str(r.problem("f", "a")) == '<div class="invalid-feedback d-block">&lt;script&gt;x&lt;/script&gt;</div>'
    assert not NONE.open("") and NONE.value("", "a", "今天") == "今天" and NONE.invalid("", "a") == ""


def test_read_day_says_why_instead_of_raising():
    from datetime import date

    from threeassets.core.periods import read_day
    assert read_day("2026年2月3日", "解除日期") == (date(2026, 2, 3), None)
    assert read_day("  ") == (None, None)  # blank: whether it is required is the caller's
    day, why = read_day("2024-02-30", "解除日期")
    assert day is None and why == "解除日期“2024-02-30”不存在（2024年2月没有30日）"


def test_a_year_as_a_box_takes_it():
    from threeassets.core.parse import to_year
    assert to_year("2026", 2000, 2100) == to_year("２０２６", 2000, 2100) == to_year(" 2026年 ", 2000, 2100) == 2026
    assert to_year("1999", 2000, 2100) is None and to_year("二〇二五", 2000, 2100) is None
    assert to_year(None, 1, 9) is None


def test_refuse_fields_names_every_problem_or_nothing():
    import pytest

    from threeassets.core.errors import RuleError, refuse_fields
    refuse_fields({})
    with pytest.raises(RuleError) as err:
        refuse_fields({"on": "请填写解除日期", "reason": "解除原因最多200字（现 204 字）"})
    assert str(err.value) == "请填写解除日期；解除原因最多200字（现 204 字）"
    assert set(err.value.fields) == {"on", "reason"}


def test_a_termination_reason_must_be_given_and_fit():
    from threeassets.contracts.rules import TERMINATE_REASON_MAX, terminate_problems
    assert terminate_problems(" 承包方弃耕 ") == {}
    assert terminate_problems("　") == {"reason": "请填写解除原因"}
    n = TERMINATE_REASON_MAX + 1
    assert terminate_problems("弃" * n) == {"reason": f"解除原因最多{TERMINATE_REASON_MAX}字（现 {n} 字）"}
