"""One set of voucher rules, worded once (ledger.rules): the same bad lines typed into the entry form, handed to
the service, imported from a file and posted by a register give the same reasons, and nothing is written."""
from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

import pytest

from tests.integration.test_importer import csv_bytes, run
from tests.web.conftest import count, entry_form
from threeassets.core.csvio import ImportError_
from threeassets.core.db import transaction
from threeassets.ledger.generated import post_generated
from threeassets.ledger.models import Voucher, VoucherLine
from threeassets.ledger.rules import LineInput, VoucherInvalid
from threeassets.ledger.service import save_draft

OK_DEBIT = ("购买办公用品", "513", "5.00", "")
OK_CREDIT = ("购买办公用品", "101", "", "5.00")
MANY = [OK_DEBIT] * 100 + [OK_CREDIT] * 100 + [("多一行", "513", "5.00", "")]

# name, the lines (summary, account, debit, credit), the reason every path gives, and whether the amounts are
# numbers a service can be handed at all (a typed "abc" never reaches a service).
CASES = [
    ("blank summary", [("", "513", "5.00", ""), OK_CREDIT], "请填写摘要", True),
    ("long summary", [("字" * 201, "513", "5.00", ""), OK_CREDIT], "摘要最多200字", True),
    ("blank account", [("x", "", "5.00", ""), OK_CREDIT], "请填写科目", True),
    ("unknown account", [("x", "999", "5.00", ""), OK_CREDIT], "科目“999”不存在", True),
    ("non-leaf account", [("x", "102", "5.00", ""), OK_CREDIT], "科目“102”不是末级科目，请选择其下级明细科目", True),
    ("both sides", [("x", "513", "5.00", "5.00"), OK_CREDIT], "一行只能填借方或贷方之一", True),
    ("no amount", [OK_DEBIT, OK_CREDIT, ("x", "513", "", "")], "请填写借方或贷方金额", True),
    ("negative", [("x", "513", "-5.00", ""), ("x", "101", "", "-5.00")],
     "金额不能为负数（红字冲销请用冲销功能）", True),
    ("not a number", [("x", "513", "abc", ""), OK_CREDIT], "“abc”不是有效金额", False),
    ("three decimals", [("x", "513", "5.001", ""), OK_CREDIT], "金额最多两位小数", False),
    ("unbalanced", [OK_DEBIT, ("x", "101", "", "4.00")], "借贷不平衡：借方合计 5.00，贷方合计 4.00，差额 1.00", True),
    ("one line", [OK_DEBIT], "凭证至少需要两行分录", True),
    ("201 lines", MANY, "一张凭证最多200行分录，请分成几张凭证录入", True),
]
IDS = [c[0] for c in CASES]


@pytest.fixture
def split_102(records, world):
    """a1 keeps 102 in sub-accounts, so 102 itself takes no entries."""
    records.sub_account(world.a1, "102", "信用社")


def _line_inputs(rows) -> list[LineInput]:
    return [LineInput(s, a, Decimal(d or 0), Decimal(c or 0)) for s, a, d, c in rows]


def _nothing_written(session) -> bool:
    return count(session, Voucher) == 0 and count(session, VoucherLine) == 0


@pytest.mark.parametrize("name, rows, reason, numeric", CASES, ids=IDS)
def test_the_entry_form_gives_the_reason(name, rows, reason, numeric, as_user, world, session, split_102):
    resp = as_user("accountant").post(f"/v/{world.a1.id}/vouchers/new", data=entry_form(rows=rows))
    assert resp.status_code == 422
    assert reason in html.unescape(resp.get_data(as_text=True))
    assert _nothing_written(session)


@pytest.mark.parametrize("name, rows, reason, numeric", [c for c in CASES if c[3]], ids=[c[0] for c in CASES if c[3]])
def test_the_service_gives_the_reason(name, rows, reason, numeric, world, session, split_102):
    with pytest.raises(VoucherInvalid) as exc, transaction(session):
        save_draft(session, village=world.a1, actor=world.user("accountant"), voucher_date=date(2024, 5, 10),
                   attachments=0, lines=_line_inputs(rows))
    assert any(m.endswith(reason) for m in exc.value.problems.messages()), exc.value.problems.messages()
    assert _nothing_written(session)


@pytest.mark.parametrize("name, rows, reason, numeric", CASES, ids=IDS)
def test_the_importer_gives_the_reason(name, rows, reason, numeric, world, session, split_102):
    data = csv_bytes([f"A1,2024-05-10,V9,{s},{a},{d},{c}" for s, a, d, c in rows])
    with pytest.raises(ImportError_) as exc:
        run(session, data, post=True)
    reasons = [e[3] for e in exc.value.errors]
    assert any(r == reason or r.startswith(f"{reason}（凭证 V9）") for r in reasons), reasons
    assert _nothing_written(session)


ACCOUNTLESS = {"blank account", "unknown account", "non-leaf account"}  # a register names its accounts itself


@pytest.mark.parametrize("name, rows, reason, numeric",
                         [c for c in CASES if c[3] and c[0] not in ACCOUNTLESS and c[0] != "201 lines"],
                         ids=[c[0] for c in CASES if c[3] and c[0] not in ACCOUNTLESS and c[0] != "201 lines"])
def test_a_register_posting_gives_the_reason(name, rows, reason, numeric, world, session):
    with pytest.raises(VoucherInvalid) as exc, transaction(session):
        post_generated(session, village=world.a1, on=date(2024, 5, 10), kind="depreciation",
                       lines=_line_inputs(rows), actor=world.user("accountant"))
    assert any(m.endswith(reason) for m in exc.value.problems.messages()), exc.value.problems.messages()
    assert _nothing_written(session)
