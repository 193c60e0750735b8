"""Card use cases: list, add (optionally posting the purchase), edit, transfer, revaluation, import. Never commits."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.rules import LIVE, ZERO, CardFacts, CardInput, card_refusal, next_status, status_action
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.pagination import any_contains, search_word
from threeassets.core.periods import ym_of
from threeassets.core.workflow import refuse
from threeassets.ledger.generated import post_generated
from threeassets.ledger.models import Voucher
from threeassets.ledger.rules import LedgerError, LineInput

PAY_ACCOUNTS = {"bank": "102", "cash": "101"}  # how a purchase or proceeds are paid: 银行存款 / 库存现金
DESCRIPTIVE = ("name", "category", "purpose", "location", "custodian", "note")
FINANCIAL = ("code", "acquired_on", "original_cost", "useful_life_months", "salvage_rate", "depreciate",
             "accumulated_depreciation")


@dataclass
class Filters:
    """The list's search form."""

    q: str = ""
    category: str = ""
    status: str = ""
    purpose: str = ""


def list_query(village_id: int, f: Filters):
    """select() of the village's cards matching the filters, in code order."""
    q = select(Asset).where(Asset.village_id == village_id)
    if word := search_word(f.q):
        q = q.where(any_contains((Asset.code, Asset.name, Asset.location, Asset.custodian), word))
    for col, value in ((Asset.category, f.category), (Asset.status, f.status), (Asset.purpose, f.purpose)):
        if value:
            q = q.where(col == value)
    return q.order_by(Asset.code)


def totals(session: Session, village_id: int, f: Filters, *, on_books: bool = False) -> tuple[int, Decimal, Decimal]:
    """Count, original cost and accumulated depreciation of the cards the filters select (summed in SQL); with
    on_books, of those still on the books (not disposed: what 151/152 and the reconciliation hold)."""
    q = list_query(village_id, f).order_by(None)
    sub = (q.where(Asset.status.in_(LIVE)) if on_books else q).subquery()
    n, cost, acc = session.execute(select(func.count(), func.sum(sub.c.original_cost),
                                          func.sum(sub.c.accumulated_depreciation))).one()
    return n, cost or ZERO, acc or ZERO  # sum() keeps the Money type: exact fen → Decimal


def categories(session: Session, village_id: int) -> list[str]:
    """Categories in use in the village, for the filter."""
    return list(session.scalars(select(Asset.category).where(Asset.village_id == village_id).distinct()
                                .order_by(Asset.category)))


def pending_of(session: Session, asset: Asset) -> AssetChange | None:
    """The card's disposal awaiting approval, if any."""
    return session.scalar(select(AssetChange).where(
        AssetChange.village_id == asset.village_id, AssetChange.asset_id == asset.id,
        AssetChange.kind == "disposal", AssetChange.status == "pending"))


def pending_ids(session: Session, village_id: int, asset_ids: list[int]) -> set[int]:
    """Which of the village's cards have a disposal awaiting approval (one query for a page of cards)."""
    return set(session.scalars(select(AssetChange.asset_id).where(
        AssetChange.village_id == village_id, AssetChange.asset_id.in_(asset_ids),
        AssetChange.kind == "disposal", AssetChange.status == "pending"))) if asset_ids else set()


def facts_of(asset: Asset, pending: bool = False) -> CardFacts:
    """What the card rules need to know about a card (whether a disposal waits is the caller's query)."""
    return CardFacts(asset.status, pending)


def _audit(session: Session, action: str, village, obj, actor, **detail) -> None:
    """Audit a change of the register."""
    record(session, action, actor=actor, township_id=village.township_id, village_id=village.id, obj=obj,
           detail=detail)


def _check_code_free(session: Session, village_id: int, code: str, own_id: int | None = None) -> None:
    """Refuse a card code the village already uses."""
    q = select(Asset.id).where(Asset.village_id == village_id, Asset.code == code)
    other = session.scalar(q)
    if other is not None and other != own_id:
        raise RuleError(f"资产编号 {code} 已存在", {"code": "本村已有此编号"})


def change(session: Session, asset: Asset, kind: str, on: date, actor, **kw) -> AssetChange:
    """Add one change row to a card's history."""
    row = AssetChange(village_id=asset.village_id, asset_id=asset.id, kind=kind, ym=ym_of(on), on=on,
                      actor_id=getattr(actor, "id", None), **kw)
    session.add(row)
    session.flush()
    return row


def create_card(session: Session, *, village, card: CardInput, funding: str, actor) -> Asset:
    """Add a card; funding 'existing' registers it against balances already in the books, 'bank'/'cash' posts
    its purchase voucher (借 151 固定资产 贷 102 银行存款 / 101 库存现金) dated the acquisition day."""
    _check_code_free(session, village.id, card.code)
    if funding not in ("existing", *PAY_ACCOUNTS):
        raise RuleError("请选择入账方式", {"funding": "请选择"})
    if funding != "existing" and card.accumulated_depreciation:
        raise RuleError("新购资产不能带累计折旧", {"accumulated_depreciation": "新购资产应为 0"})
    asset = Asset(village_id=village.id, **asdict(card))
    session.add(asset)
    session.flush()
    voucher = None
    if funding != "existing":
        voucher = post_generated(session, village=village, on=card.acquired_on, kind="asset_purchase", actor=actor,
                                 lines=[LineInput(f"购入{card.name}", "151", debit=card.original_cost),
                                        LineInput(f"购入{card.name}", PAY_ACCOUNTS[funding],
                                                  credit=card.original_cost)])
    change(session, asset, "acquisition", card.acquired_on if voucher else date.today(), actor,
           amount=card.original_cost, voucher_id=voucher.id if voucher else None,
           note="购入并记账" if voucher else "按账面余额登记")
    _audit(session, "asset.create", village, asset, actor, code=card.code, cost=card.original_cost,
           funding=funding, voucher=voucher.id if voucher else None)
    return asset


