"""Access rows of the asset register: cards, depreciation, reconciliation, changes, disposals and approval."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from tests.web.access_base import HEADS, PREPARERS, READERS, V, import_job, r

TODAY = date.today().isoformat()
FULL_DECISION = {"subject": "处置", "proposal_on": "2024-01-02", "committees_on": "2024-01-05",
                 "members_on": "2024-01-08", "resolution_on": "2024-01-10", "attendees": "30", "votes_for": "25",
                 "votes_against": "3", "votes_abstain": "2", "notice_from": "2024-01-11", "notice_to": "2024-01-18",
                 "result_notice_on": "2024-02-01"}


def _asset(session, world, village, ctx, cost="12000.00"):
    """A card registered against existing balances in the village; returns its id."""
    from threeassets.assets.models import Asset
    from threeassets.core.db import transaction
    ctx["serial"] += 1
    with transaction(session):
        a = Asset(village_id=village.id, code=f"T{ctx['serial']:04d}", name="拖拉机", category="机器设备",
                  acquired_on=date(2020, 1, 15), original_cost=Decimal(cost), useful_life_months=120,
                  salvage_rate=Decimal("5.00"), accumulated_depreciation=Decimal("1000.00"))
        session.add(a)
    aid = a.id
    session.expunge_all()
    return aid


def _pending(session, world, village, ctx):
    """A pending disposal change (as if an accountant submitted a large one); returns the change id."""
    from threeassets.assets.models import AssetChange
    from threeassets.core.db import transaction
    aid = _asset(session, world, village, ctx, cost="90000.00")
    with transaction(session):
        c = AssetChange(village_id=village.id, asset_id=aid, kind="disposal", ym=int(TODAY[:4] + TODAY[5:7]),
                        on=date.today(), method="sale", proceeds=Decimal("60000.00"), status="pending",
                        after='{"receipt": "bank"}')
        session.add(c)
    cid = c.id
    session.expunge_all()
    return cid


NEEDS = {"asset": _asset, "pending_disposal": _pending, "assets_import": import_job("import.assets")}


def _card(ctx):
    ctx["serial"] += 1
    return {"funding": "existing", "code": f"N{ctx['serial']:04d}", "name": "水泵", "category": "机器设备",
            "purpose": "operating", "acquired_on": "2021-04-01", "original_cost": "8,000.00",
            "useful_life_months": "96", "salvage_rate": "5", "depreciate": "是", "accumulated_depreciation": "0"}


def _edit(ctx):
    return {**_card(ctx), "code": "KEEP", "name": "改名水泵", "original_cost": "12000.00",
            "accumulated_depreciation": "1000.00", "acquired_on": "2020-01-15", "useful_life_months": "120"}


def _transfer(ctx):
    ctx["serial"] += 1
    return {"on": TODAY, "status": "idle", "purpose": "operating", "location": f"仓库{ctx['serial']}",
            "custodian": "张三"}


def _revalue(_ctx):
    return {"on": TODAY, "appraised": "15000.00"}


def _dispose(_ctx):
    return {"method": "write_off", "on": TODAY, "proceeds": "0", "receipt": "bank", **FULL_DECISION}


def _file(ctx):
    ctx["serial"] += 1
    body = ("org_code,asset_code,name,category,acquired_on,original_cost,useful_life_months,salvage_rate,depreciate,"
            f"accumulated_depreciation\nA1,I{ctx['serial']:04d},仓库,房屋及建筑物,2018-05-01,50000.00,240,5,是,0\n")
    return {"file": (io.BytesIO(body.encode()), "assets.csv")}


def _period(_ctx):
    return {"period": TODAY[:7]}


ROUTES = [
    r("assets.index", "GET", READERS, V),
    r("assets.show", "GET", READERS, V, "asset", "asset_id"),
    r("assets.new", "GET", PREPARERS, V),
    r("assets.create", "POST", PREPARERS, V, data=_card),
    r("assets.edit", "GET", PREPARERS, V, "asset", "asset_id"),
    r("assets.update", "POST", PREPARERS, V, "asset", "asset_id", _edit),
    r("assets.upload", "POST", PREPARERS, V, "asset", "asset_id"),
    r("assets.import_file", "POST", PREPARERS, V, data=_file),
    r("assets.import_job", "GET", PREPARERS, V, "assets_import", "job_id"),
    r("assets.import_job_status", "GET", PREPARERS, V, "assets_import", "job_id"),
    r("assets.template", "GET", READERS, V),
    r("assets.depreciation_preview", "GET", READERS, V),
    r("assets.depreciation_run", "POST", PREPARERS, V, data=_period),
    r("assets.reconcile", "GET", READERS, V),
    r("assets.transfer", "GET", PREPARERS, V, "asset", "asset_id"),
    r("assets.transfer", "POST", PREPARERS, V, "asset", "asset_id", _transfer),
    r("assets.revalue", "GET", PREPARERS, V, "asset", "asset_id"),
    r("assets.revalue", "POST", PREPARERS, V, "asset", "asset_id", _revalue),
    r("assets.dispose", "GET", PREPARERS, V, "asset", "asset_id"),
    r("assets.dispose", "POST", PREPARERS, V, "asset", "asset_id", _dispose),
    r("assets.approve", "POST", HEADS, V, "pending_disposal", "change_id"),
    r("assets.reject", "POST", HEADS, V, "pending_disposal", "change_id"),
]
