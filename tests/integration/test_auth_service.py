"""People: argon2id hashes, login, password strength, logins kept on the server, who may create whom (the
growing delays after failed logins: test_login_throttle.py)."""
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher, Type
from argon2.exceptions import VerifyMismatchError
from argon2.profiles import RFC_9106_LOW_MEMORY

from tests.conftest import PASSWORD
from tests.integration.conftest import audit_count
from threeassets.auth import service
from threeassets.auth.rules import Role
from threeassets.auth.service import AuthError, authenticate, check_login, create_user, set_password, start_login
from threeassets.core.db import transaction

T0 = datetime(2024, 5, 6, 9, 0)
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chromium/120"


def login(session, username, password, now=T0, ip="192.0.2.1"):
    """authenticate() committed like the login route does: (user, error)."""
    with transaction(session):
        result = authenticate(session, username, password, now=now, ip=ip)
    return result.user, result.error


def begin(session, user, now=T0) -> str:
    """A login of the user (as the login route starts one); its cookie key."""
    with transaction(session):
        return start_login(session, user, now=now, lifetime=timedelta(hours=8), ip="192.0.2.1", agent=AGENT)


def opens(session, key, now=T0):
    """The user a cookie key opens now (None when refused)."""
    return check_login(session, key, now=now, agent=AGENT)[0]


# ---------------------------------------------------------------- hashing

def test_hash_is_argon2id_with_a_salt(real_hasher):
    first, second = service.hash_password("abc12345"), service.hash_password("abc12345")
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second  # salted
    assert PasswordHasher().verify(first, "abc12345")
    with pytest.raises(VerifyMismatchError):
        PasswordHasher().verify(first, "abc12346")


def test_production_parameters_are_not_weaker_than_rfc_9106_low_memory(real_hasher):
    params = service._hasher._parameters
    assert params.type is Type.ID
    assert params.memory_cost >= RFC_9106_LOW_MEMORY.memory_cost
    assert params.time_cost >= RFC_9106_LOW_MEMORY.time_cost


def test_stored_hash_is_not_the_password(session, world):
    user = world.user("accountant")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


# ---------------------------------------------------------------- authenticate

def test_login_success(session, world):
    user, reason = login(session, "accountant", PASSWORD)
    assert user is world.user("accountant") and reason is None
    assert user.last_login_at == T0
    assert audit_count(session, "login") == 1


def test_login_trims_the_username(session, world):
    assert login(session, "  accountant ", PASSWORD)[0] is world.user("accountant")


@pytest.mark.parametrize("username, password", [
    ("accountant", "wrong-pass-123"), ("accountant", PASSWORD.upper()), ("nobody", PASSWORD), ("accountant", "")])
def test_login_failure_gives_one_message(session, world, username, password):
    user, reason = login(session, username, password)
    assert user is None and reason == "用户名或密码错误"  # the same words whether or not the user exists
    assert audit_count(session, "login.failed") == 1 and audit_count(session, "login") == 0


def test_inactive_user_cannot_log_in(session, world):
    world.user("clerk").active = False
    session.commit()
    assert login(session, "clerk", PASSWORD) == (None, "用户名或密码错误")


# ---------------------------------------------------------------- passwords and sessions

@pytest.mark.parametrize("password, ok", [
    ("abc123", False), ("abcdefgh", False), ("12345678", False), ("密码密码密码密码", False),
    ("!!!!!!!!", False), (" " * 12, False), ("-_-_-_-_", False),
    ("abcd1234", True), ("pass-word", True), ("12345678!", True), ("长密码12345", True)])
def test_password_strength(password, ok):
    if ok:
        service.check_password_strength(password)
    else:
        with pytest.raises(AuthError):
            service.check_password_strength(password)


def test_set_password_ends_every_login_of_the_user(session, world):
    user, other = world.user("accountant"), world.user("accountant2")
    keys = [begin(session, user), begin(session, user)]
    others = begin(session, other)
    assert all(opens(session, k) is user for k in keys)
    with transaction(session):
        set_password(session, actor=user, user=user, password="new-pass-456")
    assert [opens(session, k) for k in keys] == [None, None]  # the route then begins a new login for its browser
    assert opens(session, others) is other
    assert login(session, "accountant", PASSWORD)[0] is None
    assert login(session, "accountant", "new-pass-456")[0] is user
    assert audit_count(session, "user.password") == 1


def test_weak_new_password_refused_and_logins_kept(session, world):
    user = world.user("accountant")
    key = begin(session, user)
    with pytest.raises(AuthError), transaction(session):
        set_password(session, actor=user, user=user, password="short")
    assert opens(session, key) is user


@pytest.mark.parametrize("key", ["", "abc", "1:", "999:whatever", "x:y", "1:" + "a" * 43, ":", "1"])
def test_bad_login_keys(session, world, key):
    begin(session, world.user("head"))
    assert check_login(session, key, now=T0, agent=AGENT) == (None, "unknown")


