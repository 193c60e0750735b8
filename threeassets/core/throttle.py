"""Failed guesses counted in the database, so every app process (and every worker of each) sees the same counts:
the growing delays of core/backoff.py applied to logins and to the public case lookup.

Three counters per scope ("login", "case"): one per client address (subject ""), one per subject (address ""),
which carries the wait of the clients the subject does not know once it is guessed at from many addresses
(Policy.strangers), and one per (subject, address) pair, which carries the wait that address owes that subject.
A fourth, in scope "<scope>.device", counts the misses of a known client's device cookie. Rows are locked in
that order (address, pair, subject, device), so two requests never wait on each other in a circle; a check
locks the rows that exist, so parallel guesses from one address are counted one after the other. A row
without a failure for FORGET is deleted.

On PostgreSQL a check first takes a transaction-scoped advisory lock on its (scope, subject): the row order alone
was not enough there. A parallel check finds no row while the first guess's rows are being created, locks
nothing, and later waits on that guess's unique-key insert or on a row whose new version another check holds;
under load four such processes once met in a circle (deadlock detected). Guesses at one subject now queue on one
lock before touching any row; guesses at different subjects share only their address's row. SQLite runs one
writer at a time and needs no such lock.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, Index, String, UniqueConstraint, delete, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from threeassets.core.backoff import NO_WAIT, Policy, Rule
from threeassets.core.db import Base, locked_row

FORGET = timedelta(days=1)
KEY_LENGTH = 64


class Throttle(Base):
    """One counter of failed guesses: of an address, of a subject, or of a subject from an address."""

    __tablename__ = "throttle"
    __table_args__ = (UniqueConstraint("scope", "subject", "address"), Index("ix_throttle_seen_at", "seen_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(KEY_LENGTH), default="")
    address: Mapped[str] = mapped_column(String(KEY_LENGTH), default="")
    level: Mapped[int] = mapped_column(default=0)
    since: Mapped[datetime | None] = mapped_column(DateTime)  # the level counts from here (it drains after)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime)
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)  # the last failure


def _keys(scope: str, subject: str, address: str | None) -> tuple[dict, dict, dict]:
    """(address, pair, subject) row keys; long input is cut to the column (such a name exists nowhere anyway)."""
    subject, address = subject[:KEY_LENGTH], (address or "unknown")[:KEY_LENGTH]
    return ({"scope": scope, "subject": "", "address": address},
            {"scope": scope, "subject": subject, "address": address},
            {"scope": scope, "subject": subject, "address": ""})


def _device_key(scope: str, device: str) -> dict:
    """The row counting the misses of one device cookie (a known client)."""
    return {"scope": f"{scope}.device", "subject": device[:KEY_LENGTH], "address": ""}


def known_device(session: Session, policy: Policy, scope: str, device: str | None, now: datetime) -> bool:
    """Whether a client's device cookie still counts as known: it has not missed more than policy.device_misses
    times lately (a cookie copied to many machines soon stops opening the way)."""
    if not device:
        return False
    row = session.scalar(select(Throttle).filter_by(**_device_key(scope, device)))
    return row is None or policy.subject.drained(row.level, row.since, now)[0] <= policy.device_misses


def _queue(session: Session, scope: str, subject: str) -> None:
    """PostgreSQL: wait for every other transaction counting this subject's guesses (released at its end)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                        {"key": f"throttle:{scope}:{subject[:KEY_LENGTH]}"})


def wait(session: Session, scope: str, subject: str, address: str | None, now: datetime,
         known: bool = False) -> timedelta:
    """How long this address must still wait before its next guess at this subject (NO_WAIT: it may try now).
    A known client (a trusted device cookie) does not wait for the subject's own count."""
    owed = NO_WAIT
    _queue(session, scope, subject)
    keys = _keys(scope, subject, address)
    for key in keys[:2] if known else keys:
        row = session.scalar(select(Throttle).filter_by(**key).with_for_update()
                             .execution_options(populate_existing=True))
        if row is not None and row.blocked_until is not None and row.blocked_until > now:
            owed = max(owed, row.blocked_until - now)
    return owed


def _count(row: Throttle, rule: Rule, now: datetime) -> int:
    """Add one failure to a row (after draining it) and return its new level."""
    level, since = rule.drained(row.level, row.since, now)
    row.level, row.since, row.seen_at = level + 1, since, now
    return row.level


def _block(row: Throttle, delay: timedelta, now: datetime) -> None:
    """Make the row's address wait `delay` from now (never shortening a wait it already owes)."""
    if delay > NO_WAIT:
        row.blocked_until = max(row.blocked_until or now, now + delay)


def failed(session: Session, policy: Policy, scope: str, subject: str, address: str | None, now: datetime,
           device: str | None = None) -> timedelta:
    """Count a failed guess; returns the wait the address now owes this subject. `device`: the cookie of a known
    client (known_device), whose misses are counted too; None for a stranger."""
    _queue(session, scope, subject)  # held already when wait() ran in this transaction (it stacks, harmlessly)
    address_key, pair_key, subject_key = _keys(scope, subject, address)
    by_address, pair, target = (locked_row(session, Throttle, **k) for k in (address_key, pair_key, subject_key))
    _block(by_address, policy.address.delay(_count(by_address, policy.address, now)), now)
    tries = _count(pair, policy.subject, now)
    level = _count(target, policy.subject, now)
    if tries > policy.forgiven:
        _block(pair, policy.subject.delay(level), now)
    if policy.strangers is not None and level > policy.strangers:
        _block(target, policy.subject.delay(level), now)
    if device:
        _count(locked_row(session, Throttle, **_device_key(scope, device)), policy.subject, now)
    _forget(session, now)
    owed = [by_address.blocked_until, pair.blocked_until] + ([] if device else [target.blocked_until])
    return max(until or now for until in owed) - now


def succeeded(session: Session, scope: str, subject: str, address: str | None, now: datetime,
              device: str | None = None) -> None:
    """A right answer from an address clears what that address owed the subject (not the subject's level, which
    keeps counting an attack from elsewhere, nor the address's, which counts its guesses at other subjects), and
    the misses of the device cookie it came with."""
    session.execute(delete(Throttle).filter_by(**_keys(scope, subject, address)[1]))
    if device:
        session.execute(delete(Throttle).filter_by(**_device_key(scope, device)))
    _forget(session, now)


def _forget(session: Session, now: datetime) -> None:
    """Delete rows without a failure for FORGET (rows another request holds are left for next time)."""
    stale = (select(Throttle.id).where(Throttle.seen_at < now - FORGET).limit(200)
             .with_for_update(skip_locked=True))
    ids = list(session.scalars(stale))
    if ids:
        session.execute(delete(Throttle).where(Throttle.id.in_(ids)))
