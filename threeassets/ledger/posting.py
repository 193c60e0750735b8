"""The one write path into the books: every voucher that becomes posted goes through `post` here (typed,
from a claim, a reversal, or made by the system through `post_new`); the bulk importer goes through
bulk_posting.py, which takes the same locks and numbers and links with the same chain rule. Nothing else sets
a voucher's number, hash or posted state (tests/unit/test_boundaries.py checks it)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.db import insert_for, locked_row
from threeassets.core.money import to_fen
from threeassets.core.periods import ym_label, ym_of
from threeassets.ledger.models import Account, AccountTurnover, ChainHead, Period, Voucher, VoucherCounter, VoucherLine
from threeassets.ledger.openings.models import OpeningStart
from threeassets.ledger.openings.rules import before_start_problem
from threeassets.ledger.rules import (
    LedgerError,
    LineInput,
    VoucherInvalid,
    VoucherStatus,
    chain_hash,
    chain_payload,
    check_voucher,
)


def take_numbers(session: Session, village_id: int, ym: int, count: int = 1) -> int:
    """Reserve `count` gapless numbers for a village-month; returns the first. Rolls back with the caller."""
    counter = locked_row(session, VoucherCounter, village_id=village_id, ym=ym)
    first = counter.last + 1
    counter.last += count
    session.flush()
    return first


def lock_chain(session: Session, village_id: int) -> ChainHead:
    """Lock the village's chain head: postings of one village are serialised here."""
    return locked_row(session, ChainHead, village_id=village_id)


def _period_shared(session: Session, village_id: int, ym: int) -> Period | None:
    """The period row, read fresh and share-locked (PostgreSQL): a month close waits for this transaction."""
    q = (select(Period).where(Period.village_id == village_id, Period.ym == ym).with_for_update(read=True)
         .execution_options(populate_existing=True))
    return session.scalars(q).one_or_none()


def _start_problem(session: Session, village_id: int, ym: int, posting: bool) -> str | None:
    """A village that came onto the system with opening balances takes no voucher before its start month, and
    posts nothing while its openings do not balance (试算平衡)."""
    start = session.execute(select(OpeningStart.start_ym, OpeningStart.balanced).where(
        OpeningStart.village_id == village_id)).one_or_none()
    if start is None:
        return None
    if why := before_start_problem(ym, start.start_ym):
        return why
    if posting and not start.balanced:
        return "本村期初余额试算不平衡，请先在“期初余额”中调平后再记账"
    return None


def _closed_later(session: Session, village_id: int, ym: int) -> str | None:
    """A month without books yet may not open before a closed one."""
    later = session.scalar(select(func.max(Period.ym)).where(
        Period.village_id == village_id, Period.ym > ym, Period.status != "open"))
    return (f"会计期间 {ym_label(ym)} 早于已结账的 {ym_label(later)}，不能录入；如需补录请由中心主任反结账"
            if later else None)


def _closed(ym: int) -> str:
    return f"会计期间 {ym_label(ym)} 已结账，不能录入或记账"


def month_problem(session: Session, village_id: int, ym: int, *, posting: bool = False) -> str | None:
    """Why the village's vouchers of a month cannot be written (or, posting, posted) now, or None: what
    open_period would refuse, read without opening or locking anything, so that a form names it with its other
    problems. open_period still decides, under its lock."""
    if why := _start_problem(session, village_id, ym, posting):
        return why
    status = session.scalar(select(Period.status).where(Period.village_id == village_id, Period.ym == ym))
    if status is None:
        return _closed_later(session, village_id, ym)
    return None if status == "open" else _closed(ym)


def open_period(session: Session, village_id: int, ym: int, *, posting: bool = False,
                moving_start: bool = False) -> Period:
    """The village's period for a month, opened on first use; a closed period is refused, and so is a new month
    before a closed one (its postings would change the closing balances stored for the closed month), or before
    the village's start month; posting also needs the opening balances to balance. moving_start: the opening
    balances are being saved with this month as the (new) start, so the stored start does not apply."""
    if not moving_start and (why := _start_problem(session, village_id, ym, posting)):
        raise LedgerError(why)
    period = _period_shared(session, village_id, ym)
    if period is None:
        if why := _closed_later(session, village_id, ym):
            raise LedgerError(why)
        # Two clerks may open the same month at once: the loser's insert does nothing.
        session.execute(insert_for(session)(Period).values(village_id=village_id, ym=ym, status="open")
                        .on_conflict_do_nothing())
        period = _period_shared(session, village_id, ym)
    if period.status != "open":
        raise LedgerError(_closed(ym))
    return period


