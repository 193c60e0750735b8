"""The audit log in words: actions, objects and details of stored rows turned into Chinese (pure)."""
from __future__ import annotations

import json
from types import SimpleNamespace

from threeassets.core.audit_text import Vocabulary, detail_text, object_text, unnamed_keys, value_text

VOCAB = Vocabulary().add(SimpleNamespace(
    ACTIONS={"case.accept": "受理", "voucher.post": "凭证记账"}, OBJECTS={"Case": "办件", "Voucher": "凭证"},
    FIELDS={"case:from": ("原状态", {"intake": "接件"}), "case:to": ("新状态", {"accepted": "已受理"}),
            "white_slip": "含白条", "phone": "电话"}))


def _d(**detail) -> str:
    return json.dumps(detail, ensure_ascii=False)


def test_an_action_and_its_object_read_as_staff_name_them():
    assert VOCAB.action("case.accept") == "受理" and VOCAB.action("unknown.code") == "unknown.code"
    assert object_text("Case", 7, _d(number="TA-20261126-0001"), VOCAB) == "办件 TA-20261126-0001"
    assert object_text("Voucher", 9, _d(number=8, ym=202610), VOCAB) == "凭证 记-0008（2026年10月）"
    assert object_text("Voucher", 9, None, VOCAB) == "凭证（编号9）" and object_text(None, None, None, VOCAB) == ""


def test_details_read_in_words_with_codes_translated_per_family():
    pairs = detail_text("case.accept", _d(number="X-1", **{"from": "intake", "to": "accepted"}, white_slip=True,
                                           total="12.50", missing=[]), VOCAB)
    assert pairs == [("编号", "X-1"), ("原状态", "接件"), ("新状态", "已受理"), ("含白条", "是"), ("合计金额", "12.50"),
                     ("missing", "（无）")]


def test_changes_show_before_and_after_and_nested_fields_are_named():
    pairs = detail_text("settings.update", _d(changed={"phone": {"before": "", "after": "0551-1"}}), VOCAB)
    assert pairs == [("修改内容", "电话：（空） → 0551-1")]
    assert value_text("a" * 64) == "a" * 12 + "…" and value_text(None) == "（空）" and value_text(False) == "否"


def test_an_unreadable_detail_is_shown_as_text_not_lost():
    assert detail_text("x.y", "not json {", VOCAB) == [("详情", "not json {")]


def test_unnamed_keys_are_found_at_any_depth_but_not_account_codes_or_chinese_keys():
    detail = _d(phone="1", odd_key=1, mapping={"101": "101"}, nested={"deeper_key": 2}, 名单="x")
    assert unnamed_keys("case.accept", detail, VOCAB) == {"odd_key", "mapping", "nested", "deeper_key"}
