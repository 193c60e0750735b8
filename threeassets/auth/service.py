"""Use cases for people: password hashing, login with throttling, logins kept and ended on the server, user
administration. Never commits."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from threeassets.auth.models import LoginSession, User
from threeassets.auth.rules import HEAD_GRANTABLE, LOGIN_THROTTLE, SCOPE, Role, scope_problem
from threeassets.core import clock, throttle
from threeassets.core.audit import record
from threeassets.core.backoff import NO_WAIT, Policy, wait_text
from threeassets.orgs.models import Village

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY: str | None = None  # what an unknown user's password is checked against (dummy_hash)
MIN_PASSWORD = 8
WRONG = "用户名或密码错误"  # the one answer for an unknown user, a wrong password and a deactivated account
THROTTLED = "登录尝试过于频繁，请{wait}后再试"
SCOPE_LOGIN = "login"  # the throttle's scope
KEEP_LOGINS = timedelta(days=30)  # a login row is deleted this long after it expired (the audit log keeps logins)


class AuthError(Exception):
    """A login or user-admin request that cannot be granted; message shown as is."""


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short or have a single kind of character."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"密码至少{MIN_PASSWORD}位")
    # Two kinds at least among letters, digits and other characters ("!!!!!!!!" or spaces are one kind too).
    kinds = (str.isalpha, str.isdigit, lambda c: not c.isalnum())
    if sum(any(kind(c) for c in password) for kind in kinds) < 2:
        raise AuthError("密码须同时包含字母和数字（或符号）")


def dummy_hash() -> str:
    """A hash of a password nobody has, made with the real hasher on first use: an unknown username is checked
    against it, so its login costs what a known one's does. Not made at import: hashing is deliberately slow
    (~0.1–0.4 s), and every command importing this module would pay for it. The web app makes it as it is built
    (auth/routes), so its first login is no slower than the others (docs/architecture.md)."""
    global _DUMMY
    if _DUMMY is None:
        _DUMMY = _hasher.hash("not-a-password")
    return _DUMMY


def _verify(user: User | None, password: str) -> bool:
    """Check a password in constant-ish time, also when the user does not exist."""
    try:
        return _hasher.verify(user.password_hash if user else dummy_hash(), password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt came to: the user, or the error to show (and how long the address must wait)."""

    user: User | None
    error: str | None = None
    wait: timedelta = NO_WAIT


def authenticate(session: Session, username: str, password: str, *, now: datetime, ip: str | None = None,
                 policy: Policy = LOGIN_THROTTLE, device: str | None = None) -> LoginResult:
    """Check a login under the growing delays of auth.rules.LOGIN_THROTTLE; failures are counted and audited.

    `device`: the device cookie of a browser that has logged in as this username before (the login route passes
    it only then); while it has not missed too often, the browser is not held back by the account being guessed
    at from many addresses. An address that owes a wait is refused before the password is looked at (the same
    for any username, so the answer tells nothing about who exists). Otherwise an unknown user, a wrong password
    and a deactivated account get the same words after the same work (a dummy hash is checked when there is no
    user). Returns instead of raising so the caller commits the count and the audit row either way.
    """
    name = username.strip()
    if not throttle.known_device(session, policy, SCOPE_LOGIN, device, now):
        device = None
    owed = throttle.wait(session, SCOPE_LOGIN, name, ip, now, known=device is not None)
    if owed > NO_WAIT:
        return LoginResult(None, THROTTLED.format(wait=wait_text(owed)), owed)
    user = session.scalar(select(User).where(User.username == name))
    if not _verify(user, password) or not user.active:
        owed = throttle.failed(session, policy, SCOPE_LOGIN, name, ip, now, device=device)
        detail = {"wait_seconds": int(owed.total_seconds())} if owed > NO_WAIT else {}
        if user is not None:
            record(session, "login.failed", actor=user, township_id=user.township_id,
                   village_id=user.village_id, ip=ip, detail=detail or None)
        else:
            record(session, "login.failed", detail={"username": name[:64], **detail}, ip=ip)
        return LoginResult(None, WRONG)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    throttle.succeeded(session, SCOPE_LOGIN, name, ip, now, device=device)
    user.last_login_at = now
    record(session, "login", actor=user, township_id=user.township_id, village_id=user.village_id, ip=ip)
    return LoginResult(user)


