"""Claim use cases: the village's drafts, receipts and submission, the window's intake, and the case hooks.

Never commits: routes and the CLI wrap one transaction around each call.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.attachments import service as attachments
from threeassets.attachments.models import Attachment
from threeassets.auth.models import User
from threeassets.claims.models import Claim, ClaimLine
from threeassets.claims.rules import (
    CARRIED_MATERIALS,
    CLAIM_CATEGORIES,
    CREDIT_ACCOUNT,
    MONEY_CODES,
    PAYMENT_MATERIAL,
    AccountFact,
    ClaimInput,
    LineDraft,
    claim_refusal,
    header_problems,
    is_white_slip,
    next_status,
    payment_material,
    submit_problems,
)
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.workflow import refuse
from threeassets.ledger.generated import leaf_account
from threeassets.ledger.models import Account
from threeassets.ledger.rules import LineInput
from threeassets.ledger.service import save_draft
from threeassets.orgs.models import Village

OWNER = "claim"  # Attachment.owner_type of a claim's receipts
ITEM_CODE = "claim"  # ServiceItem.code of 村级报账 in a township's catalogue


def _audit(session: Session, action: str, claim: Claim, actor, **detail) -> None:
    """One audit row for a claim, with its village and township."""
    village = session.get(Village, claim.village_id)
    record(session, action, actor=actor, township_id=village.township_id, village_id=village.id, obj=claim,
           detail={"number": claim.number, **detail})


def claim_accounts(session: Session, village_id: int) -> list[tuple[str, str]]:
    """(code, full name) of the village's leaf accounts a claim line may suggest, in code order: exactly those
    claims.rules.account_refusal accepts (tests/integration/test_claims.py holds them together)."""
    q = (select(Account.code, Account.full_name).where(
        Account.village_id == village_id, Account.is_leaf.is_(True), Account.category.in_(CLAIM_CATEGORIES))
        .order_by(Account.code))
    return [(c, n) for c, n in session.execute(q) if not c.startswith(MONEY_CODES)]


def account_facts(session: Session, village_id: int, codes) -> dict[str, AccountFact]:
    """code → what the line check needs to know, for those of `codes` in the village's chart."""
    codes = {c for c in codes if c}
    if not codes:
        return {}
    q = select(Account.code, Account.full_name, Account.category, Account.is_leaf).where(
        Account.village_id == village_id, Account.code.in_(codes))
    return {c: AccountFact(n or c, cat, bool(leaf)) for c, n, cat, leaf in session.execute(q)}


def form_problems(session: Session, *, village: Village, data: ClaimInput, receipts: int, submitting: bool,
                  today: date | None = None) -> dict[str, str]:
    """Field → reason for everything wrong with a typed claim at once: what a draft needs, and when it is to be
    submitted too, everything submission needs (`receipts`: how many it would carry)."""
    today = today or date.today()
    if not submitting:
        return header_problems(data, today)
    facts = account_facts(session, village.id, (ln.account_code for ln in data.lines))
    return submit_problems(data, facts, receipts, today)


def receipts_of(session: Session, claim: Claim) -> list[Attachment]:
    """The claim's uploaded receipts, oldest first."""
    return attachments.for_owner(session, claim.village_id, OWNER, claim.id)


def input_of(claim: Claim) -> ClaimInput:
    """The stored claim as the form's parsed input (for the submit checks)."""
    return ClaimInput(claim.payee, claim.payee_kind, claim.payee_account, claim.pay_method, claim.occurred_on,
                      claim.contact_phone, claim.handler_name, claim.oversight_name, claim.head_name,
                      claim.signed_on, tuple(LineDraft(ln.purpose, ln.account_code, ln.amount, ln.invoice)
                                             for ln in claim.lines))


def _fill(claim: Claim, data: ClaimInput) -> None:
    """Copy the form onto the claim and replace its lines; total and the 白条 flag follow the lines."""
    for name in ("payee", "payee_kind", "payee_account", "pay_method", "occurred_on", "contact_phone",
                 "handler_name", "oversight_name", "head_name", "signed_on"):
        value = getattr(data, name)
        setattr(claim, name, value.strip() if isinstance(value, str) else value)
    claim.lines.clear()
    for seq, ln in enumerate(data.lines, start=1):
        claim.lines.append(ClaimLine(village_id=claim.village_id, seq=seq, purpose=ln.purpose.strip(),
                                     account_code=ln.account_code.strip(), amount=ln.amount, invoice=ln.invoice))
    claim.total = sum((ln.amount for ln in data.lines), start=Decimal("0.00"))
    claim.white_slip = is_white_slip([ln.invoice for ln in data.lines])


