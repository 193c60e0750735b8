"""User administration: the admin for everyone, an agency head for the township's users."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from threeassets.auth import service
from threeassets.auth.access import requires, visible_townships, visible_villages
from threeassets.auth.forms import UserForm
from threeassets.auth.models import User
from threeassets.auth.routes import bp
from threeassets.auth.rules import ROLE_LABELS, Role
from threeassets.core import clock
from threeassets.core.db import db, transaction
from threeassets.core.pagination import paginate, search_filters
from threeassets.core.params import arg_page


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
    q = search_filters(_managed_users_query(), request.args, words=(User.username, User.display_name))
    term = request.args.get("q", "").strip()
    page = paginate(db.session, q, arg_page(), current_app.config["PAGE_SIZE"])
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
    """Edit a user's name, role, scope and active flag; optionally reset the password. The page lists the user's
    open logins, with a button that ends them all."""
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
    return render_template("auth/user_form.html", form=form, user=user,
                           logins=service.open_logins(db.session, user, clock.now()))


@bp.post("/users/<int:user_id>/logins/end")
@requires("users.manage")
def user_logins_end(user_id: int):
    """End every open login of a user at once (a lost phone, a shared computer, a clerk who left); audited."""
    with transaction(db.session):
        user = _get_managed(user_id)
        ended = service.end_user_logins(db.session, actor=current_user, user=user, now=clock.now())
    flash(f"已结束用户 {user.username} 的 {ended} 个登录会话" if ended
          else f"用户 {user.username} 没有未结束的登录会话", "success")
    return redirect(url_for(".user_edit", user_id=user_id))
