"""Lists of what contracts are owed and what ends soon: a village's receivables and expiring contracts, and the
township's overdue installments and expiring contracts across its villages."""
from __future__ import annotations

from datetime import date

from flask import flash, g, render_template, request
from flask_login import current_user

from threeassets.auth.access import township_view, village_view
from threeassets.auth.rules import permissions_of
from threeassets.contracts import books, queries, service
from threeassets.contracts.routes import bp, ctx, township_bp
from threeassets.contracts.rules import contract_actions
from threeassets.core.db import db
from threeassets.core.periods import PeriodError, parse_ym, ym_label, ym_of
from threeassets.core.refused import NONE
from threeassets.orgs.settings import get_settings
from threeassets.reports.service import township_village_ids


@bp.get("/receivables")
@village_view("registers.read")
def receivables(village_id: int):
    """应收款/逾期: unpaid installments due by now or within 30 days, with days overdue."""
    return receivables_page(village_id)


def receivables_page(village_id: int, refused=NONE, status: int = 200):
    """The village's receivables; after a refused 确认到期应收, drawn again with its date as typed (422)."""
    today = date.today()
    overdue_only = request.args.get("overdue") == "1"
    rows = queries.receivables(db.session, [village_id], today, overdue_only)
    pending = len(books.due_installments(db.session, village_id, today))
    return render_template("contracts/receivables.html", **ctx(rows=rows, overdue_only=overdue_only,
                                                               pending=pending, soon=queries.SOON_DAYS,
                                                               refused=refused)), status


@bp.get("/receivables/reconcile")
@village_view("registers.read")
def receivables_reconcile(village_id: int):
    """应收款对账: per counterparty, the contracts' accrued unpaid installments against 112 at the end of a month."""
    ym = ym_of(date.today())
    text = request.args.get("period", "")
    if text:
        try:
            ym = parse_ym(text)
        except PeriodError as exc:
            flash(str(exc), "danger")
    rows = queries.receivable_reconciliation(db.session, village_id, ym)
    return render_template("contracts/reconcile.html", **ctx(rows=rows, period=ym_label(ym)))


def _expiring_page(village_ids: list[int], township_id: int):
    """Contracts of the villages ending within the township's lead time, each with what the user may do to it."""
    days = get_settings(db.session, township_id).contract_expiry_days
    rows = queries.expiring(db.session, village_ids, date.today(), days)
    renewed, mine = queries.renewed_ids(db.session, [e.contract for e in rows]), permissions_of(current_user.role)
    actions = {e.contract.id: contract_actions(service.facts_of(e.contract, renewed=e.contract.id in renewed), mine)
               for e in rows}
    return render_template("contracts/expiring.html", **ctx(rows=rows, days=days, actions=actions))


@bp.get("/expiring")
@village_view("registers.read")
def expiring(village_id: int):
    """到期合同: contracts in force ending within the township's lead time."""
    return _expiring_page([village_id], g.village.township_id)


@township_bp.get("/expiring")
@township_view("registers.read")
def township_expiring(township_id: int):
    """全镇到期合同 across the township's villages."""
    return _expiring_page(township_village_ids(db.session, township_id), township_id)


@township_bp.get("/overdue")
@township_view("registers.read")
def township_overdue(township_id: int):
    """全镇逾期应收 across the township's villages, with days overdue."""
    village_ids = township_village_ids(db.session, township_id)
    rows = queries.receivables(db.session, village_ids, date.today(), overdue_only=True)
    return render_template("contracts/receivables.html", **ctx(rows=rows, overdue_only=True, pending=0,
                                                               soon=queries.SOON_DAYS))