def save(session: Session, *, village: Village, actor, data: ClaimInput, claim: Claim | None = None,
         today: date | None = None) -> Claim:
    """Create a draft or change an editable claim (draft or returned); RuleError names the fields."""
    problems = header_problems(data, today or date.today())
    if problems:
        raise RuleError("报账单未保存：" + "；".join(problems.values()), fields=problems)
    if claim is None:
        claim = Claim(village_id=village.id, status="draft", total=Decimal("0.00"))
        session.add(claim)
        action = "claim.create"
    else:
        refuse(claim_refusal(claim.status, "edit"))
        action = "claim.edit"
    _fill(claim, data)
    session.flush()
    _audit(session, action, claim, actor, total=claim.total, lines=len(data.lines), white_slip=claim.white_slip)
    return claim


def delete(session: Session, *, claim: Claim, actor) -> None:
    """Delete a draft and its receipts (a submitted claim is the agency's record and stays)."""
    refuse(claim_refusal(claim.status, "delete"))
    for att in receipts_of(session, claim):
        session.delete(att)
    _audit(session, "claim.delete", claim, actor, total=claim.total)
    session.delete(claim)


def add_receipts(session: Session, *, claim: Claim, files, actor) -> list[Attachment]:
    """Store uploaded receipts on an editable claim (all or none: one refused file refuses the lot, and every
    refused file is named)."""
    refuse(claim_refusal(claim.status, "edit"))
    stored = attachments.store_uploads(session, files, "receipts", village_id=claim.village_id, owner_type=OWNER,
                                       owner_id=claim.id, actor=actor)
    if not stored:
        raise RuleError("请选择要上传的票据文件", fields={"receipts": "未选择文件"})
    return stored


def attach_receipts(session: Session, *, claim: Claim, files: list[tuple[str, bytes]], held: list[Attachment],
                    actor, now: datetime) -> None:
    """Store the files of the claim's form and adopt those held for it since the form came back (all or none)."""
    refuse(claim_refusal(claim.status, "edit"))
    for name, data in files:
        attachments.store(session, village_id=claim.village_id, owner_type=OWNER, owner_id=claim.id, filename=name,
                          data=data, actor=actor)
    attachments.adopt(session, held, owner_type=OWNER, owner_id=claim.id, actor=actor, now=now)


def held_receipts(session: Session, *, village_id: int, actor, ids, now: datetime) -> list[Attachment]:
    """The receipts the user holds for a claim form of the village that came back (those of `ids` still held)."""
    return attachments.held(session, village_id=village_id, owner_type=OWNER, user_id=actor.id, ids=ids, now=now)


def hold_receipts(session: Session, *, village_id: int, actor, files: list[tuple[str, bytes]],
                  keep: list[Attachment], now: datetime) -> list[Attachment]:
    """Hold the receipts chosen on a claim form that came back with problems, for its resubmission
    (attachments.hold: one set per user and village, for attachments.HOLD_FOR)."""
    return attachments.hold(session, files, village_id=village_id, owner_type=OWNER, actor=actor, keep=keep,
                            now=now)


def remove_receipt(session: Session, *, claim: Claim, attachment_id: int, actor) -> None:
    """Remove one receipt of an editable claim (another claim's file looks missing)."""
    refuse(claim_refusal(claim.status, "edit"))
    att = next((a for a in receipts_of(session, claim) if a.id == attachment_id), None)
    if att is None:
        raise RuleError("票据不存在")
    _audit(session, "claim.receipt_remove", claim, actor, file=att.filename, sha256=att.sha256)
    session.delete(att)


def _next(claim: Claim, action: str) -> str:
    """The claim's state after a move the claim rules allow; IllegalMove with their reason otherwise."""
    refuse(claim_refusal(claim.status, action))
    return next_status(claim.status, action)


def _next_number(session: Session, village: Village, on: date) -> str:
    """The village's next claim number of the year: <village code>-BZ<year>-NNNN."""
    prefix = f"{village.code}-BZ{on.year}-"
    # Serialise numbering per village: on PostgreSQL two submissions at once would read the same max (SQLite
    # writers are already serialised by BEGIN IMMEDIATE, where FOR UPDATE is a no-op).
    session.execute(select(Village.id).where(Village.id == village.id).with_for_update())
    last = session.scalar(select(func.max(Claim.number)).where(
        Claim.village_id == village.id, Claim.number.startswith(prefix)))
    # Frozen: the next number is parsed from the stored ones (<code>-BZ<year>-NNNN; test_claims.py pins it).
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


def submit(session: Session, *, claim: Claim, village: Village, actor, today: date | None = None) -> Claim:
    """Send the claim to the township's window; every missing field and bad line is named, nothing written."""
    new = _next(claim, "submit")
    problems = form_problems(session, village=village, data=input_of(claim), submitting=True, today=today,
                             receipts=len(receipts_of(session, claim)))
    if problems:
        raise RuleError("报账单不能提交：" + "；".join(problems.values()), fields=problems)
    if not claim.number:
        claim.number = _next_number(session, village, today or date.today())
    claim.status, claim.submitted_by_id, claim.submitted_at = new, actor.id, datetime.now()
    session.flush()
    _audit(session, "claim.submit", claim, actor, total=claim.total, white_slip=claim.white_slip)
    return claim


