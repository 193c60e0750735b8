"""The kiosk's home and its 党务公开 / 政务公开: published notices of the township, their files. No login.

A draft or withdrawn notice, and its files, answer 404 like a notice that does not exist.
"""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from threeassets.core.db import db
from threeassets.core.web import CSP
from threeassets.kiosk import rules, service
from threeassets.kiosk.routes import count, kiosk_township, page, public_bp
from threeassets.orgs.models import Township

SECTIONS = [("party", "党务公开", "党", "党组织建设、党员发展、党费收缴等党内事务"),
            ("gov", "政务公开", "政", "乡镇政府的政策文件、工作安排和办事结果"),
            ("villages", "村务公开", "村", "各村财务公开榜：收入、支出、资产、合同"),
            ("services", "办事公开", "办", "服务事项、所需材料、办理时限、办件进度查询"),
            ("policies", "惠农政策", "惠", "惠农补贴政策、补贴发放名单、我家补贴查询")]


@public_bp.get("/kiosk")  # the address people guess for the 查询机
@public_bp.get("/public")
def chooser():
    """The kiosk's front door (also at /kiosk): straight to the township's home when there is one township, else a
    choice."""
    townships = list(db.session.scalars(select(Township).options(selectinload(Township.villages))
                                        .order_by(Township.code)))
    if len(townships) == 1:
        return redirect(url_for("kiosk_public.home", code=townships[0].code))
    return render_template("kiosk/chooser.html", townships=townships)


@public_bp.get("/public/t/<code>")
def home(code: str):
    """五公开 home: five large tiles."""
    kiosk_township(code)
    count("home", "home")
    tiles = [(key, label, mark, hint, _section_url(code, key)) for key, label, mark, hint in SECTIONS]
    return page("kiosk/home.html", tiles=tiles, is_home=True)


def _section_url(code: str, key: str) -> str:
    """The address of a home tile's section."""
    if key in rules.KINDS:
        return url_for("kiosk_public.notices", code=code, kind=key)
    return url_for(f"kiosk_public.{key}", code=code)


@public_bp.get("/public/t/<code>/<any(party, gov):kind>")
def notices(code: str, kind: str):
    """A township's published 党务 or 政务 notices, newest first."""
    township = kiosk_township(code)
    count(kind, "list")
    rows = service.published(db.session, township.id, kind)
    return page("kiosk/notices.html", kind=kind, label=rules.KINDS[kind], notices=rows,
                back=url_for("kiosk_public.home", code=code))


def _published(township_id: int, notice_id: int):
    """A published notice of the township, or 404."""
    notice = service.published_notice(db.session, township_id, notice_id)
    if notice is None:
        abort(404)
    return notice


@public_bp.get("/public/t/<code>/notices/<int:notice_id>")
def notice(code: str, notice_id: int):
    """One published notice: its text (escaped, line breaks kept) and its files."""
    township = kiosk_township(code)
    row = _published(township.id, notice_id)
    count(row.kind, "notice", row.id)
    return page("kiosk/notice.html", notice=row, label=rules.KINDS[row.kind],
                back=url_for("kiosk_public.notices", code=code, kind=row.kind))


def _file_or_404(code: str, notice_id: int, file_id: int):
    """(township, notice, file) of a published notice, or 404."""
    township = kiosk_township(code)
    row = service.published_file(db.session, township.id, notice_id, file_id)
    if row is None:
        abort(404)
    return township, row


@public_bp.get("/public/t/<code>/notices/<int:notice_id>/files/<int:file_id>")
def notice_file(code: str, notice_id: int, file_id: int):
    """A published notice's file, inline; the kiosk's own pages may frame it (its PDF viewer page)."""
    _township, row = _file_or_404(code, notice_id, file_id)
    return framable(Response(row.data, mimetype=row.content_type), row.filename)


@public_bp.get("/public/t/<code>/notices/<int:notice_id>/files/<int:file_id>/view")
def notice_file_view(code: str, notice_id: int, file_id: int):
    """A PDF file inside a kiosk page, so the home and back buttons stay on screen."""
    _township, row = _file_or_404(code, notice_id, file_id)
    src = url_for("kiosk_public.notice_file", code=code, notice_id=notice_id, file_id=file_id)
    return page("kiosk/pdf.html", title=row.filename, src=src, idle_factor=3,
                back=url_for("kiosk_public.notice", code=code, notice_id=notice_id))


def framable(resp: Response, filename: str) -> Response:
    """A file response that pages of this site may show in a frame (every other response refuses framing)."""
    resp.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    resp.headers["Content-Security-Policy"] = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    return resp
