"""Voucher use cases: save drafts, review, post with gapless numbers and the hash chain, reverse. Never commits."""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import BigInteger, bindparam, exists, func, select
from sqlalchemy.orm import Session, aliased

from threeassets.core.audit import AuditEvent, record
from threeassets.core.db import IDS
from threeassets.core.errors import RuleError
from threeassets.core.periods import ym_of
from threeassets.core.workflow import refuse
from threeassets.ledger import posting
from threeassets.ledger.chart import leaf_map
from threeassets.ledger.models import Account, AccountTurnover, Voucher, VoucherLine
from threeassets.ledger.posting import open_period
from threeassets.ledger.rules import (
    CASH,
    TO_COMPLETE,
    ZERO,
    LedgerError,
    LineInput,
    Problems,
    VoucherFacts,
    VoucherInvalid,
    VoucherStatus,
    account_problem,
    cash_deficit_problem,
    check_voucher,
    future_date_problem,
    send_back_problem,
    voucher_refusal,
)
from threeassets.orgs.models import Village
from threeassets.orgs.settings import get_settings


def _account_of(session: Session, village_id: int, leaves: dict, typed: str) -> tuple[Account | None, str | None]:
    """The leaf account a line's typed code names ('51301' or '51301 管理费用-办公费'), or why there is none."""
    code = next(iter((typed or "").split()), "")
    account = leaves.get(code)
    if account is None and code:
        exists_ = session.scalar(select(Account.id).where(Account.village_id == village_id, Account.code == code))
        return None, account_problem(code, exists_ is not None, False)
    return account, None


def _resolve_accounts(session: Session, village_id: int, lines: list[LineInput], problems: Problems) -> list:
    """Map typed account codes to the village's leaf accounts, noting unknown and non-leaf codes."""
    leaves = leaf_map(session, village_id)
    resolved = []
    for idx, line in enumerate(lines):
        account, why = _account_of(session, village_id, leaves, line.account_code)
        if why:
            problems.add(idx, "account", why)
        resolved.append(account)
    return resolved


def account_problems(session: Session, village_id: int, typed: dict[int, str], problems: Problems) -> None:
    """Note the unknown and non-leaf accounts of typed lines (line index → typed code), read only: an entry form
    names them with its lines' other problems, in one answer."""
    leaves = leaf_map(session, village_id)
    for idx, code in typed.items():
        if (why := _account_of(session, village_id, leaves, code)[1]) and (idx, "account") not in problems.fields:
            problems.add(idx, "account", why)


def _write_lines(session: Session, voucher: Voucher, lines: list[LineInput], accounts: list[Account]) -> None:
    """Replace a voucher's lines."""
    voucher.lines.clear()
    session.flush()
    for n, (line, account) in enumerate(zip(lines, accounts, strict=True), start=1):
        voucher.lines.append(VoucherLine(village_id=voucher.village_id, line_no=n, summary=line.summary,
                                         account_id=account.id, debit=line.debit, credit=line.credit))


def save_draft(session: Session, *, village: Village, actor, voucher_date: date, attachments: int,
               lines: list[LineInput], problems: Problems | None = None, voucher: Voucher | None = None,
               to_complete: str | None = None) -> Voucher:
    """Create or edit a draft voucher; any problem raises VoucherInvalid and nothing is written. to_complete (the
    source's name, e.g. a claim's number) writes a draft for an accountant to complete (from a claim the window
    accepted): it has no 制单 until an accountant saves it, and cannot be reviewed before."""
    problems = problems or Problems()
    if attachments < 0 or attachments > 9999:
        problems.add(None, "attachments", "附单据张数应在0至9999之间")
    check_voucher(lines, problems)
    refused = get_settings(session, village.township_id).future_dates == "refuse"
    if refused and (why := future_date_problem(voucher_date, date.today())):
        problems.add(None, "voucher_date", why + "（本镇设置为禁止）")
    accounts = _resolve_accounts(session, village.id, lines, problems)
    total = sum((ln.debit for ln in lines), ZERO)
    if problems:
        raise VoucherInvalid(problems)
    ym = ym_of(voucher_date)
    open_period(session, village.id, ym)
    if voucher is None:
        voucher = Voucher(village_id=village.id, preparer_id=None if to_complete else actor.id,
                          status=VoucherStatus.DRAFT, source_ref=to_complete and f"{TO_COMPLETE}{to_complete}"[:64])
        session.add(voucher)
        action = "voucher.create"
    else:
        refuse(voucher_refusal(facts_of(session, voucher), "edit", actor.id))
        open_period(session, village.id, voucher.ym)
        voucher.preparer_id = actor.id  # 制单 is whoever prepared the content as it now stands
        action = "voucher.edit"
    voucher.voucher_date, voucher.ym, voucher.attachments, voucher.total = voucher_date, ym, attachments, total
    _write_lines(session, voucher, lines, accounts)
    session.flush()
    record(session, action, actor=actor, township_id=village.township_id, village_id=village.id, obj=voucher,
           detail={"date": voucher_date, "total": total, "lines": len(lines)})
    return voucher