# ---------------------------------------------------------------- logins kept on the server

def _digest(text: str) -> str:
    """SHA-256 hex of a text (a login's secret, a browser's User-Agent)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def start_login(session: Session, user: User, *, now: datetime, lifetime: timedelta, ip: str | None,
                agent: str | None) -> str:
    """Begin a login: a row with the SHA-256 of a fresh secret; returns "<login id>:<secret>" for the cookie (and
    sets it as the user's login_key, which Flask-Login stores). Rows expired more than KEEP_LOGINS ago go."""
    session.execute(delete(LoginSession).where(LoginSession.expires_at < now - KEEP_LOGINS))
    secret = secrets.token_urlsafe(32)
    row = LoginSession(user_id=user.id, secret_hash=_digest(secret), agent_hash=_digest(agent or ""),
                       agent=(agent or "")[:200], ip=ip, started_at=now, expires_at=now + lifetime)
    session.add(row)
    session.flush()
    user.login_key = f"{row.id}:{secret}"
    return user.login_key


def _login_row(session: Session, key: str | None) -> LoginSession | None:
    """The login a cookie's key names, if its secret matches."""
    login_id, _, secret = (key or "").partition(":")
    if not login_id.isdigit() or not secret:
        return None
    row = session.get(LoginSession, int(login_id))
    if row is None or not secrets.compare_digest(row.secret_hash, _digest(secret)):
        return None
    return row


def check_login(session: Session, key: str, *, now: datetime, agent: str | None) -> tuple[User | None, str | None]:
    """The user of a request's login, or (None, why): "unknown" (no such login), "ended" (logged out, ended by
    an administrator, a password change or a deactivation), "expired" (its 8 hours are over) or "foreign" (the
    cookie comes from another browser than the one that logged in)."""
    row = _login_row(session, key)
    if row is None:
        return None, "unknown"
    user = session.get(User, row.user_id)
    if row.ended_at is not None or user is None or not user.active:
        return None, "ended"
    if row.expires_at <= now:
        return None, "expired"
    if not secrets.compare_digest(row.agent_hash, _digest(agent or "")):
        return None, "foreign"
    user.login_key = key
    return user, None


def end_login(session: Session, key: str | None, *, now: datetime, reason: str = "logout") -> None:
    """End one login (logging out): its cookie opens nothing any more, wherever a copy of it is."""
    row = _login_row(session, key)
    if row is not None and row.ended_at is None:
        row.ended_at, row.end_reason = now, reason


def open_logins(session: Session, user: User, now: datetime) -> list[LoginSession]:
    """A user's logins that are still open (not ended, not expired), newest first."""
    q = (select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None),
                                    LoginSession.expires_at > now).order_by(LoginSession.id.desc()))
    return list(session.scalars(q))


def _end_logins(session: Session, user: User, *, now: datetime, reason: str, keep: str | None = None) -> int:
    """End every login of a user not yet ended, except the one `keep` names; returns how many were still open."""
    kept = _login_row(session, keep) if keep else None
    q = select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    ended = 0
    for row in session.scalars(q):
        if kept is None or row.id != kept.id:
            ended += row.expires_at > now
            row.ended_at, row.end_reason = now, reason
    return ended


def end_user_logins(session: Session, *, actor: User, user: User, now: datetime | None = None) -> int:
    """An administrator (or the agency head, for his township's users) ends all of a user's logins at once — a
    lost phone, a shared computer, a clerk who left; audited. Ending one's own keeps the login doing it."""
    if actor.id != user.id:
        check_actor_scope(session, actor, user.township_id, user.village_id)
    now = now or clock.now()
    keep = actor.login_key if actor.id == user.id else None
    ended = _end_logins(session, user, now=now, reason="admin", keep=keep)
    record(session, "user.logins_end", actor=actor, township_id=user.township_id, village_id=user.village_id,
           obj=user, detail={"username": user.username, "ended": ended})
    return ended


