"""The notice's register sections: 各项资产 (fixed-asset cards), 各类资源 and the contracts that let them.

Card figures at the period's end come from assets.reconcile.card_figures (later depreciation, revaluation and
disposals rolled back), so a notice regenerated later still shows the period as it was. The resources register
keeps no history: its figures are the register as it stands when the notice is generated.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, case, func, select, type_coerce
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.reconcile import card_figures
from threeassets.contracts.models import Contract, Installment, Receipt
from threeassets.core.money import from_fen, plain
from threeassets.disclosure.rules import Period, overdue, party_id_shown
from threeassets.resources.models import Resource

ZERO = Decimal("0")
CHANGE_KINDS = {"transfer": "调拨", "revaluation": "评估调整", "disposal": "处置"}
DISPOSAL_METHODS = {"sale": "出售", "auction": "拍卖", "write_off": "报废核销"}
CONTRACT_KINDS = {"contracting": "发包", "lease": "出租", "investment": "投资"}
RESOURCE_STATUS_LET = "let"
# The register's types in the order the resource inventory lists them; any other type follows.
RESOURCE_ORDER = ("耕地", "园地", "林地", "草地", "水面", "滩涂", "四荒地", "建设用地", "其他")


def _fen(column):
    """A Money column as raw integer fen, so sums stay exact on every database."""
    return type_coerce(column, BigInteger)


def assets(session: Session, village_id: int, period: Period) -> dict:
    """Cards on the books at the period's end by category; acquisitions, changes and depreciation in the period."""
    cats: dict[str, list] = {}
    for card, cost, acc in card_figures(session, village_id, period.end_ym):
        row = cats.setdefault(card.category or "其他", [0, ZERO, ZERO])
        row[0] += 1
        row[1] += cost
        row[2] += acc
    rows = [{"category": c, "count": n, "cost": plain(cost), "depreciation": plain(acc), "net": plain(cost - acc)}
            for c, (n, cost, acc) in sorted(cats.items())]
    totals = [sum((r[i] for r in cats.values()), ZERO) for i in range(3)]
    return {"by_category": rows, "count": int(totals[0]), "cost": plain(totals[1]),
            "depreciation": plain(totals[2]), "net": plain(totals[1] - totals[2]),
            "changes": _asset_changes(session, village_id, period),
            "period_depreciation": plain(_period_depreciation(session, village_id, period))}


def _asset_changes(session: Session, village_id: int, period: Period) -> list[dict]:
    """New cards and transfers, revaluations and disposals done in the period, in date order."""
    new = session.execute(select(Asset.acquired_on, Asset.code, Asset.name, Asset.original_cost).where(
        Asset.village_id == village_id, Asset.acquired_on.between(period.start, period.end)))
    out = [{"date": d.isoformat(), "asset": f"{code} {name}", "kind": "新增", "amount": plain(cost),
            "detail": ""} for d, code, name, cost in new]
    q = (select(AssetChange.on, Asset.code, Asset.name, AssetChange.kind, AssetChange.amount, AssetChange.method,
                AssetChange.proceeds, AssetChange.counterparty, Asset.original_cost)
         .join(Asset, Asset.id == AssetChange.asset_id)
         .where(AssetChange.village_id == village_id, AssetChange.status == "done",
                AssetChange.kind.in_(list(CHANGE_KINDS)), AssetChange.ym.between(period.start_ym, period.end_ym)))
    for d, code, name, kind, amount, method, proceeds, party, cost in session.execute(q):
        detail = "，".join(x for x in (DISPOSAL_METHODS.get(method or "", ""),
                                       f"收入 {plain(proceeds)} 元" if proceeds else "",
                                       f"对方：{party}" if party else "") if x)
        # the figure a reader compares: the card's cost for a disposal, the adjustment of a revaluation
        shown = {"disposal": plain(cost), "revaluation": plain(amount)}.get(kind, "")
        out.append({"date": d.isoformat(), "asset": f"{code} {name}", "kind": CHANGE_KINDS[kind],
                    "amount": shown, "detail": detail})
    return sorted(out, key=lambda r: (r["date"], r["asset"]))


