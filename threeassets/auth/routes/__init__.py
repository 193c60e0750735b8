"""Access pages: login, logout and one's own password (login.py), user administration (users.py), the
administrator's townships and villages (orgs.py) and the audit log (audit.py). The blueprints are made here;
each module adds its views to them. Also here: what every page may ask about the user (can, role names), the
session loader and the 8-hour limit of a login."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, flash, session
from flask_login import current_user, logout_user

from threeassets.auth import service
from threeassets.auth.rules import ROLE_LABELS, can
from threeassets.core.db import db
from threeassets.extensions import login_manager

bp = Blueprint("auth", __name__)
orgs_bp = Blueprint("orgs", __name__, url_prefix="/orgs")
BLUEPRINTS = (bp, orgs_bp)
@bp.app_context_processor
def _access_context():
    """What every page may ask about the user: can('voucher.post'), and the role names."""
    return {"can": lambda perm: current_user.is_authenticated and can(current_user.role, perm),
            "ROLE_LABELS": ROLE_LABELS}


@login_manager.user_loader
def _load(token: str):
    """Flask-Login loader."""
    return service.load_session_user(db.session, token)


@bp.before_app_request
def _expire_old_sessions():
    """Sessions end 8 hours after login, however active (the cookie lifetime alone would slide)."""
    if current_user.is_authenticated:
        started = session.get("login_at", 0)
        limit = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
        if datetime.now().timestamp() - started > limit:
            logout_user()
            session.clear()
            flash("登录已超过8小时，请重新登录", "warning")


from threeassets.auth.routes import audit, login, orgs, users  # noqa: E402, F401  (their views join the blueprints)