def _resolve_scope(session: Session, role: str, township_id: int | None, village_id: int | None):
    """Normalise scope: village users also carry their village's township."""
    if SCOPE.get(role) == "village" and village_id is not None:
        village = session.get(Village, village_id)
        if village is None:
            raise AuthError("村不存在")
        township_id = village.township_id
        problem = None
    else:
        problem = scope_problem(role, township_id, village_id)
    if problem:
        raise AuthError(problem)
    return township_id, village_id


def grantable_roles(actor: User) -> list[Role]:
    """Roles this actor may give: admins any, agency heads the township's and its villages'."""
    return list(Role) if actor.role == Role.ADMIN else list(HEAD_GRANTABLE)


def check_actor_scope(session: Session, actor: User, township_id: int | None, village_id: int | None) -> None:
    """An agency head may only manage users of his own township and its villages."""
    if actor.role == Role.ADMIN:
        return
    if village_id is not None:
        village = session.get(Village, village_id)
        township_id = village.township_id if village else None
    if township_id != actor.township_id:
        raise AuthError("只能管理本乡镇及所辖村的用户")


def create_user(session: Session, *, actor: User | None, username: str, display_name: str, password: str,
                role: str, township_id: int | None = None, village_id: int | None = None) -> User:
    """Create a user with a role and scope; refuses duplicates, weak passwords and bad scopes."""
    username = username.strip()
    if not username or len(username) > 64:
        raise AuthError("用户名不能为空且不超过64字")
    if session.scalar(select(User.id).where(User.username == username)):
        raise AuthError(f"用户名“{username}”已存在")
    if actor is not None and role not in grantable_roles(actor):
        raise AuthError("无权授予该角色")
    check_password_strength(password)
    township_id, village_id = _resolve_scope(session, role, township_id, village_id)
    if actor is not None:
        check_actor_scope(session, actor, township_id, village_id)
    user = User(username=username, display_name=display_name.strip() or username, role=role,
                password_hash=hash_password(password), township_id=township_id, village_id=village_id)
    session.add(user)
    session.flush()
    record(session, "user.create", actor=actor, township_id=township_id, village_id=village_id, obj=user,
           detail={"name": display_name, "username": username, "role": role})
    return user


def update_user(session: Session, *, actor: User, user: User, display_name: str, role: str,
                township_id: int | None, village_id: int | None, active: bool, now: datetime | None = None) -> None:
    """Change a user's name, role, scope or active flag; deactivation ends their logins."""
    check_actor_scope(session, actor, user.township_id, user.village_id)
    if role not in grantable_roles(actor):
        raise AuthError("无权授予该角色")
    if user.id == actor.id and (not active or role != actor.role):
        raise AuthError("不能停用自己或修改自己的角色")
    township_id, village_id = _resolve_scope(session, role, township_id, village_id)
    check_actor_scope(session, actor, township_id, village_id)
    before = {"role": user.role, "active": user.active, "township_id": user.township_id,
              "village_id": user.village_id}
    user.display_name, user.role = display_name.strip() or user.username, role
    user.township_id, user.village_id = township_id, village_id
    if user.active and not active:
        _end_logins(session, user, now=now or clock.now(), reason="deactivated")
    user.active = active
    record(session, "user.update", actor=actor, township_id=township_id, village_id=village_id, obj=user,
           detail={"before": before, "after": {"role": role, "active": active, "township_id": township_id,
                                               "village_id": village_id}})


def change_own_password(session: Session, *, user: User, current: str, new: str, now: datetime | None = None) -> None:
    """A user changes his own password, proving he knows the current one."""
    if not _verify(user, current):
        raise AuthError("当前密码不正确")
    set_password(session, actor=user, user=user, password=new, now=now)


def set_password(session: Session, *, actor: User, user: User, password: str, now: datetime | None = None) -> None:
    """Set a new password (own or, for admins/heads, a user's); ends every login of the user (one changing his
    own password then starts a new one: auth/routes/login.py)."""
    if actor.id != user.id:
        check_actor_scope(session, actor, user.township_id, user.village_id)
    check_password_strength(password)
    user.password_hash = hash_password(password)
    ended = _end_logins(session, user, now=now or clock.now(), reason="password")
    record(session, "user.password", actor=actor, township_id=user.township_id, village_id=user.village_id,
           obj=user, detail={"logins_ended": ended})
