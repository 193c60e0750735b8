"""The audit log in words a township's staff read: each feature names its actions, its objects and the fields of
its audit details in Chinese (`<feature>/audit_labels.py`, listed in features.AUDIT), and these pure functions
turn a stored row into 操作 / 对象 / 详情 text. Nothing stored changes: the rows keep their codes (they are the
evidence), the page translates them.

A feature's module holds three dicts:

* ACTIONS: action code → label ("voucher.post" → "凭证记账");
* OBJECTS: object type (the model's class name) → label ("Voucher" → "凭证");
* FIELDS: detail key → label, or (label, {stored value → label}) when the value is a code; a key may be given for
  one family of actions only as "family:key" ("case:from" → ("原状态", case states)), which wins over the plain key.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

HASH = re.compile(r"^[0-9a-f]{40,}$")
# The detail keys that name the object itself, most telling first: shown in the 对象 column.
NAME_KEYS = ("number", "code", "title", "名单", "标题", "period", "name", "username", "file", "文件")
YES_NO = {True: "是", False: "否"}
# Detail keys every feature uses in the same sense; a feature's FIELDS may say more.
COMMON_FIELDS = {
    "before": "修改前", "after": "修改后", "changed": "修改内容", "file": "文件", "reason": "原因", "note": "说明",
    "total": "合计金额", "amount": "金额", "number": "编号", "code": "编码", "name": "名称", "rows": "行数",
    "lines": "行数", "voucher": "凭证", "voucher_id": "凭证", "vouchers": "凭证", "sha256": "文件哈希", "hash": "哈希",
    "period": "期间", "year": "年度", "ym": "月份", "on": "日期", "date": "日期", "status": "状态", "remarks": "意见",
    "seq": "序号", "method": "方式", "kind": "类别", "accounts": "科目数", "file_name": "文件", "count": "数量",
}


@dataclass
class Vocabulary:
    """Every feature's labels, merged."""

    actions: dict[str, str] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=dict)
    fields: dict[str, object] = field(default_factory=lambda: dict(COMMON_FIELDS))

    def add(self, module) -> Vocabulary:
        """Merge one feature's audit_labels module."""
        self.actions.update(getattr(module, "ACTIONS", {}))
        self.objects.update(getattr(module, "OBJECTS", {}))
        self.fields.update(getattr(module, "FIELDS", {}))
        return self

    def action(self, code: str) -> str:
        """An action in words (the code itself when no feature names it)."""
        return self.actions.get(code, code)

    def field(self, family: str, key: str) -> tuple[str, dict]:
        """(label, value labels) of a detail key for a family of actions."""
        entry = self.fields.get(f"{family}:{key}", self.fields.get(key, key))
        return entry if isinstance(entry, tuple) else (entry, {})


def parse(detail: str | None) -> dict:
    """A stored detail as a dict ({} when empty; {"详情": text} when it is not JSON)."""
    if not detail:
        return {}
    try:
        value = json.loads(detail)
    except ValueError:
        return {"详情": detail}
    return value if isinstance(value, dict) else {"详情": value}


def value_text(value, values: dict | None = None, words=None) -> str:
    """One detail value in words: codes through the field's value labels, 是/否, lists joined, hashes shortened;
    a nested dict's keys named by words(key) -> (label, value labels) when given."""
    values = values or {}
    if isinstance(value, bool):
        return YES_NO[value]
    if value is None or value == "":
        return "（空）"
    if isinstance(value, list):
        return "、".join(value_text(v, values, words) for v in value) or "（无）"
    if isinstance(value, dict):
        if set(value) == {"before", "after"}:
            return f"{value_text(value['before'], values, words)} → {value_text(value['after'], values, words)}"
        named = words or (lambda k: (k, {}))
        return "，".join(f"{named(k)[0]}：{value_text(v, named(k)[1], words)}" for k, v in value.items()) or "（无）"
    if isinstance(value, str) and value in values:
        return values[value]
    text = str(value)
    return text[:12] + "…" if HASH.match(text) else text


def detail_text(action: str, detail: str | None, vocab: Vocabulary) -> list[tuple[str, str]]:
    """The detail of a row as (label, value) pairs in words, in the stored order."""
    family = action.split(".", 1)[0]

    def words(key):
        return vocab.field(family, key)
    return [(words(key)[0], value_text(value, words(key)[1], words)) for key, value in parse(detail).items()]


def unnamed_keys(action: str, detail: str | None, vocab: Vocabulary) -> set[str]:
    """The detail keys (at any depth) no label names: what a test refuses, so the page never shows a code."""
    family = action.split(".", 1)[0]
    out: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("before", "after") and vocab.field(family, key)[0] == key and key.isascii() \
                        and not key.isdigit():
                    out.add(key)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
    walk(parse(detail))
    return out


def object_text(object_type: str | None, object_id: int | None, detail: str | None, vocab: Vocabulary) -> str:
    """What the row is about, named as staff know it: 凭证 记-0008（2026年10月）, 报账单 DEMO01-BZ2026-0002 …"""
    if not object_type:
        return ""
    label = vocab.objects.get(object_type, object_type)
    data = parse(detail)
    if object_type == "Voucher" and isinstance(data.get("number"), int) and isinstance(data.get("ym"), int):
        ym = data["ym"]
        return f"{label} 记-{data['number']:04d}（{ym // 100}年{ym % 100}月）"
    for key in NAME_KEYS:
        if data.get(key) not in (None, "") and not isinstance(data[key], dict | list):
            return f"{label} {data[key]}"
    return f"{label}（编号{object_id}）" if object_id else label
