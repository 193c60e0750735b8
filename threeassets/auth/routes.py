"""Login, logout, own password, user administration and the audit log."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from threeassets.auth import service
from threeassets.auth.access import requires, visible_townships, visible_villages
from threeassets.auth.forms import LoginForm, PasswordForm, UserForm
from threeassets.auth.models import User
from threeassets.auth.rules import ROLE_LABELS, Role, can
from threeassets.core.audit import AuditEvent, record
from threeassets.core.db import db, transaction
from threeassets.core.pagination import paginate
from threeassets.extensions import login_manager
from threeassets.orgs.models import Village

bp = Blueprint("auth", __name__)
BLUEPRINTS = (bp,)


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


def _managed_users_query():
    """Users the current user may manage: all for admins, the township's for agency heads."""
    q = select(User).options(selectinload(User.township), selectinload(User.village)).order_by(User.username)
    if current_user.role != Role.ADMIN:
        q = q.where(User.township_id == current_user.township_id)
    return q


def _get_managed(user_id: int) -> User:
    """Load a user the current user may manage, else 404."""
    user = db.session.scalar(_managed_users_query().where(User.id == user_id))
    if user is None:
        abort(404)
    return user


def _fill_choices(form: UserForm) -> None:
    """Role, township and village choices limited to what the current user may grant."""
    form.role.choices = [(r.value, ROLE_LABELS[r]) for r in service.grantable_roles(current_user)]
    form.township_id.choices = [("", "—")] + [(t.id, t.name) for t in visible_townships(db.session, current_user)]
    form.village_id.choices = [("", "—")] + [(v.id, f"{v.township.name} · {v.name}")
                                              for v in visible_villages(db.session, current_user)]


@bp.get("/users")
@requires("users.manage")
def users():
    """The users of the agency (all users for admins), searchable and paginated."""
    q = _managed_users_query()
    term = request.args.get("q", "").strip()
    if term:
        q = q.where(or_(User.username.contains(term), User.display_name.contains(term)))
    page = paginate(db.session, q, request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"])
    return render_template("auth/users.html", page=page, term=term)


@bp.route("/users/new", methods=["GET", "POST"])
@requires("users.manage")
def user_new():
    """Create a user with a role and scope."""
    form = UserForm()
    _fill_choices(form)
    if request.method == "GET" and current_user.township_id:
        form.township_id.data = current_user.township_id
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append("请设置初始密码")
        else:
            try:
                with transaction(db.session):
                    service.create_user(db.session, actor=current_user, username=form.username.data,
                                        display_name=form.display_name.data, password=form.password.data,
                                        role=form.role.data, township_id=form.township_id.data,
                                        village_id=form.village_id.data)
            except service.AuthError as exc:
                flash(str(exc), "danger")
            else:
                flash("用户已创建", "success")
                return redirect(url_for(".users"))
    return render_template("auth/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("users.manage")
def user_edit(user_id: int):
    """Edit a user's name, role, scope and active flag; optionally reset the password."""
    user = _get_managed(user_id)
    form = UserForm(obj=user)
    _fill_choices(form)
    form.username.data = user.username
    if form.validate_on_submit():
        try:
            with transaction(db.session):
                user = _get_managed(user_id)
                service.update_user(db.session, actor=current_user, user=user,
                                    display_name=form.display_name.data, role=form.role.data,
                                    township_id=form.township_id.data, village_id=form.village_id.data,
                                    active=form.active.data)
                if form.password.data:
                    service.set_password(db.session, actor=current_user, user=user, password=form.password.data)
        except service.AuthError as exc:
            flash(str(exc), "danger")
        else:
            flash("用户已保存", "success")
            return redirect(url_for(".users"))
    return render_template("auth/user_form.html", form=form, user=user)


@bp.get("/audit")
@requires("audit.read")
def audit():
    """The audit log of the user's township (everything for admins and supervisors), newest first."""
    q = select(AuditEvent).order_by(AuditEvent.id.desc())
    if current_user.township_id is not None:
        q = q.where(AuditEvent.township_id == current_user.township_id)
    action = request.args.get("action", "").strip()
    actor = request.args.get("actor", "").strip()
    if action:
        q = q.where(AuditEvent.action.startswith(action))
    if actor:
        q = q.where(AuditEvent.actor_name == actor)
    page = paginate(db.session, q, request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"])
    ids = {e.village_id for e in page.items if e.village_id}
    names = dict(db.session.execute(select(Village.id, Village.name).where(Village.id.in_(ids))).all()) if ids else {}
    return render_template("auth/audit.html", page=page, action=action, actor=actor, village_names=names)