def add_turnover(session: Session, village_id: int, totals: dict[tuple[int, int], list[Decimal]]) -> None:
    """Add posted amounts to the per-account, per-month turnover rows (upsert)."""
    if not totals:
        return
    ins = insert_for(session)(AccountTurnover)
    stmt = ins.on_conflict_do_update(
        index_elements=["village_id", "account_id", "ym"],
        set_={"debit": AccountTurnover.debit + ins.excluded.debit,
              "credit": AccountTurnover.credit + ins.excluded.credit})
    rows = [{"village_id": village_id, "account_id": acc, "ym": ym, "debit": d, "credit": c}
            for (acc, ym), (d, c) in sorted(totals.items())]
    session.execute(stmt, rows)


def _checked_lines(session: Session, voucher: Voucher) -> list[tuple[str, str, Decimal, Decimal, int]]:
    """The voucher's lines as (code, summary, debit, credit, account id), once they pass the rules of every
    voucher: each line, two lines at least, balanced, a total above zero (below for a reversal). The limit of
    200 lines is a rule of entry (the form, drafts, imports), not of posting: a reversal of a long generated
    voucher, or a draft saved before the limit, still posts."""
    ids = {ln.account_id for ln in voucher.lines}
    codes = dict(session.execute(select(Account.id, Account.code).where(
        Account.village_id == voucher.village_id, Account.id.in_(ids))).all()) if ids else {}
    lines = [(codes.get(ln.account_id, ""), ln.summary, ln.debit, ln.credit, ln.account_id) for ln in voucher.lines]
    problems = check_voucher([LineInput(s, c, d, k) for c, s, d, k, _a in lines],
                             reversal=voucher.reverses_id is not None, limit=False)
    if problems:
        raise VoucherInvalid(problems)
    return lines


def post(session: Session, voucher: Voucher, village, *, actor) -> int:
    """Post a voucher: its lines pass the voucher rules and its month must be open; then it takes the next
    gapless number of its village and month, becomes the next link of the village's hash chain, its amounts
    are added to the turnover and one audit row says so. In the caller's transaction; returns the number."""
    lines = _checked_lines(session, voucher)
    actor_id = getattr(actor, "id", None)  # read before the voucher changes: no autoflush between its changes
    open_period(session, village.id, voucher.ym, posting=True)
    head = lock_chain(session, village.id)
    number = take_numbers(session, village.id, voucher.ym)
    payload = chain_payload(village.code, voucher.ym, number, voucher.voucher_date, voucher.reverses_id,
                            [(c, s, to_fen(d), to_fen(k)) for c, s, d, k, _a in lines])
    voucher.number, voucher.status = number, VoucherStatus.POSTED
    voucher.poster_id, voucher.posted_at = actor_id, datetime.now()
    voucher.chain_seq, voucher.prev_hash = head.seq + 1, head.last_hash
    voucher.hash = chain_hash(head.last_hash, payload)
    head.seq, head.last_hash = voucher.chain_seq, voucher.hash
    totals: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for _code, _summary, debit, credit, account_id in lines:
        t = totals[(account_id, voucher.ym)]
        t[0] += debit
        t[1] += credit
    session.flush()
    add_turnover(session, village.id, totals)
    # The link and its place: the audit log anchors the chain (ledger/chain.py checks the chain still holds it).
    detail = {"number": number, "ym": voucher.ym, "hash": voucher.hash, "seq": voucher.chain_seq}
    if voucher.kind != "normal":
        detail |= {"kind": voucher.kind, "generated": True}
    record(session, "voucher.post", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=voucher, detail=detail)
    return number


def post_new(session: Session, *, village, on: date, kind: str, lines: list[tuple[Account, str, Decimal, Decimal]],
             actor, attachments: int = 0) -> Voucher:
    """Write and post a voucher the system makes (kind: depreciation, year_close, opening …) from lines of
    (leaf account, summary, debit, credit); refused before anything is written when its month is closed or a
    line breaks the voucher rules."""
    ym = ym_of(on)
    open_period(session, village.id, ym, posting=True)
    problems = check_voucher([LineInput(s, a.code, d, c) for a, s, d, c in lines], limit=False)
    if problems:
        raise VoucherInvalid(problems)
    voucher = Voucher(village_id=village.id, ym=ym, voucher_date=on, status=VoucherStatus.DRAFT,
                      attachments=attachments, total=sum((d for _a, _s, d, _c in lines), Decimal(0)),
                      preparer_id=getattr(actor, "id", None), kind=kind)
    for n, (acc, summary, debit, credit) in enumerate(lines, start=1):
        voucher.lines.append(VoucherLine(village_id=village.id, line_no=n, summary=summary, account_id=acc.id,
                                         debit=debit, credit=credit))
    session.add(voucher)
    session.flush()
    post(session, voucher, village, actor=actor)
    return voucher
