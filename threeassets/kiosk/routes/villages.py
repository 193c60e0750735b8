"""村务公开 on the kiosk: the township's villages and each one's published financial notices (disclosure's own
queries: only published notices, with the PDF stored at publication)."""
from __future__ import annotations

from flask import Response, abort, url_for

from threeassets.core.db import db
from threeassets.disclosure import published, service
from threeassets.kiosk.routes import count, kiosk_township, page, public_bp
from threeassets.kiosk.routes.public import framable
from threeassets.orgs.models import Village


@public_bp.get("/public/t/<code>/villages")
def villages(code: str):
    """The township's villages as large buttons, with how many notices each has published."""
    township = kiosk_township(code)
    count("village", "list")
    rows = list(township.villages)
    return page("kiosk/villages.html", villages=rows,
                counts=published.published_counts(db.session, [v.id for v in rows]),
                back=url_for("kiosk_public.home", code=code))


def township_village(township, village_id: int) -> Village:
    """A village of the township, or 404."""
    village = db.session.get(Village, village_id)
    if village is None or village.township_id != township.id:
        abort(404)
    return village


@public_bp.get("/public/t/<code>/villages/<int:village_id>")
def village(code: str, village_id: int):
    """A village's published notices, newest period first, corrected versions marked."""
    township = kiosk_township(code)
    row = township_village(township, village_id)
    count("village", "village", row.id)
    notices = published.published_notices(db.session, row.id)
    return page("kiosk/village.html", village=row, notices=notices, labels=published.period_labels(notices),
                back=url_for("kiosk_public.villages", code=code))


def _notice(code: str, village_id: int, verify_code: str):
    """(village, published notice) of the township's village by the notice's verify code, or 404."""
    row = township_village(kiosk_township(code), village_id)
    notice = service.published_by_code(db.session, verify_code)
    if notice is None or notice.village_id != row.id:
        abort(404)
    return row, notice


@public_bp.get("/public/t/<code>/villages/<int:village_id>/notices/<verify_code>")
def village_notice(code: str, village_id: int, verify_code: str):
    """A published notice's PDF inside a kiosk page (home and back buttons stay on screen)."""
    row, notice = _notice(code, village_id, verify_code)
    label = published.period_labels([notice])[notice.period]
    return page("kiosk/pdf.html", title=f"{row.name} {label}财务公开榜（第{notice.version}版）", idle_factor=3,
                src=url_for("kiosk_public.village_notice_pdf", code=code, village_id=row.id,
                            verify_code=verify_code),
                verify=url_for("disclosure_public.verify", code=notice.verify_code),
                back=url_for("kiosk_public.village", code=code, village_id=row.id))


@public_bp.get("/public/t/<code>/villages/<int:village_id>/notices/<verify_code>/pdf")
def village_notice_pdf(code: str, village_id: int, verify_code: str):
    """The published PDF, the bytes stored at publication (as /verify/<code>/pdf sends them), framable."""
    row, notice = _notice(code, village_id, verify_code)
    return framable(Response(notice.pdf, mimetype="application/pdf"), published.pdf_name(row, notice))