def financial_locked(session: Session, asset: Asset) -> bool:
    """Whether amounts and dates are frozen: the card has changes beyond a registration without voucher."""
    q = select(func.count()).select_from(AssetChange).where(
        AssetChange.village_id == asset.village_id, AssetChange.asset_id == asset.id,
        or_(AssetChange.kind != "acquisition", AssetChange.voucher_id.is_not(None)))
    return bool(session.scalar(q))


def update_card(session: Session, *, village, asset: Asset, card: CardInput, actor) -> Asset:
    """Edit a card: descriptive fields always; amounts and dates only while nothing was posted or run for it."""
    refuse(card_refusal(facts_of(asset), "edit"))
    new = asdict(card)
    before = {k: getattr(asset, k) for k in DESCRIPTIVE + FINANCIAL}
    moved = [k for k in FINANCIAL if getattr(asset, k) != new[k]]
    if moved and financial_locked(session, asset):
        raise RuleError("该资产已有记账或折旧记录，编号、原值、日期、年限、残值率和累计折旧不能直接修改；"
                        "请用评估调整或处置", {k: "已锁定" for k in moved})
    if "code" in moved:
        _check_code_free(session, village.id, card.code, asset.id)
    for k in DESCRIPTIVE + FINANCIAL:
        setattr(asset, k, new[k])
    _audit(session, "asset.update", village, asset, actor,
           before={k: v for k, v in before.items() if v != new[k]},
           after={k: new[k] for k, v in before.items() if v != new[k]})
    return asset


def transfer(session: Session, *, village, asset: Asset, on: date, status: str, purpose: str, location: str,
             custodian: str, actor, note: str = "") -> AssetChange:
    """变动: location, custodian, purpose or status; no voucher (the books do not split 151 by these)."""
    action = status_action(asset.status, status)
    refuse(card_refusal(facts_of(asset), action))
    new_status = next_status(asset.status, action)
    fields = {"status": new_status, "purpose": purpose, "location": location.strip(), "custodian": custodian.strip()}
    before = {k: getattr(asset, k) for k in fields if getattr(asset, k) != fields[k]}
    if not before:
        raise RuleError("没有任何变动", {"location": "请修改至少一项"})
    after = {k: fields[k] for k in before}
    for k, v in after.items():
        setattr(asset, k, v)
    row = change(session, asset, "transfer", on, actor, before=json.dumps(before, ensure_ascii=False),
                 after=json.dumps(after, ensure_ascii=False), note=note or None)
    _audit(session, "asset.transfer", village, asset, actor, before=before, after=after)
    return row


def revalue(session: Session, *, village, asset: Asset, on: date, appraised: Decimal, actor,
            note: str = "") -> AssetChange:
    """评估: the net book value becomes the appraised value; 151 moves by the difference against 311 公积公益金
    (increase) or 515 其他支出 (decrease). The card's original cost moves by the same amount."""
    refuse(card_refusal(facts_of(asset), "revalue"))
    net = asset.original_cost - asset.accumulated_depreciation
    delta = appraised - net
    if delta == 0:
        raise RuleError("评估价值与账面净值相同，无需调整", {"appraised": "与账面净值相同"})
    summary = f"{asset.name}评估{'增值' if delta > 0 else '减值'}"
    lines = ([LineInput(summary, "151", debit=delta), LineInput(summary, "311", credit=delta)] if delta > 0 else
             [LineInput(summary, "515", debit=-delta), LineInput(summary, "151", credit=-delta)])
    voucher = post_generated(session, village=village, on=on, kind="asset_revalue", lines=lines, actor=actor)
    before = {"original_cost": str(asset.original_cost), "net": str(net)}
    asset.original_cost += delta
    row = change(session, asset, "revaluation", on, actor, amount=delta, voucher_id=voucher.id, note=note or None,
                 before=json.dumps(before), after=json.dumps({"original_cost": str(asset.original_cost),
                                                              "net": str(appraised)}))
    _audit(session, "asset.revalue", village, asset, actor, delta=delta, voucher=voucher.id)
    return row


def history(session: Session, asset: Asset) -> list[tuple[AssetChange, Voucher | None]]:
    """The card's changes, newest first, with the voucher each posted."""
    q = (select(AssetChange, Voucher).outerjoin(Voucher, Voucher.id == AssetChange.voucher_id)
         .where(AssetChange.village_id == asset.village_id, AssetChange.asset_id == asset.id)
         .order_by(AssetChange.on.desc(), AssetChange.id.desc()))
    return [(c, v) for c, v in session.execute(q)]


__all__ = ["LedgerError", "RuleError"]
