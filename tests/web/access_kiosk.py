"""Access rows of the kiosk: the staff pages of the township's notices and use counts (under /t/<id>/kiosk), and
the public kiosk pages, served without login (tests/web/test_kiosk_*.py test them)."""
from __future__ import annotations

import io
from datetime import date

from tests.web.access_base import TOWNSHIP_READERS, T, r

KIOSK_READERS = TOWNSHIP_READERS | {"clerk"}
KIOSK_EDITORS = {"head", "head_b", "clerk"}
PUBLIC = {"kiosk_public.chooser", "kiosk_public.home", "kiosk_public.notices", "kiosk_public.notice",
          "kiosk_public.notice_file", "kiosk_public.notice_file_view", "kiosk_public.villages",
          "kiosk_public.village", "kiosk_public.village_notice", "kiosk_public.village_notice_pdf",
          "kiosk_public.services", "kiosk_public.guide", "kiosk_public.case", "kiosk_public.policies",
          "kiosk_public.policy", "kiosk_public.payments", "kiosk_public.village_lists", "kiosk_public.village_list",
          "kiosk_public.household"}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010800000000"
                    "3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082")


def make_notice(session, world, village, state: str = "draft", with_file: bool = False,
                title: str = "关于开展党员冬训工作的通知", body: str = "各村党组织：\n请按时参加。") -> int:
    """A notice of the village's township taken to a state (draft, published, withdrawn); returns its id."""
    from threeassets.auth.models import User
    from threeassets.core.db import transaction
    from threeassets.kiosk import rules, service
    name = "clerk" if village.township_id == world.township_a.id else "head_b"
    with transaction(session):
        actor = session.get(User, world.user(name).id)
        notice = service.create(session, village.township_id,
                                rules.NoticeInput("party", title, date(2026, 11, 20).isoformat(), body), actor=actor)
        if with_file:
            service.add_file(session, notice, "附件.png", PNG, actor=actor)
        if state in ("published", "withdrawn"):
            service.publish(session, notice, actor=actor)
        if state == "withdrawn":
            service.withdraw(session, notice, actor=actor)
    notice_id = notice.id
    session.expunge_all()
    return notice_id


def _file(session, world, village, _ctx) -> int:
    """A file of a draft notice of the village's township."""
    from threeassets.kiosk.models import KioskNotice
    notice_id = make_notice(session, world, village, with_file=True)
    file_id = session.get(KioskNotice, notice_id).files[0].id
    session.expunge_all()
    return file_id


NEEDS = {
    "kiosk_draft": lambda s, w, v, c: make_notice(s, w, v),
    "kiosk_published": lambda s, w, v, c: make_notice(s, w, v, "published"),
    "kiosk_withdrawn": lambda s, w, v, c: make_notice(s, w, v, "withdrawn"),
    "kiosk_file": _file,
}


def _notice_form(ctx):
    ctx["serial"] += 1
    return {"kind": "gov", "title": f"政务公告{ctx['serial']}", "notice_date": "2026-11-20", "body": "正文\n第二行"}


def _upload(_ctx):
    return {"files": (io.BytesIO(PNG), "照片.png")}


N = "notice_id"
ROUTES = [
    r("kiosk.notices", "GET", KIOSK_READERS, T),
    r("kiosk.notice_new", "GET", KIOSK_EDITORS, T),
    r("kiosk.notice_create", "POST", KIOSK_EDITORS, T, data=_notice_form),
    r("kiosk.notice", "GET", KIOSK_READERS, T, "kiosk_draft", N),
    r("kiosk.notice_edit", "GET", KIOSK_EDITORS, T, "kiosk_draft", N),
    r("kiosk.notice_update", "POST", KIOSK_EDITORS, T, "kiosk_draft", N, _notice_form),
    r("kiosk.notice_publish", "POST", KIOSK_EDITORS, T, "kiosk_draft", N),
    r("kiosk.notice_withdraw", "POST", KIOSK_EDITORS, T, "kiosk_published", N),
    r("kiosk.notice_redraft", "POST", KIOSK_EDITORS, T, "kiosk_withdrawn", N),
    r("kiosk.notice_delete", "POST", KIOSK_EDITORS, T, "kiosk_draft", N),
    r("kiosk.file_add", "POST", KIOSK_EDITORS, T, "kiosk_draft", N, _upload),
    r("kiosk.file_download", "GET", KIOSK_READERS, T, "kiosk_file", "file_id"),
    r("kiosk.file_delete", "POST", KIOSK_EDITORS, T, "kiosk_file", "file_id"),
    r("kiosk.usage", "GET", KIOSK_READERS, T),
    r("kiosk.usage_export", "GET", KIOSK_READERS, T),
]
