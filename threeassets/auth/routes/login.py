"""Login, logout and one's own password."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from threeassets.auth import service
from threeassets.auth.forms import LoginForm, PasswordForm
from threeassets.auth.models import User
from threeassets.auth.routes import bp
from threeassets.core.audit import record
from threeassets.core.db import db, transaction


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login."""
    # Browsers read "/\\host" and "/<tab>/host" as "//host", so backslashes and control characters are refused too.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and target.isprintable():
        return target
    return url_for("home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with username and password; repeated failures lock the account for a while."""
    form = LoginForm()
    if form.validate_on_submit():
        with transaction(db.session):
            user, error = service.authenticate(
                db.session, form.username.data, form.password.data, now=datetime.now(),
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"], ip=request.remote_addr)
        if error:
            flash(error, "danger")
            return render_template("auth/login.html", form=form), 401
        session.clear()
        session.permanent = True
        session["login_at"] = datetime.now().timestamp()
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out (POST with CSRF, so no link can log a user out)."""
    with transaction(db.session):
        record(db.session, "logout", actor=current_user, township_id=current_user.township_id,
               village_id=current_user.village_id, ip=request.remote_addr)
    logout_user()
    session.clear()
    flash("已退出登录", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            with transaction(db.session):
                me = db.session.get(User, current_user.id)
                service.change_own_password(db.session, user=me, current=form.current.data,
                                            new=form.password.data)
        except service.AuthError as exc:
            (form.current if "当前密码" in str(exc) else form.password).errors.append(str(exc))
        else:
            login_user(me)
            flash("密码已修改", "success")
            return redirect(url_for("home"))
    return render_template("auth/password.html", form=form)
