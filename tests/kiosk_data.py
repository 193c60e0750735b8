"""Subsidy rows for the kiosk's tests, written straight to the subsidy side's tables (its import and notice
services are another package's; the kiosk reads them only through threeassets/subsidies/public.py).

Every household carries a whole resident ID, and the notes hold a card number and a mobile: what the public
pages must never show."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ID_ZHANG = "34010219800101123X"  # 张三 of a1: the lookup's household (last four 123X)
ID_LI = "340102198502023456"
CARD = "6222021234567890123"
MOBILE = "13955101234"


@dataclass
class Subsidies:
    """Ids of what seed() made."""

    policy_id: int
    paid_batch: int
    noticing_batch: int
    draft_batch: int


def seed(session, world) -> Subsidies:
    """In township A: two households of a1, a paid batch and one in its notice period of 耕地地力保护补贴, and a
    draft batch (never public) of another policy."""
    return seed_village(session, world.township_a, world.a1)


def seed_village(session, ta, a1) -> Subsidies:
    """The same rows in any township and village of it."""
    from sqlalchemy import select

    from threeassets.core.db import transaction
    from threeassets.subsidies.models import Batch, BatchRow, Household, Policy
    with transaction(session):
        policies = list(session.scalars(select(Policy).where(Policy.township_id == ta.id).order_by(Policy.code)))
        land = next(p for p in policies if p.name == "耕地地力保护补贴")
        other = next(p for p in policies if p.id != land.id)
        zhang = Household(township_id=ta.id, village_id=a1.id, group_name="一组", number="0001", head_name="张三",
                          id_number=ID_ZHANG, id_last4=ID_ZHANG[-4:], members=4, land_area=Decimal("6.50"),
                          card_last4=CARD[-4:], note=f"一卡通 {CARD}，电话 {MOBILE}")
        li = Household(township_id=ta.id, village_id=a1.id, group_name="二组", number="340102001002",
                       head_name="李四", id_number=ID_LI, id_last4=ID_LI[-4:], members=3, land_area=Decimal("4.00"))
        session.add_all([zhang, li])
        session.flush()
        batches = []
        for year, name, state, policy in ((2025, "测试一批", "paid", land), (2026, "测试二批", "noticing", land),
                                          (2026, "草稿批", "draft", other)):
            batch = Batch(township_id=ta.id, policy_id=policy.id, year=year, name=name, state=state, notice_days=7,
                          notice_from=None if state == "draft" else date(year, 5, 1),
                          notice_to=None if state == "draft" else date(year, 5, 7),
                          paid_on=date(year, 6, 1) if state == "paid" else None)
            session.add(batch)
            session.flush()
            for h in (zhang, li):
                amount = (h.land_area * Decimal("112.50")).quantize(Decimal("0.01"))
                session.add(BatchRow(township_id=ta.id, batch_id=batch.id, village_id=a1.id, household_id=h.id,
                                     quantity=h.land_area, rate=Decimal("112.50"), amount=amount,
                                     paid_amount=amount if state == "paid" else None,
                                     paid_on=date(year, 6, 1) if state == "paid" else None))
            batches.append(batch.id)
    out = Subsidies(land.id, *batches)
    session.expunge_all()
    return out
