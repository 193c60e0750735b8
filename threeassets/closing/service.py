"""Month close (月结) and reopening (反结账): lock a period, store its closing balances, audit. Never commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.auth.rules import can
from threeassets.closing.balances import drop_balances, store_balances
from threeassets.closing.rules import (
    ACTION_PERMISSION,
    CLOSED,
    OPEN,
    PERIOD_FLOW,
    ClosingError,
    MonthCounts,
    PeriodFacts,
    content_problems,
    order_problems,
    period_refusal,
    year_facts,
)
from threeassets.core import hooks
from threeassets.core.audit import record
from threeassets.core.db import insert_for
from threeassets.core.parse import too_long
from threeassets.core.periods import months_of, ym_label
from threeassets.core.workflow import refuse
from threeassets.ledger import posting
from threeassets.ledger.models import Period, Voucher, VoucherCounter
from threeassets.ledger.rules import VoucherStatus
from threeassets.orgs.models import Village

REASON_MAX = 200


def lock_period(session: Session, village_id: int, ym: int) -> Period:
    """The month's period locked FOR UPDATE (created open if missing): posters hold it shared, so a close waits
    for them and they wait for the close. Locked before the chain head, in the order posting takes them."""
    session.execute(insert_for(session)(Period).values(village_id=village_id, ym=ym, status=OPEN)
                    .on_conflict_do_nothing())
    q = (select(Period).where(Period.village_id == village_id, Period.ym == ym).with_for_update()
         .execution_options(populate_existing=True))
    return session.scalars(q).one()


def _earlier(session: Session, village_id: int, ym: int) -> dict[int, str]:
    """The village's periods before a month and their status."""
    q = select(Period.ym, Period.status).where(Period.village_id == village_id, Period.ym < ym)
    return dict(session.execute(q).all())


def month_counts(session: Session, village_id: int, ym: int) -> MonthCounts:
    """How many vouchers of a month are drafts, reviewed and posted."""
    q = (select(Voucher.status, func.count()).where(Voucher.village_id == village_id, Voucher.ym == ym)
         .group_by(Voucher.status))
    by = dict(session.execute(q).all())
    return MonthCounts(by.get(VoucherStatus.DRAFT, 0), by.get(VoucherStatus.REVIEWED, 0),
                       by.get(VoucherStatus.POSTED, 0))


def _numbering(session: Session, village_id: int, ym: int) -> tuple[list[int], int]:
    """The month's posted numbers and its counter's last number."""
    numbers = list(session.scalars(select(Voucher.number).where(
        Voucher.village_id == village_id, Voucher.ym == ym, Voucher.status == VoucherStatus.POSTED)))
    last = session.scalar(select(VoucherCounter.last).where(
        VoucherCounter.village_id == village_id, VoucherCounter.ym == ym)) or 0
    return numbers, last


def period_facts(session: Session, village_id: int, period: Period) -> PeriodFacts:
    """What the closing rules need to know about a locked month: its status, the earlier periods and what inside
    it blocks a close (drafts, reviewed vouchers not posted, broken numbering, a register's month-end work not
    done: hooks.close_blockers)."""
    numbers, last = _numbering(session, village_id, period.ym)
    inside = content_problems(month_counts(session, village_id, period.ym), numbers, last)
    inside += [why for answer in hooks.answers(hooks.close_blockers, village_id, session=session, ym=period.ym)
               for why in answer]  # the registers' month-end work not done (the depreciation run)
    return PeriodFacts(period.ym, period.status, date.today(), _earlier(session, village_id, period.ym),
                       tuple(inside))


def _restore_later(session: Session, village_id: int, ym: int) -> list[int]:
    """Recompute the stored balances of the closed months right after ym (dropped when an earlier month was
    reopened), up to the first month still open; returns the months recomputed."""
    done = []
    q = select(Period.ym, Period.status).where(Period.village_id == village_id, Period.ym > ym).order_by(Period.ym)
    for later, status in session.execute(q).all():
        if status != CLOSED:
            break
        store_balances(session, village_id, later)
        done.append(later)
    return done


