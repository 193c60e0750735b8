"""Access: which villages and townships a user may open, and the view decorators that check role and scope
before a view runs (out of scope → 404, the same as a missing row; role lacking the permission → 403)."""
from __future__ import annotations

from functools import wraps

from flask import abort, g
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from threeassets.auth.rules import can, covers_township, covers_village
from threeassets.core.db import db
from threeassets.orgs.models import Township, Village


def user_covers_village(user, village: Village) -> bool:
    """Whether the logged-in user's scope includes this village."""
    return covers_village(user.role, user.township_id, user.village_id, village.township_id, village.id)


# What a user may open, by the user's scope: statements built once per process (the home page asks on every visit).
_VILLAGES = {"all": select(Village).order_by(Village.code),
             "village": select(Village).where(Village.id == bindparam("org")),
             "township": select(Village).where(Village.township_id == bindparam("org")).order_by(Village.code)}
_TOWNSHIPS = {"all": select(Township).order_by(Township.code),
              "township": select(Township).where(Township.id == bindparam("org"))}


def visible_villages(session, user) -> list[Village]:
    """The villages a user may open, in code order."""
    if user.village_id is not None:
        return list(session.scalars(_VILLAGES["village"], {"org": user.village_id}))
    if user.township_id is not None:
        return list(session.scalars(_VILLAGES["township"], {"org": user.township_id}))
    return list(session.scalars(_VILLAGES["all"]))


def visible_townships(session, user) -> list[Township]:
    """The townships whose consolidated views a user may open."""
    if user.township_id is not None:
        return list(session.scalars(_TOWNSHIPS["township"], {"org": user.township_id}))
    if user.village_id is not None:
        return []
    return list(session.scalars(_TOWNSHIPS["all"]))


def _scoped_view(permission: str, arg: str, load, covers, attr: str):
    """Decorator factory: load the org named by the URL argument; out of scope → 404, lacking role → 403."""
    def deco(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            org = load(kwargs[arg])
            if org is None or not covers(current_user, org):
                abort(404)
            if not can(current_user.role, permission):
                abort(403)
            setattr(g, attr, org)
            return view(*args, **kwargs)
        wrapper.required_permission = permission
        return wrapper
    return deco


_WITH_TOWNSHIP = (joinedload(Village.township),)  # every page's header names the village's township


def village_view(permission: str):
    """Load g.village from the URL's village_id: out of scope → 404, role lacking permission → 403."""
    return _scoped_view(permission, "village_id", lambda i: db.session.get(Village, i, options=_WITH_TOWNSHIP),
                        user_covers_village, "village")


def township_view(permission: str):
    """Load g.township from the URL's township_id with the same 404/403 rules."""
    return _scoped_view(permission, "township_id", lambda i: db.session.get(Township, i),
                        lambda u, t: covers_township(u.role, u.township_id, t.id), "township")


def requires(permission: str):
    """Plain role check for views without a village or township in the URL."""
    def deco(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not can(current_user.role, permission):
                abort(403)
            return view(*args, **kwargs)
        wrapper.required_permission = permission
        return wrapper
    return deco


def may_open(endpoint: str) -> bool:
    """Whether the current user's role holds the permission the endpoint's view requires (its scope is the
    caller's to check): a page links only where the user may go."""
    from flask import current_app
    view = current_app.view_functions.get(endpoint)
    permission = getattr(view, "required_permission", None)
    return view is not None and (permission is None or can(current_user.role, permission))
