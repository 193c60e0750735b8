"""The facts each alert rule reads, gathered for one village with indexed queries."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from threeassets.alerts.rules import (
    OPEN_INSTALLMENT,
    CashLineFact,
    ContractFact,
    DifferenceFact,
    InstallmentFact,
    SubsidyFact,
)
from threeassets.contracts.models import Contract, Installment
from threeassets.core.periods import ym_label, ym_of
from threeassets.ledger.models import Account, Voucher, VoucherLine
from threeassets.ledger.rules import OPENING_VOUCHER, VoucherStatus

CASH, BANK = "101", "102"  # 库存现金, 银行存款; sub-accounts extend the code (10101 …)


def contracts(session: Session, village_id: int, today: date, lead_days: int) -> list[ContractFact]:
    """Active contracts ending by today + lead_days (ix_contract_village_status_end)."""
    q = (select(Contract.id, Contract.code, Contract.title, Contract.party_name, Contract.ends_on)
         .where(Contract.village_id == village_id, Contract.status == "active",
                Contract.ends_on <= today + timedelta(days=lead_days)))
    return [ContractFact(*row) for row in session.execute(q)]


def installments(session: Session, village_id: int, today: date) -> list[InstallmentFact]:
    """Open installments due before today and not fully received (ix_installment_village_due)."""
    q = (select(Installment.id, Contract.code, Contract.party_name, Installment.seq, Installment.due_on,
                Installment.amount, Installment.received, Installment.status)
         .join(Contract, Contract.id == Installment.contract_id)
         .where(Installment.village_id == village_id, Installment.status.in_(OPEN_INSTALLMENT),
                Installment.due_on < today, Installment.received < Installment.amount))
    return [InstallmentFact(*row) for row in session.execute(q)]


def differences(session: Session, village_id: int, today: date) -> tuple[list[DifferenceFact], str]:
    """Where the asset cards and the posted 151/152 balances disagree at the end of today's month."""
    from threeassets.assets.reconcile import reconciliation
    rec = reconciliation(session, village_id, ym_of(today))
    facts = [DifferenceFact(d.account_code, d.label, d.cards, d.books) for d in rec.differences]
    return facts, ym_label(rec.ym)


def cash_lines(session: Session, village_id: int, today: date, threshold: Decimal) -> list[CashLineFact]:
    """Posted lines up to today crediting 101 or its sub-accounts by at least the threshold.

    The few cash accounts are looked up first so the lines are read through the (village_id, account_id)
    index, and the amount filter runs in SQL: only the large payments ever leave the database.
    """
    cash = dict(session.execute(select(Account.id, Account.name).where(
        Account.village_id == village_id, Account.code.like(CASH + "%"))).all())
    if not cash:
        return []
    reversal = aliased(Voucher)
    q = (select(VoucherLine.id, VoucherLine.account_id, VoucherLine.summary, VoucherLine.credit,
                Voucher.ym, Voucher.number, Voucher.voucher_date, reversal.id, ~_pays_out(village_id))
         .join(Voucher, Voucher.id == VoucherLine.voucher_id)
         .outerjoin(reversal, and_(reversal.reverses_id == Voucher.id, reversal.village_id == village_id,
                                   reversal.status == VoucherStatus.POSTED))
         .where(VoucherLine.village_id == village_id, VoucherLine.account_id.in_(cash),
                VoucherLine.credit >= threshold, Voucher.status == VoucherStatus.POSTED,
                Voucher.voucher_date <= today, Voucher.kind != OPENING_VOUCHER))
    return [CashLineFact(line_id, f"记-{number:04d}", f"{ym}-{number:04d}", day, cash[acc],
                         summary, credit, reversed=rev is not None, to_bank=bool(to_bank))
            for line_id, acc, summary, credit, ym, number, day, rev, to_bank in session.execute(q)]


def _pays_out(village_id: int):
    """EXISTS a debit line of the voucher on an account other than cash or bank: money leaves the village.

    A voucher debiting only 101/102 moves cash into the bank (存现) or between cash accounts: no payment.
    Evaluated only for the few large cash lines, through the (voucher_id, line_no) index.
    """
    other = aliased(VoucherLine)
    acc = aliased(Account)
    return (select(other.id).join(acc, acc.id == other.account_id)
            .where(other.voucher_id == Voucher.id, other.village_id == village_id, other.debit != 0,
                   ~acc.code.like(CASH + "%"), ~acc.code.like(BANK + "%"))
            .exists())


def subsidies(session: Session, village_id: int) -> list[SubsidyFact]:
    """The paid subsidy lists with households of the village: their notice, the bank's first date and how many of
    the village's rows were paid otherwise than noticed or not at all, and how many bank lines paid one of them a
    second time (one aggregate query)."""
    from sqlalchemy import case, func

    from threeassets.subsidies.models import Batch, BatchRow, Payment, Policy
    differing = func.sum(case((and_(BatchRow.paid_amount.is_not(None), BatchRow.paid_amount != BatchRow.amount), 1),
                              else_=0))
    unpaid = func.sum(case((BatchRow.paid_amount.is_(None), 1), else_=0))
    duplicates = (select(func.count(Payment.id))
                  .where(Payment.batch_id == Batch.id, Payment.village_id == village_id,
                         Payment.outcome == "duplicate")
                  .correlate(Batch).scalar_subquery())
    q = (select(Batch.id, Batch.year, Batch.name, Policy.name, Batch.notice_from, Batch.notice_to,
                func.min(BatchRow.paid_on), differing, unpaid, duplicates)
         .join(BatchRow, BatchRow.batch_id == Batch.id).join(Policy, Policy.id == Batch.policy_id)
         .where(BatchRow.village_id == village_id, Batch.state == "paid")
         .group_by(Batch.id, Batch.year, Batch.name, Policy.name, Batch.notice_from, Batch.notice_to))
    return [SubsidyFact(bid, f"{year}年{policy}（{name}）", start, end, first, int(d or 0), int(u or 0), int(n or 0))
            for bid, year, name, policy, start, end, first, d, u, n in session.execute(q)]
