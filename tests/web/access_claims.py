"""Access rows of the claims feature (village claims, 接件) and the oversight board."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from tests.web.access_base import CASE_HANDLERS, PREPARERS, READERS, TOWNSHIP_READERS, VILLAGE_ACCOUNTANTS, T, V, r
from tests.web.conftest import PNG

OVERSEERS = {"admin", "supervisor", "head", "head_b"}
CLAIM_READERS = READERS | {"clerk"}


def claim_form(purpose: str = "购买办公用纸", code: str = "513", amount: str = "120.00", **kw) -> dict:
    """Form data of a complete claim (one line)."""
    today = date.today().isoformat()
    data = {"payee": "县城文具店", "payee_kind": "firm", "pay_method": "bank", "payee_account": "6222021000123456789",
            "occurred_on": today, "contact_phone": "13800001111", "handler_name": "李会计",
            "oversight_name": "王理财", "head_name": "赵主任", "signed_on": today,
            "lines-0-purpose": purpose, "lines-0-account_code": code, "lines-0-amount": amount,
            "lines-0-invoice": "vat", "action": "save"}
    return data | kw


def make_claim(session, world, village, submit: bool = False):
    """A complete claim of a village with one PNG receipt, saved (and submitted) by a user of that village."""
    from threeassets.claims import service
    from threeassets.claims.rules import ClaimInput, LineDraft
    from threeassets.core.db import transaction
    from threeassets.windows.catalogue import ensure_default_catalogue
    actor = world.user("vacct")  # the service does not check scope; routes do
    data = ClaimInput("县城文具店", "firm", "6222021000123456789", "bank", date.today(), "13800001111", "李会计",
                      "王理财", "赵主任", date.today(), (LineDraft("购买办公用纸", "513", Decimal("120.00"), "vat"),))
    with transaction(session):
        village = session.merge(village)
        ensure_default_catalogue(session, village.township)
        claim = service.save(session, village=village, actor=actor, data=data)
        att = service.attachments.store(session, village_id=village.id, owner_type="claim", owner_id=claim.id,
                                        filename="发票.png", data=PNG, actor=actor)
        if submit:
            service.submit(session, claim=claim, village=village, actor=actor)
    ids = claim.id, att.id
    session.expunge_all()
    return ids


def _draft(session, world, village, ctx):
    claim_id, att_id = make_claim(session, world, village)
    ctx["claim_receipt"] = att_id
    return claim_id


def _submitted(session, world, village, ctx):
    return make_claim(session, world, village, submit=True)[0]


NEEDS = {"claim_draft": _draft, "claim_submitted": _submitted}


def _new(_ctx):
    return claim_form()


def _edit(_ctx):
    return claim_form(purpose="改为购买墨盒")


def _upload(_ctx):
    return {"receipts": (io.BytesIO(PNG), "收据.png")}


def _remove(ctx):
    return {"attachment_id": str(ctx.get("claim_receipt", 0))}


ROUTES = [
    r("claims.index", "GET", CLAIM_READERS, V),
    r("claims.new", "GET", VILLAGE_ACCOUNTANTS, V),
    r("claims.new", "POST", VILLAGE_ACCOUNTANTS, V, data=_new),
    r("claims.show", "GET", CLAIM_READERS, V, "claim_submitted", "claim_id"),  # a draft: the village's only
    r("claims.edit", "GET", VILLAGE_ACCOUNTANTS, V, "claim_draft", "claim_id"),
    r("claims.edit", "POST", VILLAGE_ACCOUNTANTS, V, "claim_draft", "claim_id", _edit),
    r("claims.submit", "POST", VILLAGE_ACCOUNTANTS, V, "claim_draft", "claim_id"),
    r("claims.upload", "POST", VILLAGE_ACCOUNTANTS, V, "claim_draft", "claim_id", _upload),
    r("claims.remove_receipt", "POST", VILLAGE_ACCOUNTANTS, V, "claim_draft", "claim_id", _remove),
    r("claims.delete", "POST", VILLAGE_ACCOUNTANTS, V, "claim_draft", "claim_id"),
    r("claims.receive", "POST", CASE_HANDLERS, V, "claim_submitted", "claim_id"),
    r("claims.account", "POST", PREPARERS, V, "claim_submitted", "claim_id"),  # the payers see the whole account
    r("claims_township.inbox", "GET", TOWNSHIP_READERS | {"clerk"}, T),
    r("claims_township.oversight_board", "GET", OVERSEERS, T),
    r("claims_township.oversight_xlsx", "GET", OVERSEERS, T),
]
