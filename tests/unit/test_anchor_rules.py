"""Anchors of the chain and the file of exported heads (ledger/rules.py): what an audit row
records, when the chain no longer holds it, and the frozen formats read back later."""
import json
from datetime import datetime

import pytest

from threeassets.ledger.rules import (
    Anchor,
    LedgerError,
    anchor_of,
    anchor_problems,
    heads_json,
    missing_label,
    posting_count_problem,
    read_heads,
)

H1, H2, H3 = "1" * 64, "2" * 64, "3" * 64
CHAIN = {1: H1, 2: H2, 3: H3}


@pytest.mark.parametrize("action, detail, expected", [
    ("voucher.post", json.dumps({"number": 2, "ym": 202405, "hash": H2, "seq": 2}),
     Anchor("审计日志 #7", 2, H2, "2024-05 记-0002", 1, "normal")),
    ("voucher.post", json.dumps({"number": 2, "ym": 202405, "hash": H2}),  # before links had their place
     Anchor("审计日志 #7", None, H2, "2024-05 记-0002", 1, "normal")),
    ("voucher.post", json.dumps({"number": 1, "ym": 202412, "hash": H3, "kind": "year_close", "generated": True,
                                 "seq": 3}), Anchor("审计日志 #7", 3, H3, "2024-12 记-0001", 1, "year_close")),
    ("voucher.import", json.dumps({"file": "a.csv", "vouchers": 2, "posted": True, "head_seq": 3, "head_hash": H3}),
     Anchor("审计日志 #7", 3, H3, "导入文件 a.csv 的最后一张凭证", 2)),
    ("voucher.import", '{"file": "a.csv", "vouchers": 2, "posted": true}',  # an import before heads were recorded
     Anchor("审计日志 #7", None, None, "导入文件 a.csv 的最后一张凭证", 2)),
    ("voucher.import", '{"file": "a.csv", "vouchers": 2, "posted": false}', None),
    ("voucher.post", "not json", Anchor("审计日志 #7", None, None, readable=False)),
    ("voucher.import", '{"posted": true}', Anchor("审计日志 #7", None, None, readable=False)),
])
def test_anchor_of_audit_rows(action, detail, expected):
    assert anchor_of(7, action, detail) == expected


def test_anchors_the_chain_still_holds_pass():
    anchors = [Anchor("a", 1, H1, postings=1), Anchor("b", None, H2, postings=1), Anchor("c", 3, H3, postings=1)]
    assert anchor_problems("A1 一村", anchors, CHAIN, 3) == []
    assert posting_count_problem("A1 一村", anchors, 3) is None


def test_anchor_beyond_the_end_is_a_cut():
    assert anchor_problems("A1 一村", [Anchor("审计日志 #9", 4, "4" * 64, "2024-06 记-0001")], CHAIN, 3) == [
        "链被截断：A1 一村 审计日志 #9 记录的 2024-06 记-0001（链序 4）已不在链中，链只到链序 3"]


def test_anchor_with_another_hash_is_a_rewrite():
    assert anchor_problems("A1 一村", [Anchor("链头文件 h.json", 2, H3)], CHAIN, 3) == [
        "链被改写：A1 一村 链头文件 h.json 记录的（链序 2）哈希 333333333333… 与链中的 222222222222… 不符"]
    assert anchor_problems("A1 一村", [Anchor("审计日志 #2", None, "9" * 64, "2024-05 记-0001")], CHAIN, 3) == [
        "链被改写：A1 一村 审计日志 #2 记录的 2024-05 记-0001（哈希 999999999999…）不在链中"]


def test_anchor_in_a_gap_is_left_to_the_gap_and_unreadable_rows_are_named():
    gapped = {1: H1, 3: H3}
    assert anchor_problems("A1 一村", [Anchor("a", 2, H2)], gapped, 3) == []
    assert anchor_problems("A1 一村", [Anchor("审计日志 #5", None, None, readable=False)], CHAIN, 3) == [
        "审计不符：A1 一村 审计日志 #5 的记账记录无法读取"]


def test_posting_count():
    anchors = [Anchor("a", 1, H1, postings=1), Anchor("b", None, None, postings=3)]
    assert posting_count_problem("A1 一村", anchors, 4) is None
    assert "审计日志记录了 4 张凭证记账，链中只有 3 张已记账凭证" in posting_count_problem("A1 一村", anchors, 3)
    assert "链中有 5 张已记账凭证，审计日志只记录了 4 张记账" in posting_count_problem("A1 一村", anchors, 5)


def test_missing_label():
    assert missing_label(2, 2, {2: "2024-05 记-0002"}) == "链序 2（2024-05 记-0002）"
    assert missing_label(2, 4, {3: "2024-05 记-0003"}) == "链序 2–4（2024-05 记-0003）"
    assert missing_label(2, 2, {}) == "链序 2"


def test_exported_heads_format_is_frozen():
    """Files of exported heads are kept for years and read back: the text is pinned, like the chain's."""
    text = heads_json({"A2": (2, H2), "A1": (3, H3)}, datetime(2024, 6, 1, 10, 30, 5, 123))
    assert text == (
        '{\n "format": "threeassets-chain-heads",\n "version": 1,\n "exported_at": "2024-06-01T10:30:05",\n'
        f' "heads": {{\n  "A1": {{\n   "seq": 3,\n   "hash": "{H3}"\n  }},\n'
        f'  "A2": {{\n   "seq": 2,\n   "hash": "{H2}"\n  }}\n }}\n}}\n')
    source = "链头文件 h.json"
    assert read_heads(text, "h.json") == {"A1": Anchor(source, 3, H3), "A2": Anchor(source, 2, H2)}


@pytest.mark.parametrize("body", [
    "[]", "{}", json.dumps({"format": "threeassets-chain-heads", "version": 2, "heads": {}}),
    json.dumps({"format": "threeassets-chain-heads", "version": 1, "heads": {"A1": {"seq": "x", "hash": H1}}}),
    json.dumps({"format": "threeassets-chain-heads", "version": 1, "heads": {"A1": {"seq": 1, "hash": "ab"}}}),
    json.dumps({"format": "threeassets-chain-heads", "version": 1, "heads": {"A1": {"seq": 1}}}),
])
def test_read_heads_refuses_what_is_not_an_export(body):
    with pytest.raises(LedgerError, match="链头文件 h.json 无法读取"):
        read_heads(body, "h.json")