def delete_draft(session: Session, *, voucher: Voucher, village: Village, actor) -> None:
    """Delete a draft (never a reviewed or posted voucher)."""
    refuse(voucher_refusal(facts_of(session, voucher), "delete", actor.id))
    record(session, "voucher.delete", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=voucher, detail={"date": voucher.voucher_date, "total": voucher.total})
    session.delete(voucher)


def review(session: Session, *, voucher: Voucher, village: Village, actor) -> None:
    """Review a draft: the reviewer must not be the preparer."""
    refuse(voucher_refusal(facts_of(session, voucher), "review", actor.id))
    open_period(session, village.id, voucher.ym)
    voucher.status, voucher.reviewer_id, voucher.reviewed_at = VoucherStatus.REVIEWED, actor.id, datetime.now()
    record(session, "voucher.review", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=voucher)


def send_back(session: Session, *, voucher: Voucher, village: Village, actor, reason: str) -> None:
    """退回（标错）: the reviewer returns a draft to its preparer with the reason; it stays a draft and the reason
    shows on its page and in the lists until someone edits it (the audit log keeps it)."""
    refuse(voucher_refusal(facts_of(session, voucher), "send_back", actor.id))
    if (problem := send_back_problem(reason)) is not None:
        raise RuleError(problem, {"reason": problem})
    open_period(session, village.id, voucher.ym)
    record(session, "voucher.send_back", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=voucher, detail={"reason": reason.strip()})


@cache
def _sent_back_query():
    """The select of sent_back, built on first use (auth's models import this module's)."""
    from threeassets.auth.models import User
    return (select(AuditEvent.object_id, AuditEvent.action, AuditEvent.detail, AuditEvent.at, User.display_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.object_type == "Voucher", AuditEvent.object_id.in_(bindparam("vouchers", expanding=True)),
                   AuditEvent.village_id.in_(IDS), AuditEvent.action.in_(PREPARING + ("voucher.send_back",)))
            .order_by(AuditEvent.id))


def sent_back(session: Session, vouchers: list[Voucher]) -> dict[int, tuple[str, str, datetime]]:
    """The drafts sent back and not edited since: voucher id → (reason, reviewer's name, when). One query."""
    drafts = {v.id: v for v in vouchers if v.status == VoucherStatus.DRAFT}
    if not drafts:
        return {}
    params = {"vouchers": list(drafts), "ids": list({v.village_id for v in drafts.values()})}
    out: dict[int, tuple[str, str, datetime]] = {}
    for voucher_id, action, detail, at, name in session.execute(_sent_back_query(), params):
        if action == "voucher.send_back":
            out[voucher_id] = (json.loads(detail or "{}").get("reason", ""), name or "", at)
        else:
            out.pop(voucher_id, None)  # an edit answers the send-back
    return out


def unreview(session: Session, *, voucher: Voucher, village: Village, actor) -> None:
    """Take back a review so the draft can be corrected (not after posting)."""
    refuse(voucher_refusal(facts_of(session, voucher), "unreview", actor.id))
    voucher.status, voucher.reviewer_id, voucher.reviewed_at = VoucherStatus.DRAFT, None, None
    record(session, "voucher.unreview", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=voucher)


def post(session: Session, *, voucher: Voucher, village: Village, actor, today: date | None = None) -> int:
    """Post a reviewed voucher (posting.post: rules, gapless number, chain link, turnover, audit). The township's
    book controls apply: a future date or cash on hand left in credit is refused where the township says so
    (warnings() tells the page what to say where it only warns)."""
    refuse(voucher_refusal(facts_of(session, voucher), "post", actor.id))
    controls = get_settings(session, village.township_id)
    if controls.future_dates == "refuse":
        refuse(future_date_problem(voucher.voucher_date, today or date.today()))
    number = posting.post(session, voucher, village, actor=actor)
    if controls.cash_deficit == "refuse":
        session.flush()
        refuse(cash_deficit_problem(cash_on_hand(session, village.id, voucher.ym)))
    return number


