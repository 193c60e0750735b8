"""Where an alert's object is shown: the voucher of a cash line, the contract of an installment, the asset
reconciliation of a village. Pages another feature has not (yet) served get no link."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from threeassets.alerts.models import Alert
from threeassets.contracts.models import Installment
from threeassets.ledger.models import VoucherLine

# object type → (endpoint, url argument naming the record); the record id is resolved below
ENDPOINTS = {
    "voucher_line": ("ledger.voucher_show", "voucher_id"),
    "installment": ("contracts.show", "contract_id"),
    "contract": ("contracts.show", "contract_id"),
    "village": ("assets.reconcile", None),
    "subsidy_batch": ("subsidies_village.show", "batch_id"),
}


def _parents(session: Session, alerts: list[Alert]) -> dict[tuple[str, int], int]:
    """(object type, object id) → the id of the page's record (voucher of a line, contract of an installment)."""
    out: dict[tuple[str, int], int] = {}
    lines = {a.object_id for a in alerts if a.object_type == "voucher_line"}
    if lines:
        q = select(VoucherLine.id, VoucherLine.voucher_id).where(VoucherLine.id.in_(lines))
        out.update({("voucher_line", i): v for i, v in session.execute(q)})
    inst = {a.object_id for a in alerts if a.object_type == "installment"}
    if inst:
        q = select(Installment.id, Installment.contract_id).where(Installment.id.in_(inst))
        out.update({("installment", i): c for i, c in session.execute(q)})
    out.update({("contract", a.object_id): a.object_id for a in alerts if a.object_type == "contract"})
    out.update({("subsidy_batch", a.object_id): a.object_id for a in alerts if a.object_type == "subsidy_batch"})
    return out


def targets(session: Session, alerts: list[Alert]) -> dict[int, str]:
    """alert id → the URL of its object's page, for those that have one."""
    parents, out = _parents(session, alerts), {}
    for a in alerts:
        endpoint, arg = ENDPOINTS.get(a.object_type, (None, None))
        if endpoint is None:
            continue
        kwargs = {"village_id": a.village_id}
        if arg:
            if (a.object_type, a.object_id) not in parents:
                continue
            kwargs[arg] = parents[(a.object_type, a.object_id)]
        try:
            out[a.id] = url_for(endpoint, **kwargs)
        except BuildError:
            continue
    return out
