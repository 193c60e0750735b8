"""Register-generated vouchers: posted, numbered, chained, audited; sub-accounts resolve to the first leaf."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.conftest import lines
from tests.integration.conftest import audit_count
from threeassets.core.db import transaction
from threeassets.ledger.chain import verify_village
from threeassets.ledger.chart import add_sub_account
from threeassets.ledger.generated import leaf_account, post_generated
from threeassets.ledger.models import Account
from threeassets.ledger.rules import LedgerError, VoucherInvalid
from threeassets.reports.service import trial_balance

DAY = date(2024, 5, 31)


def _post(session, world, spec, on=DAY):
    with transaction(session):
        return post_generated(session, village=world.a1, on=on, kind="depreciation", lines=lines(*spec),
                              actor=world.user("accountant"))


def test_posts_numbered_chained_and_audited(session, world):
    before = audit_count(session, "voucher.post")
    v = _post(session, world, [("计提折旧", "511", "100.00", ""), ("计提折旧", "152", "", "100.00")])
    assert (v.status, v.number, v.kind, v.total) == ("posted", 1, "depreciation", Decimal("100.00"))
    assert audit_count(session, "voucher.post") == before + 1
    assert verify_village(session, world.a1) == (None, 1)
    tb = {r.code: r for r in trial_balance(session, [world.a1.id], 202405, 202405)}
    assert tb["511"].debit == Decimal("100.00")


def test_parent_code_goes_to_its_first_leaf(session, world):
    with transaction(session):
        parent = session.scalar(select(Account).where(Account.village_id == world.a1.id, Account.code == "102"))
        add_sub_account(session, village_id=world.a1.id, parent=parent, suffix="02", name="农商行", actor=None)
        add_sub_account(session, village_id=world.a1.id, parent=parent, suffix="01", name="农行", actor=None)
    assert leaf_account(session, world.a1.id, "102").code == "10201"
    v = _post(session, world, [("收款", "102", "5.00", ""), ("收款", "112", "", "5.00")])
    codes = {ln.account_id for ln in v.lines}
    assert leaf_account(session, world.a1.id, "10201").id in codes


def test_unbalanced_or_unknown_or_closed_writes_nothing(session, world):
    before = audit_count(session, "voucher.post")
    with pytest.raises(VoucherInvalid):
        _post(session, world, [("x", "511", "1.00", ""), ("x", "152", "", "2.00")])
    with pytest.raises(LedgerError, match="科目表缺少 999"):
        _post(session, world, [("x", "999", "1.00", ""), ("x", "152", "", "1.00")])
    from threeassets.closing.service import close_period
    with transaction(session):
        close_period(session, world.a1, 202401, world.user("accountant"))
    with pytest.raises(LedgerError, match="已结账"):
        _post(session, world, [("x", "511", "1.00", ""), ("x", "152", "", "1.00")], on=date(2024, 1, 31))
    assert audit_count(session, "voucher.post") == before
