"""Access pages: login, logout and one's own password (login.py), user administration (users.py), the
administrator's townships and villages (orgs.py) and the audit log (audit.py). The blueprints are made here;
each module adds its views to them. Also here: what every page may ask about the user (can, role names), and
the loader that checks each request's login on the server (ended, past its 8 hours, or from another browser:
not logged in)."""
from __future__ import annotations

from flask import Blueprint, flash, g, request, session
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select

from threeassets.auth import service
from threeassets.auth.models import LoginSession, User
from threeassets.auth.rules import ROLE_LABELS, can
from threeassets.core import clock
from threeassets.core.db import db
from threeassets.extensions import login_manager

bp = Blueprint("auth", __name__)
orgs_bp = Blueprint("orgs", __name__, url_prefix="/orgs")
BLUEPRINTS = (bp, orgs_bp)


@bp.record_once
def _dummy_hash_ready(_state) -> None:
    """The web app makes the unknown-user hash as it is built (not on its first login, which would then take
    longer for an unknown name than for a known one); the command line never makes it (service.dummy_hash)."""
    service.dummy_hash()


@bp.app_template_global("can")
def _can(permission: str) -> bool:
    """What every template (macros imported without context too) may ask: can('voucher.post')."""
    return current_user.is_authenticated and can(current_user.role, permission)


@bp.app_context_processor
def _access_context():
    """The role names every page may show."""
    return {"ROLE_LABELS": ROLE_LABELS}


# The login row and its user in one query, built once per process: every page asks it first.
_LOGIN_AND_USER = (select(LoginSession, User).join(User, User.id == LoginSession.user_id)
                   .where(LoginSession.id == bindparam("login_id")))


@login_manager.user_loader
def _load(key: str):
    """Flask-Login loader: the request's login, checked against its row (auth.service.check_login). The row and
    the user are read together first, so the checks find both in the session without a query of their own."""
    login_id = (key or "").partition(":")[0]
    # held while the checks run: the session's identity map keeps only objects referenced elsewhere
    loaded = db.session.execute(_LOGIN_AND_USER, {"login_id": int(login_id)}).first() if login_id.isdigit() else None
    user, why = service.check_login(db.session, key, now=clock.now(), agent=request.headers.get("User-Agent"))
    del loaded
    if why:
        g.login_refused = why
    return user


# What a person whose login was refused is told (a login that is merely unknown, e.g. a forged or very old
# cookie, or one from another browser, is sent to the login page without a word).
REFUSED = {"expired": "登录已超过8小时，请重新登录",
           "ended": "登录已结束（已退出、修改了密码或被管理员结束），请重新登录"}


@bp.before_app_request
def _forget_refused_login():
    """A refused login leaves the browser's cookie: clear it, and say why when the person should know."""
    if current_user.is_authenticated or not g.get("login_refused"):
        return
    why = g.pop("login_refused")
    logout_user()
    session.clear()
    if why in REFUSED:
        flash(REFUSED[why], "warning")


from threeassets.auth.routes import audit, login, orgs, users  # noqa: E402, F401  (their views join the blueprints)