def next_number(session: Session, village_id: int, ym: int) -> int:
    """The number the next posting of a village's month would take (shown while entering; posting decides)."""
    from threeassets.ledger.models import VoucherCounter
    last = session.scalar(select(VoucherCounter.last).where(VoucherCounter.village_id == village_id,
                                                            VoucherCounter.ym == ym))
    return (last or 0) + 1


def cash_on_hand(session: Session, village_id: int, through_ym: int) -> Decimal:
    """库存现金 (101 and its sub-accounts) at the end of a month, from the posted turnover (openings included)."""
    ids = select(Account.id).where(Account.village_id == village_id,
                                   (Account.code == CASH) | Account.code.startswith(CASH))
    raw = session.scalar(
        select(func.coalesce(func.sum(AccountTurnover.debit - AccountTurnover.credit, type_=BigInteger), 0))
        .where(AccountTurnover.village_id == village_id, AccountTurnover.account_id.in_(ids),
               AccountTurnover.ym <= through_ym))
    return Decimal(int(raw or 0)).scaleb(-2)


def cash_deficit_months(session: Session, village_id: int, through_ym: int | None = None) -> list[tuple[int, Decimal]]:
    """The months whose end left cash on hand (101) in credit, with that balance: one grouped query over the kept
    turnover, then a running sum (the 用友 现金赤字 check, after the fact)."""
    ids = select(Account.id).where(Account.village_id == village_id,
                                   (Account.code == CASH) | Account.code.startswith(CASH))
    q = (select(AccountTurnover.ym, func.sum(AccountTurnover.debit - AccountTurnover.credit, type_=BigInteger))
         .where(AccountTurnover.village_id == village_id, AccountTurnover.account_id.in_(ids))
         .group_by(AccountTurnover.ym).order_by(AccountTurnover.ym))
    if through_ym is not None:
        q = q.where(AccountTurnover.ym <= through_ym)
    balance, out = 0, []
    for ym, net in session.execute(q):
        balance += int(net or 0)
        if balance < 0:
            out.append((ym, Decimal(balance).scaleb(-2)))
    return out


def warnings(session: Session, voucher: Voucher, village: Village, today: date | None = None) -> list[str]:
    """What the page says after saving or posting a voucher where the township's controls only warn: a date in the
    future, cash on hand in credit at the end of the voucher's month (once it is posted)."""
    out = [future_date_problem(voucher.voucher_date, today or date.today())]
    if voucher.status == VoucherStatus.POSTED:
        out.append(cash_deficit_problem(cash_on_hand(session, village.id, voucher.ym)))
    return [text for text in out if text]


# The audit rows of the people who prepared a voucher's content: whoever created, edited or reversed into it.
PREPARING = ("voucher.create", "voucher.edit", "voucher.reverse")


_HANDS = select(AuditEvent.object_id, AuditEvent.actor_id).where(
    AuditEvent.object_type == "Voucher", AuditEvent.object_id.in_(bindparam("vouchers", expanding=True)),
    AuditEvent.action.in_(PREPARING), AuditEvent.village_id.in_(IDS), AuditEvent.actor_id.is_not(None))


def hands_of(session: Session, vouchers: list[Voucher]) -> dict[int, frozenset[int]]:
    """Who prepared or edited each voucher: its preparer and the actors of its create/edit audit rows (one query
    for a page of vouchers; the audit log is append-only, so an edit cannot be forgotten)."""
    hands: dict[int, set[int]] = {v.id: {v.preparer_id} - {None} for v in vouchers}
    if hands:
        params = {"vouchers": list(hands), "ids": list({v.village_id for v in vouchers})}
        for voucher_id, actor_id in session.execute(_HANDS, params):
            hands[voucher_id].add(actor_id)
    return {vid: frozenset(ids) for vid, ids in hands.items()}


def _first_summaries():
    """The select of first_summaries, built once per process (a list page asks it on every request)."""
    first, other = aliased(VoucherLine), aliased(VoucherLine)
    # correlated by village as well as voucher: each subquery stays on the village's shard (docs/scaling.md)
    lowest = (select(func.min(first.line_no)).where(first.village_id == VoucherLine.village_id,
                                                    first.voucher_id == VoucherLine.voucher_id)
              .scalar_subquery())
    differs = exists().where(other.village_id == VoucherLine.village_id, other.voucher_id == VoucherLine.voucher_id,
                             other.summary != VoucherLine.summary)
    return select(VoucherLine.voucher_id, VoucherLine.summary, differs).where(
        VoucherLine.village_id == bindparam("village_id"), VoucherLine.voucher_id.in_(bindparam("ids", expanding=True)),
        VoucherLine.line_no == lowest)


