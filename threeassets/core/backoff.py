"""Growing delays after failed guesses, as pure arithmetic; core/throttle.py keeps the counts in the database.

A counter has a level. Each failure adds one, and the level drains by one for every `leak` that passes, so the
occasional typos of a busy office never add up. Up to `free` the failures cost nothing; past it every further
attempt must wait a delay that doubles with the level (base, 2·base, 4·base …) up to `cap`. Nothing is locked
for good: the longest wait is `cap`, whoever causes it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

NO_WAIT = timedelta(0)


@dataclass(frozen=True)
class Rule:
    """How one counter grows, drains and delays."""

    free: int  # failures that cost no delay
    base: timedelta  # the first delay; it doubles with every failure after it
    cap: timedelta  # the longest delay
    leak: timedelta  # the level drops by one for each of these without a failure

    def drained(self, level: int, since: datetime | None, now: datetime) -> tuple[int, datetime]:
        """The level left at `now` of one counted at `since`, and the time the rest counts from (whole leaks)."""
        if since is None or level <= 0 or now <= since:
            return max(level, 0), since or now
        steps = int((now - since) / self.leak)
        if steps >= level:
            return 0, now
        return level - steps, since + steps * self.leak

    def delay(self, level: int) -> timedelta:
        """The wait a counter at this level imposes: none up to `free`, then base doubling, at most `cap`."""
        over = level - self.free
        if over <= 0:
            return NO_WAIT
        return min(self.cap, self.base * 2 ** min(over - 1, 30))


@dataclass(frozen=True)
class Policy:
    """The rules for one kind of guessable secret (a password, a case's phone tail) answered to one subject (an
    account, a case number) from a client address.

    - `address`: every failure from one address, whatever subject it guessed at, delays that address;
    - `subject`: every failure against one subject, from any address, raises the subject's level — how hard it
      is being guessed at. An address that has failed against the subject more than `forgiven` times must wait
      the subject's delay before trying it again. An address that has not (the owner at his desk, the applicant
      on his phone) is not held back by what other addresses do: a stranger cannot lock out the owner.
    - `strangers` (None: never): once the subject's level passes it — many addresses guessing, each a few
      times — every failure makes the clients the subject does not know wait the subject's delay too, so the
      guesses at one subject stay few an hour however many addresses make them. A known client (a browser
      that has logged in as the subject before: a device cookie) is not held back by it.
    - `device_misses`: a known client that has missed more than this many times lately (a stolen device cookie
      handed round) is a stranger again until its count drains.
    """

    address: Rule
    subject: Rule
    forgiven: int = 1
    strangers: int | None = None
    device_misses: int = 5


def wait_text(wait: timedelta) -> str:
    """A wait as people read it: seconds under a minute, else minutes, rounded up."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    return f"{seconds}秒" if seconds < 60 else f"{math.ceil(seconds / 60)}分钟"
