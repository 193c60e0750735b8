"""Stored closing balances (period_balance): computed in SQL from the newest stored month plus turnover after it."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Integer, delete, func, insert, literal, select, union_all
from sqlalchemy.orm import Session

from threeassets.closing.models import PeriodBalance
from threeassets.core.db import fen
from threeassets.core.money import from_fen
from threeassets.ledger.models import AccountTurnover


def latest_stored(session: Session, village_id: int, upto: int) -> int:
    """The newest month (≤ upto) whose balances are stored for the village, 0 if none."""
    return session.scalar(select(func.max(PeriodBalance.ym)).where(
        PeriodBalance.village_id == village_id, PeriodBalance.ym <= upto)) or 0


def _balance_select(session: Session, village_id: int, ym: int, account_ids=None):
    """SELECT account_id, net fen at the end of ym: the newest stored month ≤ ym plus turnover after it."""
    base = latest_stored(session, village_id, ym)
    pb, at = PeriodBalance, AccountTurnover
    stored = select(pb.account_id.label("aid"), fen(pb.balance).label("net")).where(
        pb.village_id == village_id, pb.ym == base)
    moves = select(at.account_id, fen(at.debit) - fen(at.credit)).where(
        at.village_id == village_id, at.ym > base, at.ym <= ym)
    if account_ids is not None:
        stored = stored.where(pb.account_id.in_(account_ids))
        moves = moves.where(at.account_id.in_(account_ids))
    u = union_all(stored, moves).subquery()
    net = func.sum(u.c.net, type_=BigInteger)
    return select(u.c.aid, net.label("net")).group_by(u.c.aid).having(net != 0)


def balances_at(session: Session, village_id: int, ym: int, account_ids=None) -> dict[int, Decimal]:
    """Non-zero net debit balances (all history to the end of ym) per leaf account id."""
    q = _balance_select(session, village_id, ym, account_ids)
    return {aid: from_fen(int(net)) for aid, net in session.execute(q)}


def store_balances(session: Session, village_id: int, ym: int) -> int:
    """(Re)store the month's closing balance of every leaf account with a non-zero balance; returns the count.
    Zero balances are not stored: a missing row means zero."""
    drop_balances(session, village_id, ym, ym)
    q = _balance_select(session, village_id, ym)
    sub = q.subquery()
    rows = select(literal(village_id, Integer), literal(ym, Integer), sub.c.aid, sub.c.net)
    session.execute(insert(PeriodBalance).from_select(["village_id", "ym", "account_id", "balance"], rows))
    return session.scalar(select(func.count()).select_from(PeriodBalance).where(
        PeriodBalance.village_id == village_id, PeriodBalance.ym == ym))


def drop_balances(session: Session, village_id: int, first: int, last: int | None = None) -> int:
    """Delete stored balances of months first..last (last None: every later month); returns rows deleted."""
    q = delete(PeriodBalance).where(PeriodBalance.village_id == village_id, PeriodBalance.ym >= first)
    if last is not None:
        q = q.where(PeriodBalance.ym <= last)
    return session.execute(q).rowcount or 0
