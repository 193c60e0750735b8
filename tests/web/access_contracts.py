"""Access table rows of contracts: village pages (lifecycle, money, lists, import) and the township lists."""
from __future__ import annotations

import io
from datetime import date

from tests.web.access_base import PREPARERS, READERS, TOWNSHIP_READERS, T, V, import_job, r

PERSON = "340121198005121234"
DECISION = {"d_proposal_on": "2024-01-01", "d_committees_on": "2024-01-02", "d_members_on": "2024-01-03",
            "d_resolution_on": "2024-01-04", "d_attendees": "30", "d_votes_for": "25", "d_notice_from": "2024-01-05",
            "d_notice_to": "2024-01-12", "d_result_notice_on": "2024-01-20"}


def _form(ctx, code: str, resource_id: int, starts="2024-02-01", ends="2026-01-31") -> dict:
    """Valid contract form data."""
    return {"code": code, "title": "测试承包合同", "kind": "contracting", "party_type": "person",
            "party_name": "张三", "party_id_no": PERSON, "award_method": "negotiation", "signed_on": starts,
            "starts_on": starts, "ends_on": ends, "total_price": "60000.00", "deposit": "2000.00",
            "frequency": "yearly", "subject_ref": f"resource:{resource_id}", "subject_area": "", **DECISION}


def _contract(session, world, village, ctx, activate: bool) -> int:
    """A contract on a fresh resource (and a spare resource for new contracts), active or draft."""
    from threeassets.contracts import service
    from threeassets.core.db import transaction
    from threeassets.resources.service import create
    ctx["serial"] += 1
    n = ctx["serial"]
    with transaction(session):
        res = create(session, village=village, data={"code": f"CR{n}", "name": "合同地块", "rtype": "耕地",
                                                      "area_mu": "10"}, actor=None)
        spare = create(session, village=village, data={"code": f"SP{n}", "name": "备用地块", "rtype": "耕地",
                                                        "area_mu": "10"}, actor=None)
        session.flush()
        c = service.create_draft(session, village=village, data=_form(ctx, f"C{n}", res.id),
                                 refs=[(f"resource:{res.id}", "")], actor=None, today=date.today())
        if activate:
            service.activate(session, village=village, contract=c, actor=None)
        ids = (c.id, res.id, spare.id, spare.code, c.installments[0].id, c.code)
    session.expunge_all()
    ctx.update(contract_id=ids[0], contract_resource=ids[1], spare=ids[2], spare_code=ids[3], inst=ids[4],
               contract_code=ids[5])
    return ids[0]


def _new(ctx):
    ctx["serial"] += 1
    return _form(ctx, f"NC{ctx['serial']}", ctx.get("spare", 0))


def _edit(ctx):
    return _form(ctx, ctx.get("contract_code", "X"), ctx.get("contract_resource", 0))


def _renew(ctx):
    ctx["serial"] += 1
    return _form(ctx, f"RN{ctx['serial']}", ctx.get("contract_resource", 0), "2026-02-01", "2028-01-31")


def _terminate(_ctx):
    return {"on": date.today().isoformat(), "reason": "测试解除"}


def _schedule(_ctx):
    return {"frequency": "half_yearly"}


def _receipt(ctx):
    return {"inst": str(ctx.get("inst", 0)), "on": date.today().isoformat(), "amount": "1.00", "method": "bank"}


def _deposit(_ctx):
    return {"kind": "deposit", "on": date.today().isoformat(), "amount": "1.00", "method": "cash"}


def _accrue(_ctx):
    return {"on": date.today().isoformat()}


def _file(ctx):
    from threeassets.contracts.importer import COLUMNS
    ctx["serial"] += 1
    row = [ "A1", f"IM{ctx['serial']}", "导入合同", "发包", "个人", "李四", PERSON, "协商", "2024-01-01", "2024-01-01",
           "2024-12-31", "1000.00", ctx.get("spare_code", "X"), "once"]
    body = ",".join(COLUMNS) + "\n" + ",".join(row) + "\n"
    return {"file": (io.BytesIO(body.encode()), "contracts.csv")}


NEEDS = {"contract": lambda s, w, v, c: _contract(s, w, v, c, True),
         "draft_contract": lambda s, w, v, c: _contract(s, w, v, c, False),
         "contracts_import": import_job("import.contracts")}
ROUTES = [
    r("contracts.show", "GET", READERS, V, "contract", "contract_id"),
    r("contracts.index", "GET", READERS, V),
    r("contracts.new", "GET", PREPARERS, V),
    r("contracts.create", "POST", PREPARERS, V, data=_new),
    r("contracts.edit", "GET", PREPARERS, V, "draft_contract", "contract_id"),
    r("contracts.update", "POST", PREPARERS, V, "draft_contract", "contract_id", _edit),
    r("contracts.schedule", "POST", PREPARERS, V, "draft_contract", "contract_id", _schedule),
    r("contracts.activate", "POST", PREPARERS, V, "draft_contract", "contract_id"),
    r("contracts.delete", "POST", PREPARERS, V, "draft_contract", "contract_id"),
    r("contracts.end", "POST", PREPARERS, V, "contract", "contract_id"),
    r("contracts.terminate", "POST", PREPARERS, V, "contract", "contract_id", _terminate),
    r("contracts.renew_form", "GET", PREPARERS, V, "contract", "contract_id"),
    r("contracts.renew", "POST", PREPARERS, V, "contract", "contract_id", _renew),
    r("contracts.pdf", "GET", READERS, V, "contract", "contract_id"),
    r("contracts.receipt_form", "GET", PREPARERS, V, "contract", "contract_id"),
    r("contracts.receipt", "POST", PREPARERS, V, "contract", "contract_id", _receipt),
    r("contracts.deposit_form", "GET", PREPARERS, V, "contract", "contract_id"),
    r("contracts.deposit", "POST", PREPARERS, V, "contract", "contract_id", _deposit),
    r("contracts.accrue", "POST", PREPARERS, V, data=_accrue),
    r("contracts.receivables", "GET", READERS, V),
    r("contracts.receivables_reconcile", "GET", READERS, V),
    r("contracts.expiring", "GET", READERS, V),
    r("contracts.import_form", "GET", PREPARERS, V),
    r("contracts.import_file", "POST", PREPARERS, V, data=_file),
    r("contracts.import_job", "GET", PREPARERS, V, "contracts_import", "job_id"),
    r("contracts.import_job_status", "GET", PREPARERS, V, "contracts_import", "job_id"),
    r("contracts.template", "GET", PREPARERS, V),
    r("contracts_township.township_expiring", "GET", TOWNSHIP_READERS, T),
    r("contracts_township.township_overdue", "GET", TOWNSHIP_READERS, T),
]