def close_locked(session: Session, village: Village, period: Period, actor, action: str = "close") -> int:
    """Close a period the caller has locked (the rules' action: close, or year_close for December): refuse as
    period_refusal says, else lock, store balances, audit; returns balances stored."""
    refuse(period_refusal(period_facts(session, village.id, period), action))
    period.status = PERIOD_FLOW.next(period.status, action)
    period.closed_by_id, period.closed_at = getattr(actor, "id", None), datetime.now()
    session.flush()
    stored = store_balances(session, village.id, period.ym)
    later = _restore_later(session, village.id, period.ym)
    record(session, "period.close", actor=actor, township_id=village.township_id, village_id=village.id, obj=period,
           detail={"period": ym_label(period.ym), "balances": stored,
                   "recomputed": [ym_label(m) for m in later]})
    return stored


def close_period(session: Session, village: Village, ym: int, actor) -> int:
    """月结: refuse (naming every problem) or lock the month and store its closing balances; returns the count."""
    period = lock_period(session, village.id, ym)
    posting.lock_chain(session, village.id)
    return close_locked(session, village, period, actor)


def reopen_period(session: Session, village: Village, ym: int, actor, reason: str) -> int:
    """反结账 (agency head only, with a reason): reopen the month and drop the stored balances of it and every
    later month, which stay closed; returns the balance rows dropped."""
    reason = (reason or "").strip()
    if actor is not None and not can(actor.role, ACTION_PERMISSION["reopen"]):
        raise ClosingError("只有中心主任可以反结账")
    if not reason:
        raise ClosingError("请填写反结账原因", {"reason": "请填写反结账原因"})
    if why := too_long(reason, REASON_MAX, "反结账原因"):
        raise ClosingError(why, {"reason": why})
    period = session.scalars(select(Period).where(Period.village_id == village.id, Period.ym == ym)
                             .with_for_update().execution_options(populate_existing=True)).one_or_none()
    refuse(period_refusal(PeriodFacts(ym, period.status if period else None, date.today()), "reopen"))
    posting.lock_chain(session, village.id)
    before = {"closed_by_id": period.closed_by_id, "closed_at": period.closed_at}
    period.status = PERIOD_FLOW.next(period.status, "reopen")
    period.closed_by_id, period.closed_at = None, None
    dropped = drop_balances(session, village.id, ym)
    record(session, "period.reopen", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=period, detail={"period": ym_label(ym), "reason": reason, "balances_dropped": dropped, **before})
    return dropped


@dataclass
class MonthRow:
    """One month on the closing page, with what the closing rules need to know to offer its actions."""

    ym: int
    status: str | None  # None: no books that month yet
    closed_by: str | None
    closed_at: datetime | None
    counts: MonthCounts
    facts: PeriodFacts

    @property
    def label(self) -> str:
        """2024-05."""
        return ym_label(self.ym)


def _year_counts(session: Session, village_id: int, year: int) -> dict[int, MonthCounts]:
    """Vouchers of each month of a year by state (months without vouchers are missing)."""
    by: dict[int, dict[str, int]] = {}
    for ym, status, n in session.execute(
            select(Voucher.ym, Voucher.status, func.count())
            .where(Voucher.village_id == village_id, Voucher.ym.between(year * 100 + 1, year * 100 + 12))
            .group_by(Voucher.ym, Voucher.status)):
        by.setdefault(ym, {})[status] = n
    return {ym: MonthCounts(c.get(VoucherStatus.DRAFT, 0), c.get(VoucherStatus.REVIEWED, 0),
                            c.get(VoucherStatus.POSTED, 0)) for ym, c in by.items()}


def year_overview(session: Session, village_id: int, year: int) -> tuple[list[MonthRow], list[str]]:
    """The year's twelve months with status, closer, voucher counts and the facts the closing rules decide the
    page's actions from; and what blocks the year from earlier years (open periods, years not year-closed)."""
    from threeassets.auth.models import User
    first, last = year * 100 + 1, year * 100 + 12
    periods = {ym: (status, by, at) for ym, status, by, at in session.execute(
        select(Period.ym, Period.status, User.display_name, Period.closed_at)
        .outerjoin(User, User.id == Period.closed_by_id)
        .where(Period.village_id == village_id, Period.ym.between(first, last)))}
    counts, before = _year_counts(session, village_id, year), _earlier(session, village_id, first)
    facts = year_facts(year, {ym: p[0] for ym, p in periods.items()}, before, date.today())
    rows = []
    for ym, month in zip(months_of(year), facts, strict=True):
        status, by, at = periods.get(ym, (None, None, None))
        rows.append(MonthRow(ym, status, by or ("系统" if status == CLOSED else None), at,
                             counts.get(ym, MonthCounts()), month))
    return rows, order_problems(first, before)
