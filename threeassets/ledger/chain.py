"""Verifying the per-village hash chain of posted vouchers."""
from __future__ import annotations

from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.money import to_fen
from threeassets.core.periods import ym_label
from threeassets.ledger.models import Account, ChainHead, Voucher, VoucherLine
from threeassets.ledger.rules import VoucherStatus, chain_hash, chain_payload
from threeassets.orgs.models import Village


def _lines_by_voucher(session: Session, village_id: int):
    """Posted lines of a village as (voucher_id, code, summary, debit fen, credit fen), in order."""
    q = (select(VoucherLine.voucher_id, Account.code, VoucherLine.summary, VoucherLine.debit, VoucherLine.credit)
         .join(Account, Account.id == VoucherLine.account_id)
         .join(Voucher, Voucher.id == VoucherLine.voucher_id)
         .where(VoucherLine.village_id == village_id, Voucher.status == VoucherStatus.POSTED)
         .order_by(Voucher.chain_seq, VoucherLine.line_no))
    return {vid: [(c, s, to_fen(d), to_fen(k)) for _v, c, s, d, k in grp]
            for vid, grp in groupby(session.execute(q), key=lambda r: r[0])}


def verify_village(session: Session, village: Village) -> tuple[str | None, int]:
    """Check one village's chain; returns (first problem or None, vouchers checked)."""
    lines = _lines_by_voucher(session, village.id)
    q = (select(Voucher).where(Voucher.village_id == village.id, Voucher.status == VoucherStatus.POSTED)
         .order_by(Voucher.chain_seq))
    prev, count = "", 0
    for v in session.scalars(q):
        count += 1
        where = f"{village.code} {village.name} {ym_label(v.ym)} {v.label} (id {v.id}, 链序 {v.chain_seq})"
        if v.chain_seq != count:
            return f"链断裂：{where} 序号应为 {count}", count
        if v.prev_hash != prev:
            return f"链断裂：{where} 的前一环哈希不符", count
        payload = chain_payload(village.code, v.ym, v.number, v.voucher_date, v.reverses_id, lines.get(v.id, []))
        if chain_hash(prev, payload) != v.hash:
            return f"内容被改动：{where} 的哈希与内容不符", count
        prev = v.hash
    head = session.get(ChainHead, village.id)
    # Checked even when no posted voucher is left: a head that remembers links means they were deleted.
    if ((head.seq, head.last_hash) if head else (0, "")) != (count, prev):
        return f"链尾不符：{village.code} 链头记录与最后一张已记账凭证不一致（可能有凭证被删除）", count
    return None, count


def verify(session: Session, village_code: str | None = None) -> tuple[list[str], int]:
    """Verify one village or all; returns (problems, vouchers checked)."""
    q = select(Village).order_by(Village.code)
    if village_code:
        q = q.where(Village.code == village_code)
    villages = list(session.scalars(q))
    if village_code and not villages:
        return [f"village {village_code} not found"], 0
    problems, total = [], 0
    for village in villages:
        problem, n = verify_village(session, village)
        total += n
        if problem:
            problems.append(problem)
    return problems, total
