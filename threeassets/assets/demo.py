"""Demo data of the assets feature: a dozen cards per village brought in with the village's opening balances (their
cost and depreciation are part of the 151/152 openings), each closed month's depreciation run before the month is
closed, one disposal waiting for the head. This month's depreciation is left to run."""
from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal

from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.rules import add_months, schedule
from threeassets.decisions.models import DecisionRecord

# name, category, purpose, cost (yuan), life (months), acquired, location, custodian, status
CARDS = [
    ("村委会办公楼", "房屋及建筑物", "management", 860000, 360, "2012-05-20", "村委会大院", "王建国", "in_use"),
    ("村民活动中心", "房屋及建筑物", "welfare", 420000, 300, "2019-09-01", "村委会东侧", "李秀英", "in_use"),
    ("文化广场及健身器材", "农业基础设施", "welfare", 160000, 120, "2021-06-15", "村中心广场", "李秀英", "in_use"),
    ("农机仓库", "房屋及建筑物", "operating", 230000, 240, "2016-03-10", "一组", "张德明", "in_use"),
    ("标准化厂房", "房屋及建筑物", "operating", 1250000, 300, "2018-11-01", "工业集中区3号", "张德明", "leased"),
    ("拖拉机（东方红LX904）", "机器设备", "operating", 186000, 120, "2020-04-08", "农机仓库", "刘长海", "in_use"),
    ("联合收割机", "机器设备", "operating", 268000, 120, "2021-05-20", "农机仓库", "刘长海", "in_use"),
    ("二组水泵站", "水利设施", "operating", 145000, 180, "2017-07-01", "二组渠首", "赵永福", "in_use"),
    ("灌溉机井及管网", "农业基础设施", "welfare", 98000, 180, "2019-03-15", "三组、四组", "赵永福", "in_use"),
    ("办公电脑及打印机", "办公设备", "management", 26800, 60, "2022-08-12", "村委会财务室", "王建国", "in_use"),
    ("村务监控系统", "办公设备", "welfare", 43500, 60, "2023-04-18", "村委会值班室", "王建国", "in_use"),
    ("农用运输车", "运输工具", "operating", 96000, 96, "2019-10-25", "农机仓库", "刘长海", "idle"),
    ("旧挖掘机", "机器设备", "operating", 380000, 120, "2014-04-01", "农机仓库", "刘长海", "idle"),
]
SALVAGE = Decimal("5.00")


def _card(village, n: int, spec, scale: Decimal, last_ym: int) -> Asset:
    """One card, depreciated through last month by the straight-line schedule."""
    name, category, purpose, cost, life, acquired, location, custodian, status = spec
    cost = (Decimal(cost) * scale / 100).quantize(Decimal("1")) * 100
    on = date.fromisoformat(acquired)
    done = [r for r in schedule(cost, SALVAGE, life, on) if r.ym <= last_ym]
    return Asset(village_id=village.id, code=f"GZ-{n:03d}", name=name, category=category, purpose=purpose,
                 location=location, custodian=custodian, acquired_on=on, original_cost=cost, useful_life_months=life,
                 salvage_rate=SALVAGE, depreciate=True, accumulated_depreciation=done[-1].accumulated if done else 0,
                 depreciated_through=done[-1].ym if done else None, status=status)


def _pending_disposal(session, village, asset: Asset, actor, today: date) -> None:
    """The old excavator sold at auction, decided by every 四议两公开 step, waiting for the head's approval."""
    rec = DecisionRecord(village_id=village.id, subject="拍卖处置闲置旧挖掘机", proposal_on=date(today.year, 1, 8),
                         committees_on=date(today.year, 1, 12), members_on=date(today.year, 1, 15),
                         resolution_on=date(today.year, 1, 20), votes_for=41, votes_against=3, votes_abstain=1,
                         attendees=45, notice_from=date(today.year, 1, 21), notice_to=date(today.year, 1, 28),
                         result_notice_on=date(today.year, 2, 5), created_by_id=actor.id)
    session.add(rec)
    session.flush()
    session.add(AssetChange(village_id=village.id, asset_id=asset.id, kind="disposal", ym=today.year * 100 +
                            today.month, on=today, method="auction", proceeds=Decimal("65000.00"),
                            counterparty="县公共资源交易中心竞得人 孙立军", decision_id=rec.id, status="pending",
                            actor_id=actor.id, after=json.dumps({"receipt": "bank"})))


def opening_balances(session, village, index: int, start_ym: int, actor) -> dict[str, tuple[Decimal, Decimal]]:
    """Register the village's cards as they stood at the end of the month before its books start (接管建账登记) and
    return what they add to its opening balances: 151 at cost, 152 their depreciation, the net value in 301 资本."""
    rnd = random.Random(village.code)
    scale = [Decimal("1.00"), Decimal("0.80"), Decimal("1.20")][index % 3]
    specs = CARDS if index == 0 else [c for c in CARDS if rnd.random() > 0.15]
    cards = [_card(village, n, spec, scale, add_months(start_ym, -1)) for n, spec in enumerate(specs, start=1)]
    session.add_all(cards)
    session.flush()
    on = date(start_ym // 100, start_ym % 100, 1)
    session.add_all(AssetChange(village_id=village.id, asset_id=a.id, kind="acquisition", ym=start_ym, on=on,
                                amount=a.original_cost, note="接管建账登记", actor_id=actor.id) for a in cards)
    cost = sum((a.original_cost for a in cards), Decimal(0))
    acc = sum((a.accumulated_depreciation for a in cards), Decimal(0))
    return {"151": (cost, Decimal(0)), "152": (Decimal(0), acc), "301": (Decimal(0), cost - acc)}


def month_end(session, village, ym: int, actor) -> None:
    """The month's depreciation run, as the accountant does it before closing the month."""
    from threeassets.assets.depreciation import preview, run
    if preview(session, village.id, ym).total:
        run(session, village=village, ym=ym, actor=actor)


def load(session, township, villages, users, today) -> None:
    """In 东风村, the fully depreciated 旧挖掘机 put up for auction, waiting for the head."""
    from sqlalchemy import select
    village = villages[0]
    excavator = session.scalar(select(Asset).where(Asset.village_id == village.id,
                                                   Asset.code == f"GZ-{len(CARDS):03d}"))
    if excavator is not None:
        _pending_disposal(session, village, excavator, users["kuaiji"], today)
