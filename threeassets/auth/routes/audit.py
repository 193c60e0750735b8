"""The audit log page."""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from threeassets.auth.access import requires
from threeassets.auth.routes import bp
from threeassets.core.audit import AuditEvent
from threeassets.core.db import db
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.orgs.models import Village


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
    page = paginate(db.session, q, arg_page(), current_app.config["PAGE_SIZE"])
    ids = {e.village_id for e in page.items if e.village_id}
    names = dict(db.session.execute(select(Village.id, Village.name).where(Village.id.in_(ids))).all()) if ids else {}
    return render_template("auth/audit.html", page=page, action=action, actor=actor, village_names=names)
