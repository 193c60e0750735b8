"""Growing delays as arithmetic: free failures, doubling, the cap, the drain — no database, no sleeping."""
from datetime import datetime, timedelta

import pytest

from threeassets.auth.rules import LOGIN_THROTTLE
from threeassets.core.backoff import NO_WAIT, Rule, wait_text
from threeassets.windows.rules import LOOKUP_THROTTLE

S = timedelta(seconds=1)
RULE = Rule(free=5, base=S, cap=timedelta(minutes=15), leak=timedelta(minutes=10))
T0 = datetime(2024, 5, 6, 9, 0)


@pytest.mark.parametrize("level, delay", [(0, NO_WAIT), (5, NO_WAIT), (6, S), (7, 2 * S), (8, 4 * S),
                                          (15, 512 * S), (16, timedelta(minutes=15)), (10_000, timedelta(minutes=15))])
def test_delay_doubles_after_the_free_failures_up_to_the_cap(level, delay):
    assert RULE.delay(level) == delay


def test_no_level_waits_longer_than_the_cap():
    """There is no lock: whatever an attacker does, the longest wait is the cap."""
    for policy in (LOGIN_THROTTLE, LOOKUP_THROTTLE):
        for rule in (policy.address, policy.subject):
            assert max(rule.delay(n) for n in range(0, 5000)) == rule.cap <= timedelta(minutes=15)


@pytest.mark.parametrize("after, level", [(timedelta(0), 7), (timedelta(minutes=9), 7), (timedelta(minutes=10), 6),
                                          (timedelta(minutes=35), 4), (timedelta(minutes=70), 0),
                                          (timedelta(days=3), 0)])
def test_the_level_drains_one_per_leak(after, level):
    assert RULE.drained(7, T0, T0 + after)[0] == level


def test_draining_keeps_the_part_of_a_leak_already_waited():
    level, since = RULE.drained(7, T0, T0 + timedelta(minutes=25))
    assert (level, since) == (5, T0 + timedelta(minutes=20))
    assert RULE.drained(level, since, T0 + timedelta(minutes=30))[0] == 4


def test_a_clock_going_back_drains_nothing():
    assert RULE.drained(3, T0, T0 - timedelta(minutes=30)) == (3, T0)


def test_an_office_that_mistypes_every_quarter_hour_never_waits():
    """Typos spread over a working day: the address level drains faster than it fills."""
    rule, level, since = LOGIN_THROTTLE.address, 0, None
    for n in range(40):
        now = T0 + n * timedelta(minutes=15)
        level, since = rule.drained(level, since, now)
        level += 1
        assert rule.delay(level) == NO_WAIT


@pytest.mark.parametrize("wait, text", [(timedelta(milliseconds=200), "1秒"), (S, "1秒"), (59 * S, "59秒"),
                                        (60 * S, "1分钟"), (61 * S, "2分钟"), (timedelta(minutes=15), "15分钟")])
def test_wait_text(wait, text):
    assert wait_text(wait) == text
