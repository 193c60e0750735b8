"""Accrual, receipts (full and partial), deposit and refund post the right vouchers; the registers follow."""
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from tests.integration.contract_helpers import active, balance, counts, draft, resource
from threeassets.contracts import books, service
from threeassets.contracts.models import Installment, Receipt
from threeassets.core.db import transaction
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.ledger.models import Voucher, VoucherLine


def _lines(session, voucher_id):
    """(account code, debit, credit) of a voucher's lines."""
    from threeassets.ledger.models import Account
    q = (select(Account.code, VoucherLine.debit, VoucherLine.credit).join(Account, Account.id == VoucherLine.account_id)
         .where(VoucherLine.voucher_id == voucher_id).order_by(VoucherLine.line_no))
    return [tuple(r) for r in session.execute(q)]


@pytest.fixture
def contract(session, world):
    res = resource(session, world)
    return active(session, world, [(f"resource:{res.id}", "")])


def test_due_run_accrues_installments_due_by_the_date(session, world, contract):
    with transaction(session):
        done = books.accrue_due(session, village=world.a1, on=date(2024, 5, 10), actor=world.user("accountant"))
    assert [i.seq for i in done] == [1]  # only 2024-01-01 has fallen due
    inst = session.get(Installment, done[0].id)
    assert inst.status == "due" and inst.accrual_voucher_id
    v = session.get(Voucher, inst.accrual_voucher_id)
    assert v.kind == "contract" and v.status == "posted" and v.voucher_date == date(2024, 5, 10)
    assert _lines(session, v.id) == [("112", D("10000.00"), D("0.00")), ("501", D("0.00"), D("10000.00"))]
    assert balance(session, world.a1, "112") == D("10000.00")
    with transaction(session):  # a second run the same day finds nothing more
        assert books.accrue_due(session, village=world.a1, on=date(2024, 5, 10), actor=None) == []


def test_full_receipt_clears_112(session, world, contract):
    inst = contract.installments[0]
    with transaction(session):
        books.accrue(session, village=world.a1, contract=contract, inst=inst, on=date(2024, 5, 2), actor=None)
        r = books.receive(session, village=world.a1, contract=contract, inst=inst, on=date(2024, 5, 3),
                          amount=D("10000.00"), method="bank", actor=world.user("accountant"))
    assert _lines(session, r.voucher_id) == [("102", D("10000.00"), D("0.00")), ("112", D("0.00"), D("10000.00"))]
    inst = session.get(Installment, inst.id)
    assert inst.status == "paid" and inst.received == D("10000.00")
    assert balance(session, world.a1, "112") == D("0.00")
    assert balance(session, world.a1, "102") == D("10000.00")
    assert balance(session, world.a1, "501") == D("-10000.00")  # credit balance of income


def test_partial_receipts_in_cash_then_the_rest(session, world, contract):
    inst = contract.installments[0]
    with transaction(session):  # not yet accrued: the receipt accrues it first, same day
        r1 = books.receive(session, village=world.a1, contract=contract, inst=inst, on=date(2024, 5, 3),
                           amount=D("4000.00"), method="cash", actor=None)
    inst = session.get(Installment, inst.id)
    assert inst.status == "partial" and inst.received == D("4000.00") and inst.accrual_voucher_id
    assert _lines(session, r1.voucher_id) == [("101", D("4000.00"), D("0.00")), ("112", D("0.00"), D("4000.00"))]
    assert balance(session, world.a1, "112") == D("6000.00")
    with transaction(session):
        c = inst.contract
        books.receive(session, village=world.a1, contract=c, inst=inst, on=date(2024, 5, 20), amount=D("6000.00"),
                      method="bank", actor=None)
    assert session.get(Installment, inst.id).status == "paid"
    assert balance(session, world.a1, "112") == D("0.00")


def test_receipt_over_the_outstanding_amount_writes_nothing(session, world, contract):
    inst = contract.installments[0]
    before = counts(session)
    with pytest.raises(RuleError, match="超过"), transaction(session):
        books.receive(session, village=world.a1, contract=contract, inst=session.get(Installment, inst.id),
                      on=date(2024, 5, 3), amount=D("10000.01"), method="bank", actor=None)
    assert counts(session) == before
    assert session.get(Installment, inst.id).status == "scheduled"


def test_deposit_and_refund(session, world, contract):
    with transaction(session):
        r = books.receive_deposit(session, village=world.a1, contract=contract, on=date(2024, 5, 3),
                                  amount=D("2000.00"), method="bank", actor=None)
    assert _lines(session, r.voucher_id) == [("102", D("2000.00"), D("0.00")), ("211", D("0.00"), D("2000.00"))]
    assert balance(session, world.a1, "211") == D("-2000.00")
    assert contract.deposit_received == D("2000.00")
    with pytest.raises(RuleError, match="超过尚未收取"), transaction(session):
        books.receive_deposit(session, village=world.a1, contract=contract, on=date(2024, 5, 3), amount=D("0.01"),
                              method="bank", actor=None)
    with transaction(session):
        f = books.refund_deposit(session, village=world.a1, contract=contract, on=date(2024, 5, 30),
                                 amount=D("2000.00"), method="cash", actor=None)
    assert _lines(session, f.voucher_id) == [("211", D("2000.00"), D("0.00")), ("101", D("0.00"), D("2000.00"))]
    assert balance(session, world.a1, "211") == D("0.00") and contract.deposit_received == D("0.00")
    kinds = session.scalars(select(Receipt.kind).order_by(Receipt.id)).all()
    assert kinds == ["deposit", "refund"]
    with pytest.raises(RuleError, match="超过已收"), transaction(session):
        books.refund_deposit(session, village=world.a1, contract=contract, on=date(2024, 5, 30), amount=D("1"),
                             method="cash", actor=None)


