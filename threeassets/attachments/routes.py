"""Download of one attachment: within the village's scope (another village's file answers 404), and only for a
role that may open the record holding it (core.hooks.attachment_owner: the owning feature answers)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, g
from flask_login import current_user

from threeassets.attachments.models import Attachment
from threeassets.attachments.rules import read_refusal
from threeassets.auth.access import village_view
from threeassets.auth.rules import permissions_of
from threeassets.core import hooks
from threeassets.core.db import db
from threeassets.core.tenancy import get_owned

bp = Blueprint("attachments", __name__, url_prefix="/v/<int:village_id>/attachments")
BLUEPRINTS = (bp,)


@bp.get("/<int:attachment_id>")
@village_view("attachments.read")
def download(village_id, attachment_id):
    """Send the file inline (images and PDFs open in the browser), with a safe download name."""
    att = get_owned(db.session, Attachment, attachment_id, g.village.id)
    owner = hooks.answers(hooks.attachment_owner, att, session=db.session, role=current_user.role)
    if refusal := read_refusal(owner, permissions_of(current_user.role)):
        abort(refusal)
    resp = Response(att.data, mimetype=att.content_type)
    resp.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(att.filename)}"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