def test_a_login_key_with_a_wrong_secret_is_unknown(session, world):
    login_id, _, secret = begin(session, world.user("head")).partition(":")
    assert check_login(session, f"{login_id}:{secret[:-1]}x", now=T0, agent=AGENT) == (None, "unknown")


def test_a_login_expires_after_its_lifetime_and_is_bound_to_its_browser(session, world):
    head = world.user("head")
    key = begin(session, head)
    assert opens(session, key, now=T0 + timedelta(hours=7, minutes=59)) is head
    assert check_login(session, key, now=T0 + timedelta(hours=8), agent=AGENT) == (None, "expired")
    assert check_login(session, key, now=T0, agent="curl/8.5") == (None, "foreign")
    assert check_login(session, key, now=T0, agent=None) == (None, "foreign")


def test_old_login_rows_are_deleted_when_someone_logs_in(session, world):
    from sqlalchemy import func, select

    from threeassets.auth.models import LoginSession
    head = world.user("head")
    begin(session, head, now=T0)
    begin(session, head, now=T0 + timedelta(days=20))
    begin(session, head, now=T0 + timedelta(days=30, hours=8, minutes=1))  # the first expired 30 days ago
    assert session.scalar(select(func.count()).select_from(LoginSession)) == 2


def test_deactivation_ends_logins(session, world):
    head, clerk = world.user("head"), world.user("clerk")
    key = begin(session, clerk)
    with transaction(session):
        service.update_user(session, actor=head, user=clerk, display_name="clerk", role=Role.WINDOW_CLERK,
                            township_id=world.township_a.id, village_id=None, active=False)
    assert check_login(session, key, now=T0, agent=AGENT) == (None, "ended")


def test_ending_a_users_logins_is_audited_and_scoped(session, world):
    victim = world.user("accountant_b")
    key = begin(session, victim)
    with pytest.raises(AuthError, match="本乡镇"), transaction(session):
        service.end_user_logins(session, actor=world.user("head"), user=victim, now=T0)
    assert opens(session, key) is victim and audit_count(session, "user.logins_end") == 0
    with transaction(session):
        assert service.end_user_logins(session, actor=world.user("head_b"), user=victim, now=T0) == 1
    assert opens(session, key) is None and audit_count(session, "user.logins_end") == 1


# ---------------------------------------------------------------- who may create whom

def make(session, world, actor, role, township=None, village=None, username="new_user"):
    """create_user by an actor, committed."""
    with transaction(session):
        return create_user(session, actor=world.user(actor), username=username, display_name="新用户",
                           password="abcd1234", role=role, township_id=township.id if township else None,
                           village_id=village.id if village else None)


def test_head_creates_users_of_his_township_and_its_villages(session, world):
    acct = make(session, world, "head", Role.AGENCY_ACCOUNTANT, township=world.township_a)
    assert acct.township_id == world.township_a.id and acct.village_id is None
    vacct = make(session, world, "head", Role.VILLAGE_ACCOUNTANT, village=world.a2, username="v2")
    assert (vacct.township_id, vacct.village_id) == (world.township_a.id, world.a2.id)  # township filled in


@pytest.mark.parametrize("role, township, village, message", [
    (Role.AGENCY_ACCOUNTANT, "township_b", None, "本乡镇"),
    (Role.VILLAGE_ACCOUNTANT, None, "b1", "本乡镇"),
    (Role.ADMIN, None, None, "无权授予"),
    (Role.COUNTY_SUPERVISOR, None, None, "无权授予"),
    (Role.REVIEWER, None, None, "须归属一个乡镇"),
    (Role.REVIEWER, "township_a", "a1", "须归属一个乡镇"),
    (Role.VILLAGE_BOARD, None, None, "须归属一个村"),
])
def test_head_refused(session, world, role, township, village, message):
    before = len(world.users)
    with pytest.raises(AuthError, match=message):
        make(session, world, "head", role, township=getattr(world, township) if township else None,
             village=getattr(world, village) if village else None)
    assert len(world.users) == before and audit_count(session, "user.create") == 11


def test_admin_may_grant_any_role(session, world):
    assert make(session, world, "admin", Role.ADMIN).role == Role.ADMIN
    assert make(session, world, "admin", Role.AGENCY_HEAD, township=world.township_b, username="h2").township_id \
        == world.township_b.id


def test_duplicate_username_refused(session, world):
    with pytest.raises(AuthError, match="已存在"):
        make(session, world, "head", Role.WINDOW_CLERK, township=world.township_a, username="clerk")


def test_head_cannot_reset_a_password_in_another_township(session, world):
    with pytest.raises(AuthError, match="本乡镇"), transaction(session):
        set_password(session, actor=world.user("head"), user=world.user("accountant_b"), password="abcd12345")
    assert login(session, "accountant_b", PASSWORD)[0] is world.user("accountant_b")


def test_head_cannot_demote_himself(session, world):
    head = world.user("head")
    with pytest.raises(AuthError, match="自己"), transaction(session):
        service.update_user(session, actor=head, user=head, display_name="head", role=Role.REVIEWER,
                            township_id=world.township_a.id, village_id=None, active=True)
