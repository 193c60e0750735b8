"""Claim use cases: the village's drafts and submission, the window's intake, and the case hooks. Never commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.attachments import service as attachments
from threeassets.claims.models import Claim
from threeassets.claims.rules import CREDIT_ACCOUNT, next_status
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.ledger.generated import leaf_account
from threeassets.ledger.rules import LedgerError, LineInput
from threeassets.ledger.service import save_draft
from threeassets.orgs.models import Village

OWNER = "claim"  # Attachment.owner_type of a claim's receipts


def _claim_of(session: Session, case) -> Claim:
    """The claim a case carries, in the case's village (a mismatch is a programming error)."""
    claim = session.scalar(select(Claim).where(Claim.id == case.claim_id, Claim.village_id == case.village_id))
    if claim is None:
        raise RuleError("办件关联的报账单不存在")
    return claim


def voucher_lines(session: Session, claim: Claim) -> list[LineInput]:
    """Debit each line's account with its purpose; credit the first leaf of 102 (bank) or 101 (cash)."""
    lines = [LineInput(summary=ln.purpose[:200], account_code=ln.account_code, debit=ln.amount)
             for ln in claim.lines]
    credit = leaf_account(session, claim.village_id, CREDIT_ACCOUNT[claim.pay_method])
    summary = f"付{claim.payee}报账款 {claim.number}".strip()[:200]
    lines.append(LineInput(summary=summary, account_code=credit.code, credit=claim.total))
    return lines


def on_case_accepted(session: Session, case, actor) -> Claim:
    """The window accepted the claim's case: write its voucher draft with the receipts attached."""
    claim = _claim_of(session, case)
    claim.status = next_status(claim.status, "accept")
    village = session.get(Village, claim.village_id)
    receipts = attachments.for_owner(session, claim.village_id, OWNER, claim.id)
    try:
        voucher = save_draft(session, village=village, actor=actor, voucher_date=case.accepted_on or date.today(),
                             attachments=len(receipts), lines=voucher_lines(session, claim))
    except LedgerError as e:
        raise RuleError(f"报账单 {claim.number} 不能生成凭证草稿：{e}") from e
    for att in receipts:
        attachments.copy_to(session, att, "voucher", voucher.id, actor=actor)
    claim.voucher_id = voucher.id
    record(session, "claim.accept", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=claim, detail={"case": case.number, "voucher": voucher.id, "total": claim.total})
    return claim


def on_case_rejected(session: Session, case, actor, reason: str) -> Claim:
    """The window rejected the claim's case: the claim goes back to the village with the reason."""
    claim = _claim_of(session, case)
    claim.status = next_status(claim.status, "reject")
    claim.return_reason = reason
    village = session.get(Village, claim.village_id)
    record(session, "claim.return", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=claim, detail={"case": case.number, "reason": reason})
    return claim
