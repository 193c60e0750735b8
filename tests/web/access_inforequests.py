"""Access rows of requests for disclosure (依申请公开, township pages under /t/<id>/info-requests): the window clerk
and the agency head handle them, the county supervisor reads them; no village user and no other township sees one."""
from __future__ import annotations

from datetime import date

from tests.web.access_base import T, r

HANDLERS = {"clerk", "head", "head_b"}
READERS = HANDLERS | {"supervisor"}


def make_request(session, world, village, steps=()):
    """A request of the village's township (registered by the clerk in A, the head in B) taken through `steps`:
    correction, corrected, extend, answer."""
    from threeassets.auth.models import User
    from threeassets.core.db import transaction
    from threeassets.inforequests import service
    from threeassets.orgs.models import Township
    with transaction(session):
        township = session.get(Township, village.township_id)
        actor = session.get(User, world.user("clerk" if township.id == world.township_a.id else "head_b").id)
        req = service.receive(session, township=township, actor=actor, channel="in_person", requester_kind="person",
                              requester_name="张三", contact="13800001234", content="村务公开资料",
                              received_on=date.today(), village_id=village.id)
        for step in steps:
            if step == "correction":
                service.ask_correction(session, req, actor, "请写明年度")
            elif step == "corrected":
                service.corrected(session, req, actor)
            elif step == "extend":
                service.extend(session, req, actor, 10, "需调取档案")
            elif step == "answer":
                service.answer(session, req, actor, "withheld_4", "涉及第三方个人信息")
    request_id = req.id
    session.expunge_all()
    return request_id


NEEDS = {
    "ir_handling": lambda s, w, v, ctx: make_request(s, w, v),
    "ir_correction": lambda s, w, v, ctx: make_request(s, w, v, ["correction"]),
    "ir_extended": lambda s, w, v, ctx: make_request(s, w, v, ["extend"]),
    "ir_answered": lambda s, w, v, ctx: make_request(s, w, v, ["answer"]),
}


def _new(_ctx):
    return {"channel": "post", "requester_kind": "person", "requester_name": "李四", "contact": "13900005678",
            "content": "2025年村级财务公开榜", "received_on": date.today().isoformat()}


KEY = "request_id"
ROUTES = [
    r("inforequests.requests", "GET", READERS, T),
    r("inforequests.new", "GET", HANDLERS, T),
    r("inforequests.create", "POST", HANDLERS, T, data=_new),
    r("inforequests.show", "GET", READERS, T, "ir_handling", KEY),
    r("inforequests.ask_correction", "POST", HANDLERS, T, "ir_handling", KEY,
      lambda ctx: {"correction_note": "请写明年度"}),
    r("inforequests.corrected", "POST", HANDLERS, T, "ir_correction", KEY),
    r("inforequests.extend", "POST", HANDLERS, T, "ir_handling", KEY,
      lambda ctx: {"extension_days": "10", "extension_reason": "需调取档案"}),
    r("inforequests.answer", "POST", HANDLERS, T, "ir_handling", KEY,
      lambda ctx: {"outcome": "disclosed", "answer_text": "提供复印件"}),
    r("inforequests.lapse", "POST", HANDLERS, T, "ir_correction", KEY),
    r("inforequests.answer_pdf", "GET", READERS, T, "ir_answered", KEY),
    r("inforequests.correction_pdf", "GET", READERS, T, "ir_correction", KEY),
    r("inforequests.extension_pdf", "GET", READERS, T, "ir_extended", KEY),
]
