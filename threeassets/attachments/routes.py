"""Download of one attachment, within the village's scope (another village's file answers 404)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, g

from threeassets.attachments.models import Attachment
from threeassets.auth.access import village_view
from threeassets.core.db import db
from threeassets.core.tenancy import get_owned

bp = Blueprint("attachments", __name__, url_prefix="/v/<int:village_id>/attachments")
BLUEPRINTS = (bp,)


@bp.get("/<int:attachment_id>")
@village_view("attachments.read")
def download(village_id, attachment_id):
    """Send the file inline (images and PDFs open in the browser), with a safe download name."""
    att = get_owned(db.session, Attachment, attachment_id, g.village.id)
    resp = Response(att.data, mimetype=att.content_type)
    resp.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(att.filename)}"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
