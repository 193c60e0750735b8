"""Vouchers that registers post by themselves (depreciation, disposals, installments, receipts …).

A register action and its voucher are one transaction: the caller's. Lines name accounts by code; a code
that has sub-accounts goes to its first leaf (by code), so a village that split 102 银行存款 into banks still
gets a posting it can reclassify. The voucher is numbered, chained and audited like any posted voucher.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.ledger import posting
from threeassets.ledger.models import Account, Voucher
from threeassets.ledger.rules import LedgerError, LineInput, VoucherInvalid, check_voucher


def leaf_account(session: Session, village_id: int, code: str) -> Account:
    """The village's account with this code, or its first leaf when it has sub-accounts; LedgerError if none."""
    acc = session.scalar(select(Account).where(Account.village_id == village_id, Account.code == code))
    if acc is None:
        raise LedgerError(f"科目表缺少 {code}，请先在会计科目中添加")
    if acc.is_leaf:
        return acc
    leaf = session.scalar(select(Account).where(Account.village_id == village_id, Account.code.startswith(code),
                                                Account.is_leaf.is_(True)).order_by(Account.code).limit(1))
    if leaf is None:
        raise LedgerError(f"科目 {code} 没有末级明细科目")
    return leaf


def post_generated(session: Session, *, village, on: date, kind: str, lines: list[LineInput], actor,
                   attachments: int = 0) -> Voucher:
    """Post a voucher of a register action, its lines naming accounts by code (posting.post_new does the rest);
    nothing is written on error."""
    problems = check_voucher(lines, limit=False)
    if problems:
        raise VoucherInvalid(problems)
    entries = [(leaf_account(session, village.id, ln.account_code), ln.summary, ln.debit, ln.credit) for ln in lines]
    return posting.post_new(session, village=village, on=on, kind=kind, lines=entries, actor=actor,
                            attachments=attachments)