def test_party_sub_accounts_are_used_or_added(session, world, sub_account, contract):
    sub_account(world.a1, "112", "01", "李四")
    with transaction(session):
        books.accrue_due(session, village=world.a1, on=date(2024, 5, 10), actor=None)
    from threeassets.ledger.models import Account
    added = session.scalar(select(Account).where(Account.village_id == world.a1.id, Account.name == "张三"))
    assert added.code == "11202" and added.full_name == "应收款—张三"
    inst = session.get(Installment, contract.installments[0].id)
    assert _lines(session, inst.accrual_voucher_id)[0][0] == "11202"


def test_a_party_named_longer_than_an_account_keeps_one_sub_account(session, world, sub_account):
    sub_account(world.a1, "112", "01", "李四")
    party = "某某农业开发有限公司" * 7  # 70 characters: the account holds the first 60
    with transaction(session):
        first = books.party_account(session, world.a1, "112", party, None)
    with transaction(session):
        again = books.party_account(session, world.a1, "112", party, None)
    assert first == again == "11202"


def test_closed_period_refuses_and_writes_nothing(session, world, contract):
    from threeassets.closing.service import close_period
    with transaction(session):
        close_period(session, world.a1, 202405, None)
    before = counts(session)
    with pytest.raises(RuleError, match="已结账"), transaction(session):
        books.accrue_due(session, village=world.a1, on=date(2024, 5, 10), actor=None)
    assert counts(session) == before


def test_drafts_are_not_accrued_and_cancelled_installments_not_received(session, world):
    res = resource(session, world)
    c = draft(session, world, [(f"resource:{res.id}", "")])
    with transaction(session):
        assert books.accrue_due(session, village=world.a1, on=date(2024, 5, 10), actor=None) == []
    with pytest.raises(RuleError, match="未生效"), transaction(session):
        books.receive(session, village=world.a1, contract=c, inst=c.installments[0], on=date(2024, 5, 10),
                      amount=D("1.00"), method="bank", actor=None)


def test_no_deposit_after_termination_and_no_receipt_on_a_cancelled_installment(session, world, contract):
    with transaction(session):
        service.terminate(session, village=world.a1, contract=contract, on=date(2024, 6, 30), reason="弃耕",
                          actor=None)
    cancelled = next(i for i in contract.installments if i.status == "cancelled")
    with pytest.raises(IllegalMove, match="^合同已终止，不能再收保证金$"), transaction(session):
        books.receive_deposit(session, village=world.a1, contract=contract, on=date(2024, 7, 1), amount=D("1.00"),
                              method="bank", actor=None)
    with pytest.raises(IllegalMove, match=f"^第{cancelled.seq}期已收清或已取消$"), transaction(session):
        books.receive(session, village=world.a1, contract=contract, inst=cancelled, on=date(2024, 7, 1),
                      amount=D("1.00"), method="bank", actor=None)


def test_an_installment_due_before_the_villages_start_is_in_its_openings_not_accrued_again(session, world, contract):
    """A contract brought in when the village came onto the system (期初余额 from 2024-03): its first installment
    (due 2024-01-01, unpaid) is in the opening 112 already, so the due-run marks it 应收未收 with no voucher, and
    its receipt clears the opening 112."""
    from threeassets.ledger.openings.rules import OpeningFigures
    from threeassets.ledger.openings.service import OpeningRow, save_openings
    with transaction(session):
        save_openings(session, village=world.a1, start_ym=202403, actor=None, rows=[
            OpeningRow("112", OpeningFigures(year_debit=D("10000.00"))),
            OpeningRow("301", OpeningFigures(year_credit=D("10000.00")))])
    with transaction(session):
        done = books.accrue_due(session, village=world.a1, on=date(2024, 5, 10), actor=None)
    inst = session.get(Installment, done[0].id)
    assert inst.status == "due" and inst.accrual_voucher_id is None
    assert balance(session, world.a1, "112") == D("10000.00")  # not 20000: no second receivable
    with transaction(session):
        books.receive(session, village=world.a1, contract=inst.contract, inst=inst, on=date(2024, 5, 12),
                      amount=D("10000.00"), method="bank", actor=None)
    assert balance(session, world.a1, "112") == D("0.00")


def test_the_receivables_reconcile_with_112_per_counterparty_openings_included(session, world, contract):
    """应收款对账: the installment carried in the opening 112 sub-account of the party matches the register; an
    extra receivable in the books shows as the difference."""
    from threeassets.contracts.queries import receivable_reconciliation
    from threeassets.ledger.openings.rules import OpeningFigures
    from threeassets.ledger.openings.service import OpeningRow, save_openings
    party = contract.party_name
    with transaction(session):
        save_openings(session, village=world.a1, start_ym=202403, actor=None, rows=[
            OpeningRow("112001", OpeningFigures(year_debit=D("10000.00")), name=party),
            OpeningRow("112002", OpeningFigures(year_debit=D("300.00")), name="王五"),
            OpeningRow("301", OpeningFigures(year_credit=D("10300.00")))])
    with transaction(session):
        books.accrue_due(session, village=world.a1, on=date(2024, 5, 10), actor=None)
    lines = {r.name: r for r in receivable_reconciliation(session, world.a1.id, 202405)}
    assert (lines[party].register, lines[party].books, lines[party].difference) == (D("10000.00"), D("10000.00"), 0)
    assert (lines["王五"].register, lines["王五"].difference) == (0, D("300.00"))
