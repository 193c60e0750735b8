"""Access rows of the service hall (township pages under /t/<id>/hall) and its public case lookup."""
from __future__ import annotations

from datetime import date

from tests.web.access_base import CASE_HANDLERS, HEADS, READERS, N, T, r

CATALOGUE_READERS = READERS | {"clerk"}
PUBLIC = {"windows_public.lookup"}


def _staff(session, world, village):
    """(township, handler) of the village's township: the clerk in A, the head in B (B has no clerk)."""
    from threeassets.auth.models import User
    from threeassets.orgs.models import Township
    township = session.get(Township, village.township_id)
    name = "clerk" if township.id == world.township_a.id else "head_b"
    return township, session.get(User, world.user(name).id)


def make_case(session, world, village, steps=(), item_code: str = "cert"):
    """A case of the village's township taken through `steps` (accept, notify, start, complete, reject)."""
    from threeassets.core.db import transaction
    from threeassets.windows import service
    from threeassets.windows.catalogue import item_by_code
    with transaction(session):
        township, actor = _staff(session, world, village)
        item = item_by_code(session, township.id, item_code)
        case = service.intake(session, township=township, item=item, actor=actor, applicant_name="张三",
                              applicant_phone="13800001234", village_id=village.id, subject="开具证明")
        for step in steps:
            if step == "notify":
                service.notify_missing(session, case, actor, ["村委会推荐意见"])
            elif step == "complete":
                service.complete(session, case, actor, "已出具证明", 5)
            elif step == "reject":
                service.reject(session, case, actor, "不属于本中心受理范围")
            else:
                getattr(service, step)(session, case, actor)
    case_id = case.id
    session.expunge_all()
    return case_id


def _other_window(session, world, village, ctx, case_id):
    """Remember a window of the case's township other than its own, for the transfer form."""
    from sqlalchemy import select

    from threeassets.windows.models import Case, Window
    case = session.get(Case, case_id)
    ctx["hall_window"] = session.scalar(select(Window.id).where(Window.township_id == case.township_id,
                                                                Window.id != case.window_id))
    session.expunge_all()
    return case_id


def _item(session, world, village, ctx):
    from threeassets.windows.catalogue import item_by_code
    item = item_by_code(session, village.township_id, "cert")
    ctx["hall_item"], ctx["hall_item_window"] = item.id, item.window_id
    session.expunge_all()
    return ctx["hall_item"]


NEEDS = {
    "hall_item": _item,
    "case_intake": lambda s, w, v, ctx: make_case(s, w, v),
    "case_supplement": lambda s, w, v, ctx: make_case(s, w, v, ["notify"]),
    "case_accepted": lambda s, w, v, ctx: _other_window(s, w, v, ctx, make_case(s, w, v, ["accept"])),
    "case_paused": lambda s, w, v, ctx: make_case(s, w, v, ["accept", "notify"]),
    "case_done": lambda s, w, v, ctx: make_case(s, w, v, ["accept", "complete"]),
    "case_rejected": lambda s, w, v, ctx: make_case(s, w, v, ["reject"]),
    "catalogue_item": lambda s, w, v, ctx: _item(s, w, v, ctx),
}


def _intake(ctx):
    return {"item_id": str(ctx.get("hall_item", 0)), "applicant_name": "李四", "applicant_phone": "13900005678",
            "village_id": "", "subject": "证明", "recv-1": "y", "orig-1": "y", "recv-2": "y", "orig-2": "y",
            "recv-3": "y", "orig-3": "y", "then": "accept"}


def _item_form(ctx):
    ctx["serial"] += 1
    return {"code": f"x{ctx['serial']}", "name": "新事项", "window_id": str(ctx.get("hall_item_window", 0)),
            "days_limit": "3", "fee": "0", "legal_basis": "", "steps": "", "active": "y", "m_name": "申请书",
            "m_copies": "1", "m_original": "1", "m_note": ""}


def _window(ctx):
    ctx["serial"] += 1
    return {"code": f"W{ctx['serial']}", "name": "新窗口", "phone": "0551-1234567", "seq": "9", "active": "y"}


def _transfer(ctx):
    return {"window_id": str(ctx.get("hall_window", 0)), "note": "转资产窗口"}


def _ticks(_ctx):
    return {}



def _holidays(ctx) -> dict:
    """Next year's arrangement, one line."""
    year = date.today().year + 1
    return {"year": str(year), "document": "国务院办公厅关于部分节假日安排的通知", "days": f"{year}-01-01 元旦 休"}


CASE = "case_id"
ROUTES = [
    r("windows.hall", "GET", CASE_HANDLERS, T),
    r("windows.cases", "GET", CASE_HANDLERS, T),
    r("windows.intake_form", "GET", CASE_HANDLERS, T),
    r("windows.intake_save", "POST", CASE_HANDLERS, T, "hall_item", None, _intake),
    r("windows.case", "GET", CASE_HANDLERS, T, "case_intake", CASE),
    r("windows.materials", "POST", CASE_HANDLERS, T, "case_intake", CASE, _ticks),
    r("windows.notify", "POST", CASE_HANDLERS, T, "case_intake", CASE, lambda ctx: {"missing": "申请书"}),
    r("windows.accept", "POST", CASE_HANDLERS, T, "case_intake", CASE),
    r("windows.resume", "POST", CASE_HANDLERS, T, "case_paused", CASE),
    r("windows.start", "POST", CASE_HANDLERS, T, "case_accepted", CASE),
    r("windows.transfer", "POST", CASE_HANDLERS, T, "case_accepted", CASE, _transfer),
    r("windows.complete", "POST", CASE_HANDLERS, T, "case_accepted", CASE, lambda ctx: {"result": "已办"}),
    r("windows.rate", "POST", CASE_HANDLERS, T, "case_done", CASE, lambda ctx: {"satisfaction": "4"}),
    r("windows.reject", "POST", CASE_HANDLERS, T, "case_intake", CASE, lambda ctx: {"reason": "不符合条件"}),
    r("windows.notice_pdf", "GET", CASE_HANDLERS, T, "case_supplement", CASE),
    r("windows.receipt_pdf", "GET", CASE_HANDLERS, T, "case_accepted", CASE),
    r("windows.rejection_pdf", "GET", CASE_HANDLERS, T, "case_rejected", CASE),
    r("windows.catalogue_index", "GET", CATALOGUE_READERS, T),
    r("windows.guide", "GET", CATALOGUE_READERS, T, "catalogue_item", "item_id"),
    r("windows.item_new", "GET", HEADS, T),
    r("windows.item_create", "POST", HEADS, T, "hall_item", None, _item_form),
    r("windows.item_edit", "GET", HEADS, T, "catalogue_item", "item_id"),
    r("windows.item_update", "POST", HEADS, T, "catalogue_item", "item_id", _item_form),
    r("windows.window_save", "POST", HEADS, T, data=_window),
    r("windows.defaults_add", "POST", HEADS, T),
    r("windows_admin.index", "GET", {"admin"}, N),
    r("windows_admin.save", "POST", {"admin"}, N, data=_holidays),
]
