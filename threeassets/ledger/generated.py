"""Vouchers that registers post by themselves (depreciation, disposals, installments, receipts …).

A register action and its voucher are one transaction: the caller's. Lines name accounts by code; a code
that has sub-accounts goes to its first leaf (by code), so a village that split 102 银行存款 into banks still
gets a posting it can reclassify. The voucher is numbered, chained and audited like any posted voucher.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.periods import ym_of
from threeassets.ledger import posting
from threeassets.ledger.models import Account, Voucher, VoucherLine
from threeassets.ledger.rules import LedgerError, LineInput, Problems, VoucherStatus, check_balance
from threeassets.ledger.service import VoucherInvalid, open_period


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
    """Check, number, chain, post and audit a voucher of a register action; nothing is written on error."""
    problems = Problems()
    total = check_balance(lines, problems)
    if problems:
        raise VoucherInvalid(problems)
    ym = ym_of(on)
    open_period(session, village.id, ym)
    accounts = [leaf_account(session, village.id, ln.account_code) for ln in lines]
    voucher = Voucher(village_id=village.id, ym=ym, voucher_date=on, status=VoucherStatus.DRAFT,
                      attachments=attachments, total=total, preparer_id=getattr(actor, "id", None), kind=kind)
    for n, (ln, acc) in enumerate(zip(lines, accounts, strict=True), start=1):
        voucher.lines.append(VoucherLine(village_id=village.id, line_no=n, summary=ln.summary, account_id=acc.id,
                                         debit=ln.debit, credit=ln.credit))
    session.add(voucher)
    session.flush()
    chain_lines = [(acc.code, ln.summary, ln.debit, ln.credit, acc.id) for ln, acc in zip(lines, accounts, strict=True)]
    number = posting.post_voucher(session, voucher, village, chain_lines, actor_id=getattr(actor, "id", None))
    record(session, "voucher.post", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=voucher, detail={"number": number, "ym": ym, "hash": voucher.hash, "kind": kind, "generated": True})
    return voucher
