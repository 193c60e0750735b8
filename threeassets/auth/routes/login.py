"""Login, logout and one's own password; the device cookie that tells the owner's browsers from strangers."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadData, URLSafeTimedSerializer

from threeassets.auth import service
from threeassets.auth.forms import LoginForm, PasswordForm
from threeassets.auth.models import User
from threeassets.auth.routes import bp
from threeassets.auth.rules import LOGIN_THROTTLE, remembered
from threeassets.core import clock
from threeassets.core.audit import record
from threeassets.core.db import db, transaction


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    # Browsers read "/\\host" and "/<tab>/host" as "//host", so backslashes and control characters are refused too.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and target.isprintable():
        return target
    return url_for("home")


def _start_login(user: User) -> None:
    """A new login for this browser (in the caller's transaction), then a fresh cookie carrying it."""
    service.start_login(db.session, user, now=clock.now(), lifetime=current_app.config["PERMANENT_SESSION_LIFETIME"],
                        ip=request.remote_addr, agent=request.headers.get("User-Agent"))


# The device cookie: a browser that has logged in remembers (signed, for a year) a random id of its own and the
# usernames it logged in as. While an account is guessed at from many addresses, only these browsers are not held
# back (auth.rules.LOGIN_THROTTLE, strangers). It opens nothing by itself: the password is still asked.
# Its name is config DEVICE_COOKIE_NAME (ta_device; __Host-ta_device over HTTPS).
DEVICE_LIFETIME = timedelta(days=365)


def _device_serializer() -> URLSafeTimedSerializer:
    """Signs the device cookie with the app's secret key (a forged or altered one reads as no cookie)."""
    return URLSafeTimedSerializer(current_app.secret_key, salt="threeassets.device")


def _device() -> tuple[str | None, list[str]]:
    """This browser's device id and the usernames it has logged in as; (None, []) without a valid cookie."""
    raw = request.cookies.get(current_app.config["DEVICE_COOKIE_NAME"])
    if not raw:
        return None, []
    try:
        data = _device_serializer().loads(raw, max_age=int(DEVICE_LIFETIME.total_seconds()))
    except BadData:
        return None, []
    device, names = (data.get("d"), data.get("u")) if isinstance(data, dict) else (None, None)
    if not isinstance(device, str) or not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None, []
    return device, names


def _remember_device(resp, device: str | None, names: list[str], username: str):
    """Renew the device cookie with `username` among its names (a new device id for a browser without one)."""
    value = _device_serializer().dumps({"d": device or secrets.token_urlsafe(16), "u": remembered(names, username)})
    resp.set_cookie(current_app.config["DEVICE_COOKIE_NAME"], value, max_age=int(DEVICE_LIFETIME.total_seconds()),
                    httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
    return resp


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password; failures make the guessing address wait longer and longer."""
    form = LoginForm()
    if form.validate_on_submit():
        device, names = _device()
        with transaction(db.session):
            result = service.authenticate(db.session, form.username.data, form.password.data, now=clock.now(),
                                          ip=request.remote_addr,
                                          policy=current_app.config.get("LOGIN_THROTTLE", LOGIN_THROTTLE),
                                          device=device if form.username.data.strip() in names else None)
            if result.user is not None:
                _start_login(result.user)
        if result.error:
            flash(result.error, "danger")
            return render_template("auth/login.html", form=form), 429 if result.wait else 401
        session.clear()
        session.permanent = True
        login_user(result.user)
        return _remember_device(redirect(_safe_next(request.args.get("next"))), device, names, result.user.username)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out (POST with CSRF, so no link can log a user out): the login ends on the server, so a copy of the
    cookie taken before opens nothing after."""
    with transaction(db.session):
        service.end_login(db.session, current_user.login_key, now=clock.now())
        record(db.session, "logout", actor=current_user, township_id=current_user.township_id,
               village_id=current_user.village_id, ip=request.remote_addr)
    logout_user()
    session.clear()
    flash("已退出登录", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password: every login of the user ends, and this browser gets a new one."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            with transaction(db.session):
                me = db.session.get(User, current_user.id)
                service.change_own_password(db.session, user=me, current=form.current.data,
                                            new=form.password.data, now=clock.now())
                _start_login(me)
        except service.AuthError as exc:
            (form.current if "当前密码" in str(exc) else form.password).errors.append(str(exc))
        else:
            session.clear()
            session.permanent = True
            login_user(me)
            flash("密码已修改", "success")
            return redirect(url_for("home"))
    return render_template("auth/password.html", form=form)