def provided_materials(item, claim: Claim, receipts: int) -> dict:
    """Checklist marks (windows.rules.Mark) for what the submitted claim itself carries: the signed claim form,
    the scanned receipts and, for a bank transfer, the payee's account. Scans are not originals: the clerk ticks
    原件已核验 when he holds the paper; anything else (e.g. the approval form) he ticks by hand. A conditional
    (视情形提交) bank-details material applies only to a claim paid by transfer: the claim decides, not the clerk."""
    from threeassets.windows.rules import Mark
    has = dict(zip(CARRIED_MATERIALS, (bool(claim.handler_name and claim.oversight_name and claim.head_name),
                                        receipts > 0, claim.pay_method == "bank" and bool(claim.payee_account)),
                   strict=True))
    marks = {m.name: Mark(received=True) for m in item.materials
             if any(key in m.name and ok for key, ok in has.items())}
    applies, why = payment_material(claim.pay_method)
    for m in item.materials:
        if PAYMENT_MATERIAL in m.name and m.conditional:
            marks[m.name] = Mark(received=applies and has[PAYMENT_MATERIAL], not_applicable=not applies,
                                 decided_by=why)
    return marks


def receive(session: Session, *, claim: Claim, actor):
    """接件: open a window case for a submitted claim, the village accountant as applicant; returns the case."""
    from threeassets.windows import service as windows
    from threeassets.windows.catalogue import item_by_code

    claim.status = _next(claim, "receive")
    village = session.get(Village, claim.village_id)
    item = item_by_code(session, village.township_id, ITEM_CODE)
    if item is None:
        raise RuleError("本镇服务事项目录中没有“村级报账”（编码 claim），请先在事项目录中添加")
    applicant = session.get(User, claim.submitted_by_id) if claim.submitted_by_id else None
    case = windows.intake(session, township=village.township, item=item, actor=actor,
                          applicant_name=applicant.display_name if applicant else claim.handler_name,
                          applicant_phone=claim.contact_phone, village_id=village.id,
                          subject=f"{village.name} 报账 {claim.number}：{claim.payee}"[:windows.SUBJECT_MAX],
                          claim_id=claim.id,
                          materials=provided_materials(item, claim, len(receipts_of(session, claim))))
    _audit(session, "claim.receive", claim, actor, case=case.number)
    return case


def _claim_of(session: Session, case) -> Claim:
    """The claim a case carries, in the case's village."""
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
    claim.status = _next(claim, "accept")
    village = session.get(Village, claim.village_id)
    receipts = receipts_of(session, claim)
    try:
        voucher = save_draft(session, village=village, actor=actor, voucher_date=case.accepted_on or date.today(),
                             attachments=len(receipts), lines=voucher_lines(session, claim), to_complete=claim.number)
    except RuleError as e:
        raise RuleError(f"报账单 {claim.number} 不能生成凭证草稿：{e}") from e
    for att in receipts:
        attachments.copy_to(session, att, "voucher", voucher.id, actor=actor)
    claim.voucher_id = voucher.id
    _audit(session, "claim.accept", claim, actor, case=case.number, voucher=voucher.id, total=claim.total)
    return claim


def account_viewed(session: Session, claim: Claim, actor) -> None:
    """Audit that an agency user was shown the payee's whole account (to pay it)."""
    _audit(session, "claim.account_view", claim, actor, number=claim.number, payee=claim.payee)


def on_case_rejected(session: Session, case, actor, reason: str) -> Claim:
    """The window rejected the claim's case: the claim goes back to the village with the reason."""
    claim = _claim_of(session, case)
    claim.status = _next(claim, "reject")
    claim.return_reason = reason
    _audit(session, "claim.return", claim, actor, case=case.number, reason=reason)
    return claim


def case_of(session: Session, claim: Claim):
    """The claim's latest window case (None before 接件)."""
    from threeassets.windows.models import Case
    return session.scalar(select(Case).where(Case.claim_id == claim.id, Case.village_id == claim.village_id)
                          .order_by(Case.id.desc()).limit(1))


def account_names(session: Session, claim: Claim) -> dict[str, str]:
    """code → full name of the accounts the claim's lines suggest (unknown codes are left out)."""
    codes = {ln.account_code for ln in claim.lines if ln.account_code}
    if not codes:
        return {}
    q = select(Account.code, Account.full_name).where(Account.village_id == claim.village_id,
                                                      Account.code.in_(codes))
    return dict(session.execute(q).all())
