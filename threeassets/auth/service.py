"""Use cases for people: password hashing, login with throttling, user administration. Never commits."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.auth.models import User
from threeassets.auth.rules import HEAD_GRANTABLE, SCOPE, Role, scope_problem
from threeassets.core.audit import record
from threeassets.core.parse import to_id
from threeassets.orgs.models import Village

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY = _hasher.hash("not-a-password")
MIN_PASSWORD = 8


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


def _verify(user: User | None, password: str) -> bool:
    """Check a password in constant-ish time, also when the user does not exist."""
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str, *, now: datetime, max_failures: int,
                 lock_minutes: int, ip: str | None = None) -> tuple[User | None, str | None]:
    """Check a login: (user, None) or (None, reason); failures count towards a lock and are audited.

    Returns instead of raising so the caller commits the failure count and audit row either way.
    """
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is not None and user.locked_until and user.locked_until > now:
        record(session, "login.locked", actor=user, township_id=user.township_id, village_id=user.village_id, ip=ip)
        return None, "失败次数过多，账号已临时锁定，请稍后再试"
    if not _verify(user, password) or not user.active:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lock_minutes)
                user.failed_logins = 0
            record(session, "login.failed", actor=user, township_id=user.township_id,
                   village_id=user.village_id, ip=ip)
        else:
            record(session, "login.failed", detail={"username": username[:64]}, ip=ip)
        return None, "用户名或密码错误"
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record(session, "login", actor=user, township_id=user.township_id, village_id=user.village_id, ip=ip)
    return user, None


def load_session_user(session: Session, token: str) -> User | None:
    """Flask-Login loader: 'id:token' → active user, or None if the token is stale."""
    uid, _, tok = token.partition(":")
    if to_id(uid) is None:
        return None
    user = session.get(User, to_id(uid))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, tok):
        return None
    return user


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
                password_hash=hash_password(password), township_id=township_id, village_id=village_id,
                session_token=secrets.token_hex(16))
    session.add(user)
    session.flush()
    record(session, "user.create", actor=actor, township_id=township_id, village_id=village_id, obj=user,
           detail={"username": username, "role": role})
    return user


def update_user(session: Session, *, actor: User, user: User, display_name: str, role: str,
                township_id: int | None, village_id: int | None, active: bool) -> None:
    """Change a user's name, role, scope or active flag; deactivation ends their sessions."""
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
        user.session_token = secrets.token_hex(16)
    user.active = active
    record(session, "user.update", actor=actor, township_id=township_id, village_id=village_id, obj=user,
           detail={"before": before, "after": {"role": role, "active": active, "township_id": township_id,
                                               "village_id": village_id}})


def change_own_password(session: Session, *, user: User, current: str, new: str) -> None:
    """A user changes his own password, proving he knows the current one."""
    if not _verify(user, current):
        raise AuthError("当前密码不正确")
    set_password(session, actor=user, user=user, password=new)


def set_password(session: Session, *, actor: User, user: User, password: str) -> None:
    """Set a new password (own or, for admins/heads, a user's); ends the user's other sessions."""
    if actor.id != user.id:
        check_actor_scope(session, actor, user.township_id, user.village_id)
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)
    user.failed_logins, user.locked_until = 0, None
    record(session, "user.password", actor=actor, township_id=user.township_id, village_id=user.village_id,
           obj=user)