def _period_depreciation(session: Session, village_id: int, period: Period) -> Decimal:
    """Depreciation charged on the cards in the period's months."""
    fen = session.scalar(select(func.sum(_fen(AssetChange.amount), type_=BigInteger)).where(
        AssetChange.village_id == village_id, AssetChange.kind == "depreciation", AssetChange.status == "done",
        AssetChange.ym.between(period.start_ym, period.end_ym)))
    return from_fen(fen)


def resources(session: Session, village_id: int) -> dict:
    """Resources by type: parcels, area in 亩, of which let out."""
    let = func.sum(case((Resource.status == RESOURCE_STATUS_LET, _fen(Resource.area_mu)), else_=0),
                   type_=BigInteger)
    q = (select(Resource.rtype, func.count(), func.sum(_fen(Resource.area_mu), type_=BigInteger), let)
         .where(Resource.village_id == village_id).group_by(Resource.rtype))
    rows = [{"type": t, "count": n, "area": plain(from_fen(a)), "let_area": plain(from_fen(la))}
            for t, n, a, la in session.execute(q)]
    rows.sort(key=lambda r: (RESOURCE_ORDER.index(r["type"]) if r["type"] in RESOURCE_ORDER else 99, r["type"]))
    return {"by_type": rows, "count": sum(r["count"] for r in rows),
            "area": plain(sum((Decimal(r["area"]) for r in rows), ZERO)),
            "let_area": plain(sum((Decimal(r["let_area"]) for r in rows), ZERO))}


def _sums_by_contract(session: Session, stmt) -> dict[int, int]:
    """contract id → a summed fen amount from a (contract_id, sum) query."""
    return {cid: int(fen or 0) for cid, fen in session.execute(stmt)}


def contracts(session: Session, village_id: int, period: Period) -> dict:
    """Contracts running in the period or paid in it: received in the period, due and received to its end, overdue."""
    r, i = Receipt, Installment
    paid = r.installment_id.isnot(None)  # paid against an instalment: contract income (deposits have none)
    in_period = _sums_by_contract(session, select(r.contract_id, func.sum(_fen(r.amount), type_=BigInteger)).where(
        r.village_id == village_id, paid, r.received_on.between(period.start, period.end)).group_by(r.contract_id))
    to_end = _sums_by_contract(session, select(r.contract_id, func.sum(_fen(r.amount), type_=BigInteger)).where(
        r.village_id == village_id, paid, r.received_on <= period.end).group_by(r.contract_id))
    due = _sums_by_contract(session, select(i.contract_id, func.sum(_fen(i.amount), type_=BigInteger)).where(
        i.village_id == village_id, i.status != "cancelled", i.due_on <= period.end).group_by(i.contract_id))
    running = (Contract.starts_on <= period.end) & (Contract.ends_on >= period.start)
    q = (select(Contract).where(Contract.village_id == village_id, Contract.status != "draft",
                                running | Contract.id.in_(list(in_period) or [-1]))
         .order_by(Contract.code))
    rows = []
    for c in session.scalars(q):
        late = overdue(from_fen(due.get(c.id)), from_fen(to_end.get(c.id)))
        rows.append({"code": c.code, "title": c.title, "kind": CONTRACT_KINDS.get(c.kind, c.kind),
                     "party": c.party_name, "party_id": party_id_shown(c.party_type, c.party_id_no),
                     "term": f"{c.starts_on.isoformat()} 至 {c.ends_on.isoformat()}", "price": plain(c.total_price),
                     "received": plain(from_fen(in_period.get(c.id))), "due": plain(from_fen(due.get(c.id))),
                     "received_to_date": plain(from_fen(to_end.get(c.id))), "overdue": plain(late)})
    total = sum((Decimal(x["received"]) for x in rows), ZERO)
    late_total = sum((Decimal(x["overdue"]) for x in rows), ZERO)
    return {"rows": rows, "received": plain(total), "overdue": plain(late_total)}


def registers(session: Session, village_id: int, period: Period) -> dict:
    """The three register sections of the notice."""
    return {"assets": assets(session, village_id, period), "resources": resources(session, village_id),
            "contracts": contracts(session, village_id, period)}
