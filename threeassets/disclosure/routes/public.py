"""Public pages, no login (notice-board kiosk and the QR code's address): published notices and verification.

Only notices that were published (published or archived, with their stored PDF) appear; the code of a draft or
of a notice under review answers 404 like a code that does not exist.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from threeassets.core.db import db
from threeassets.disclosure import published, service
from threeassets.disclosure.forms import CheckCopyForm
from threeassets.disclosure.models import Disclosure
from threeassets.disclosure.routes import public_bp
from threeassets.orgs.models import Township, Village


# /public itself is the kiosk's home (threeassets/kiosk), whose 村务公开 lists a township's villages too.
@public_bp.get("/public/villages")
def public_index():
    """财务公开查询: townships and their villages, large buttons for a touch screen."""
    townships = list(db.session.scalars(select(Township).options(selectinload(Township.villages))
                                        .order_by(Township.code)))
    return render_template("disclosure/public_index.html", townships=townships,
                           counts=published.published_counts(db.session))


@public_bp.get("/public/villages/<int:village_id>")
def public_village(village_id: int):
    """A village's published notices, newest period first, corrected versions marked."""
    village = db.session.get(Village, village_id)
    if village is None:
        abort(404)
    notices = published.published_notices(db.session, village.id)
    return render_template("disclosure/public_village.html", village=village, notices=notices,
                           period_labels=published.period_labels(notices))


def _notice_or_404(code: str) -> Disclosure:
    """The published notice of a verify code, else 404 (drafts and notices under review included)."""
    notice = service.published_by_code(db.session, code)
    if notice is None:
        abort(404)
    return notice


def _verify_page(notice: Disclosure, form: CheckCopyForm, result: dict | None = None, status: int = 200):
    """The verification page, with the result of a checked copy when there is one."""
    newer = None
    if notice.superseded_by_id:
        newer = db.session.scalar(select(Disclosure).where(
            Disclosure.id == notice.superseded_by_id, Disclosure.village_id == notice.village_id))
    village = db.session.get(Village, notice.village_id)
    return render_template("disclosure/verify.html", notice=notice, village=village, newer=newer, form=form,
                           result=result, period_label=published.period_labels([notice])[notice.period]), status


# Frozen: /verify/<code> is the path in the QR codes printed on notices (service.verify_url); it must never move.
@public_bp.get("/verify/<code>")
def verify(code: str):
    """What the QR code opens: village, period, publication date, version, SHA-256, the published PDF."""
    return _verify_page(_notice_or_404(code), CheckCopyForm())


@public_bp.post("/verify/<code>")
def verify_copy(code: str):
    """Compare an uploaded PDF with the published one by SHA-256: a changed byte fails."""
    notice = _notice_or_404(code)
    form = CheckCopyForm()
    upload = form.file.data
    if not form.validate() or upload is None or not getattr(upload, "filename", ""):
        form.file.errors = ["请选择要核对的 PDF 文件"]
        return _verify_page(notice, form, status=422)
    data = upload.read()
    same, digest = service.matches(notice, data)
    result = {"match": same, "sha256": digest, "size": len(data), "filename": upload.filename}
    return _verify_page(notice, form, result)


@public_bp.get("/verify/<code>/pdf")
def verify_pdf(code: str):
    """The published PDF, exactly the bytes stored at publication."""
    notice = _notice_or_404(code)
    village = db.session.get(Village, notice.village_id)
    name = published.pdf_name(village, notice)
    return Response(notice.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})