_FIRST_SUMMARIES = _first_summaries()


def first_summaries(session: Session, village_id: int, voucher_ids: list[int]) -> dict[int, tuple[str, bool]]:
    """Each voucher's first line's summary and whether another line says something else (a list's 摘要 column
    reads "… 等" then): one query of three columns, not the lines."""
    if not voucher_ids:
        return {}
    return {vid: (summary, bool(more)) for vid, summary, more
            in session.execute(_FIRST_SUMMARIES, {"village_id": village_id, "ids": voucher_ids})}


def facts_for(session: Session, vouchers: list[Voucher]) -> dict[int, VoucherFacts]:
    """What the voucher rules need to know about each voucher of a list (whether it was reversed is left out:
    lists offer no reversal)."""
    # who prepared a voucher matters only while it may still be reviewed, sent back or posted (FOUR_EYES)
    hands = hands_of(session, [v for v in vouchers if v.status != VoucherStatus.POSTED])
    return {v.id: VoucherFacts(v.status, hands.get(v.id, frozenset({v.preparer_id} - {None})),
                               v.reverses_id is not None, unprepared=_unprepared(v)) for v in vouchers}


def _unprepared(voucher: Voucher) -> bool:
    """A draft written for an accountant to complete that none has saved yet (no 制单)."""
    return (voucher.status == VoucherStatus.DRAFT and voucher.preparer_id is None
            and (voucher.source_ref or "").startswith(TO_COMPLETE))


def facts_of(session: Session, voucher: Voucher, reversed_: bool = False) -> VoucherFacts:
    """What the voucher rules need to know about a voucher (whether it was reversed is the caller's query)."""
    return VoucherFacts(voucher.status, hands_of(session, [voucher])[voucher.id], voucher.reverses_id is not None,
                        reversed_, _unprepared(voucher))


_REVERSAL = select(Voucher).where(Voucher.reverses_id == bindparam("voucher"),
                                  Voucher.village_id == bindparam("village"))


def reversal_of(session: Session, original: Voucher) -> Voucher | None:
    """The voucher that reverses this one, if any."""
    return session.scalar(_REVERSAL, {"voucher": original.id, "village": original.village_id})


def reverse(session: Session, *, voucher: Voucher, village: Village, actor, on: date) -> Voucher:
    """红字冲销: a draft with the same accounts in red, dated in an open period, referencing the original."""
    refuse(voucher_refusal(facts_of(session, voucher, reversal_of(session, voucher) is not None), "reverse", actor.id))
    if on < voucher.voucher_date:
        # A red entry before the original would show the books negative for an event not yet recorded.
        why = f"冲销日期不能早于原凭证日期 {voucher.voucher_date.isoformat()}"
        raise LedgerError(why, {"on": why})
    ym = ym_of(on)
    try:
        open_period(session, village.id, ym)
    except LedgerError as exc:  # the month of the date asked for: said at the date
        raise LedgerError(str(exc), {"on": str(exc)}) from None
    red = Voucher(village_id=village.id, preparer_id=actor.id, status=VoucherStatus.DRAFT, voucher_date=on,
                  ym=ym, attachments=0, total=-voucher.total, reverses_id=voucher.id)
    for ln in voucher.lines:
        red.lines.append(VoucherLine(village_id=village.id, line_no=ln.line_no, account_id=ln.account_id,
                                     summary=f"冲销{voucher.label}：{ln.summary}"[:200],
                                     debit=-ln.debit, credit=-ln.credit))
    session.add(red)
    session.flush()
    record(session, "voucher.reverse", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=red, detail={"reverses": voucher.id, "label": voucher.label, "ym": voucher.ym})
    return red


def signatures(session: Session, voucher: Voucher) -> tuple[str, str, str]:
    """Names for 制单/审核/记账; imported history and generated vouchers say so instead of a blank."""
    from threeassets.auth.models import User

    def name(uid):
        user = session.get(User, uid) if uid else None
        return user.display_name if user else ""
    if _unprepared(voucher):
        return "（待代理会计核对保存）", "", ""
    origin = ("（历史导入）" if voucher.source_ref and not voucher.source_ref.startswith(TO_COMPLETE)
              else ("（系统生成）" if voucher.kind != "normal" else ""))
    posted = voucher.status == VoucherStatus.POSTED
    return (name(voucher.preparer_id) or origin,
            name(voucher.reviewer_id) or (origin if posted else ""),
            name(voucher.poster_id) or (origin if posted else ""))
