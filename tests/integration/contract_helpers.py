"""Shared builders for the resources and contracts service tests."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction
from threeassets.reports.service import trial_balance

PERSON = "340121198005121234"
ORG = "93340100MA2N0DEM0J"
FULL_DECISION = {"d_proposal_on": "2023-12-01", "d_committees_on": "2023-12-03", "d_members_on": "2023-12-05",
                 "d_resolution_on": "2023-12-08", "d_attendees": "40", "d_votes_for": "35", "d_votes_against": "3",
                 "d_votes_abstain": "2", "d_notice_from": "2023-12-09", "d_notice_to": "2023-12-16",
                 "d_result_notice_on": "2023-12-20"}
TODAY = date(2024, 6, 1)


def resource(session, world, village=None, code="GD-1", area="30.00", rtype="耕地"):
    """A committed resource of a village (a1 by default)."""
    from threeassets.resources.service import create
    village = village or world.a1
    with transaction(session):
        return create(session, village=village, data={"code": code, "name": f"地块{code}", "rtype": rtype,
                                                      "area_mu": area}, actor=world.user("accountant"))


def asset(session, village, code="ZC-1", status="in_use"):
    """A committed fixed-asset card."""
    from threeassets.assets.models import Asset
    with transaction(session):
        a = Asset(village_id=village.id, code=code, name="村集体厂房", category="房屋及建筑物",
                  acquired_on=date(2020, 1, 1), original_cost=Decimal("200000.00"), useful_life_months=240,
                  status=status)
        session.add(a)
    return a


def form(**kw) -> dict:
    """Contract form data: a five-year land contract to a person, 50,000 paid yearly, full decision record."""
    data = dict(code="HT-1", title="耕地承包合同", kind="contracting", party_type="person", party_name="张三",
                party_id_no=PERSON, award_method="negotiation", signed_on="2023-12-25", starts_on="2024-01-01",
                ends_on="2028-12-31", total_price="50000.00", deposit="2000.00", frequency="yearly",
                **FULL_DECISION)
    data.update(kw)
    return data


def draft(session, world, refs, village=None, **kw):
    """A committed draft contract."""
    from threeassets.contracts.service import create_draft
    with transaction(session):
        return create_draft(session, village=village or world.a1, data=form(**kw), refs=refs,
                            actor=world.user("accountant"), today=TODAY)


def active(session, world, refs, village=None, **kw):
    """A committed, activated contract."""
    from threeassets.contracts.service import activate
    c = draft(session, world, refs, village, **kw)
    with transaction(session):
        activate(session, village=village or world.a1, contract=c, actor=world.user("accountant"))
    return c


def counts(session) -> dict[str, int]:
    """Rows of the register tables and the audit log (to prove nothing was written)."""
    from threeassets.contracts.models import Contract, ContractSubject, Installment, Receipt
    from threeassets.decisions.models import DecisionRecord
    from threeassets.ledger.models import Account, Voucher
    from threeassets.resources.models import Resource
    models = (Contract, ContractSubject, Installment, Receipt, DecisionRecord, Resource, Voucher, Account, AuditEvent)
    session.rollback()
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in models}


def balance(session, village, code: str, ym_from=202401, ym_to=202412) -> Decimal:
    """Closing net debit balance of an account in a village's trial balance."""
    rows = {r.code: r for r in trial_balance(session, [village.id], ym_from, ym_to)}
    return rows[code].closing if code in rows else Decimal("0.00")
