"""Verifying the per-village hash chain of posted vouchers, and the anchors of its links in the audit log."""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.audit import AuditEvent
from threeassets.core.money import fmt, to_fen
from threeassets.core.periods import ym_label
from threeassets.ledger.models import Account, ChainHead, Voucher, VoucherLine
from threeassets.ledger.rules import (
    Anchor,
    VoucherStatus,
    anchor_of,
    chain_hash,
    chain_payload,
    missing_label,
    number_label,
)
from threeassets.orgs.models import Village

ANCHORING = ("voucher.post", "voucher.import")  # the audit actions that record links of the chain


def _lines_by_voucher(session: Session, village_id: int):
    """Posted lines of a village as (voucher_id, code, summary, debit fen, credit fen), in order."""
    q = (select(VoucherLine.voucher_id, Account.code, VoucherLine.summary, VoucherLine.debit, VoucherLine.credit)
         .join(Account, Account.id == VoucherLine.account_id)
         .join(Voucher, Voucher.id == VoucherLine.voucher_id)
         .where(VoucherLine.village_id == village_id, Voucher.status == VoucherStatus.POSTED)
         .order_by(Voucher.chain_seq, VoucherLine.line_no))
    return {vid: [(c, s, to_fen(d), to_fen(k)) for _v, c, s, d, k in grp]
            for vid, grp in groupby(session.execute(q), key=lambda r: r[0])}


def anchors_of(session: Session, village_id: int) -> list[Anchor]:
    """The links the village's audit log records (one per posting, one per posted import), oldest first."""
    q = (select(AuditEvent.id, AuditEvent.action, AuditEvent.detail)
         .where(AuditEvent.village_id == village_id, AuditEvent.action.in_(ANCHORING)).order_by(AuditEvent.id))
    return [a for a in (anchor_of(*row) for row in session.execute(q)) if a is not None]


@dataclass
class Walk:
    """What reading one village's chain found: its problems in chain order and the links it holds."""

    where: str  # the village as messages name it: A1 一村
    problems: list[str] = field(default_factory=list)
    count: int = 0  # posted vouchers read
    hashes: dict[int, str] = field(default_factory=dict)  # chain seq → hash of each posted voucher
    last: tuple[int, str] = (0, "")  # (seq, hash) of the newest posted voucher


class _Names:
    """Vouchers by chain seq as the audit log names them, read only when a missing link is to be named."""

    def __init__(self, session: Session, village_id: int, anchors: list[Anchor] | None):
        self.session, self.village_id, self.anchors = session, village_id, anchors
        self.by_seq: dict[int, str] | None = None

    def __call__(self) -> dict[int, str]:
        if self.by_seq is None:
            anchors = anchors_of(self.session, self.village_id) if self.anchors is None else self.anchors
            self.by_seq = {a.seq: a.name for a in anchors if a.seq and a.name}
        return self.by_seq


class _Kinds:
    """The kind each posting's audit row recorded (by seq, or by hash for rows older than seqs); a voucher no
    posting recorded came with an import, which posts only normal vouchers."""

    def __init__(self, anchors: list[Anchor]):
        self.by_seq = {a.seq: a.kind for a in anchors if a.kind and a.seq is not None}
        self.by_hash = {a.hash: a.kind for a in anchors if a.kind and a.seq is None}

    def problem(self, where: str, seq: int, digest: str, kind: str) -> str | None:
        recorded = self.by_seq.get(seq) or self.by_hash.get(digest) or "normal"
        return None if kind == recorded else f"类别被改动：{where} 的类别为 {kind}，记账时为 {recorded}"


def walk(session: Session, village: Village, anchors: list[Anchor] | None = None) -> Walk:
    """Re-hash every posted voucher of a village in chain order, compare its total with its lines and the chain
    head; given the village's anchors, compare each voucher's kind (which the chain does not cover) with the
    one its posting recorded. A link missing from the chain is named by its place (and by the voucher the audit
    log recorded there), not by its successor."""
    lines = _lines_by_voucher(session, village.id)
    q = (select(Voucher.id, Voucher.ym, Voucher.number, Voucher.voucher_date, Voucher.reverses_id,
                Voucher.chain_seq, Voucher.prev_hash, Voucher.hash, Voucher.total, Voucher.kind)
         .where(Voucher.village_id == village.id, Voucher.status == VoucherStatus.POSTED)
         .order_by(Voucher.chain_seq))
    found, names = Walk(f"{village.code} {village.name}"), _Names(session, village.id, anchors)
    kinds = _Kinds(anchors) if anchors is not None else None
    prev_seq, prev = 0, ""
    for vid, ym, number, day, reverses, seq, link, digest, total, kind in session.execute(q):
        found.count += 1
        where = f"{found.where} {ym_label(ym)} {number_label(number)} (id {vid}, 链序 {seq})"
        if seq is None or seq <= prev_seq:
            found.problems.append(f"链断裂：{where} 的链序{'缺失' if seq is None else '重复'}")
            continue
        if seq > prev_seq + 1:
            found.problems.append(f"链断裂：{found.where} {missing_label(prev_seq + 1, seq - 1, names())} "
                                  f"的已记账凭证缺失（被删除），其后一张为 {where}")
        elif link != prev:
            found.problems.append(f"链断裂：{where} 的前一环哈希不符")
        own = lines.get(vid, [])
        if chain_hash(link or "", chain_payload(village.code, ym, number, day, reverses, own)) != digest:
            found.problems.append(f"内容被改动：{where} 的哈希与内容不符")
        if to_fen(total) != sum(d for _c, _s, d, _k in own):  # the printed voucher's 合计
            found.problems.append(f"合计被改动：{where} 的合计 {fmt(total)} 与分录借方合计不符")
        if kinds is not None and (wrong := kinds.problem(where, seq, digest, kind)):
            found.problems.append(wrong)
        found.hashes[seq] = digest
        prev_seq, prev = seq, digest
    found.last = (prev_seq, prev)
    head = session.get(ChainHead, village.id)
    # Checked even when no posted voucher is left: a head that remembers links means they were deleted.
    head_link = (head.seq, head.last_hash) if head else (0, "")
    if head_link != found.last:
        cut = f"：{missing_label(prev_seq + 1, head_link[0], names())} 缺失" if head_link[0] > prev_seq else ""
        found.problems.append(f"链尾不符：{village.code} 链头记录（链序 {head_link[0]}）与最后一张已记账凭证"
                              f"（链序 {prev_seq}）不一致（可能有凭证被删除）{cut}")
    return found


def verify_village(session: Session, village: Village) -> tuple[str | None, int]:
    """Check one village's chain; returns (first problem or None, vouchers checked)."""
    found = walk(session, village)
    return (found.problems[0] if found.problems else None), found.count


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
