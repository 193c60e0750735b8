"""The registers' part of the 会计报表附注 (statements.notes): fixed assets by card category over the year, and the
facts the policy text states about the cards. Answered through core.hooks.statement_notes (assets/hooks.py)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.reconcile import card_figures
from threeassets.assets.rules import CATEGORIES
from threeassets.core.periods import prev_ym, year_start
from threeassets.statements.notes import AssetMove, CardFacts

ZERO = Decimal("0.00")


def _depreciation_in(session: Session, village_id: int, start: int, end: int) -> dict[int, Decimal]:
    """Card id → depreciation booked on the card in months start..end."""
    q = (select(AssetChange.asset_id, func.sum(AssetChange.amount))
         .where(AssetChange.village_id == village_id, AssetChange.kind == "depreciation",
                AssetChange.status == "done", AssetChange.ym.between(start, end))
         .group_by(AssetChange.asset_id))
    return {aid: total or ZERO for aid, total in session.execute(q)}


def asset_moves(session: Session, village_ids: list[int], ym: int) -> list[AssetMove]:
    """Fixed assets by card category: cost and accumulated depreciation at the year start, added, taken out and at
    the end of ym (a card's cost change counts as added or taken out; depreciation added is what was booked)."""
    moves: dict[str, AssetMove] = {}
    before = prev_ym(year_start(ym))
    for vid in village_ids:
        if not session.scalar(select(Asset.id).where(Asset.village_id == vid).limit(1)):
            continue
        start = {a.id: (cost, acc) for a, cost, acc in card_figures(session, vid, before)}
        end = {a.id: (a, cost, acc) for a, cost, acc in card_figures(session, vid, ym)}
        category = {a.id: a.category for a, _c, _d in end.values()}
        if start:
            category.update((a.id, a.category) for a in session.scalars(
                select(Asset).where(Asset.village_id == vid, Asset.id.in_(list(start)))))
        booked = _depreciation_in(session, vid, year_start(ym), ym)
        for aid, cat in category.items():
            cost0, acc0 = start.get(aid, (ZERO, ZERO))
            _a, cost1, acc1 = end.get(aid, (None, ZERO, ZERO))
            m = moves.setdefault(cat, AssetMove(cat))
            added = booked.get(aid, ZERO)
            for target, values in ((m.cost, (cost0, max(cost1 - cost0, ZERO), max(cost0 - cost1, ZERO), cost1)),
                                   (m.depreciation, (acc0, added, acc0 + added - acc1, acc1))):
                for i, v in enumerate(values):
                    target[i] += v
    order = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(moves.values(), key=lambda m: (order.get(m.category, len(order)), m.category))


def card_facts(session: Session, village_id: int, ym: int) -> CardFacts:
    """How many cards are on the books at the end of ym, how many are not depreciated, their salvage rates."""
    cards = [a for a, _cost, _acc in card_figures(session, village_id, ym)]
    rates = [a.salvage_rate for a in cards]
    return CardFacts(len(cards), sum(1 for a in cards if not a.depreciate),
                     (min(rates), max(rates)) if rates else None)


def notes_parts(session: Session, village_ids: list[int], ym: int) -> dict:
    """The registers' parts of the notes: "assets" always, "cards" for one village."""
    parts: dict = {"assets": asset_moves(session, village_ids, ym)}
    if len(village_ids) == 1:
        parts["cards"] = card_facts(session, village_ids[0], ym)
    return parts
