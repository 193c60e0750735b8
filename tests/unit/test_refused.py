"""core.refused: a refused form's typed values and problems belong to that form only, and print as text."""
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
