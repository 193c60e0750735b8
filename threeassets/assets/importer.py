"""Card import (`import assets`, docs/import-formats.md): all-or-nothing, errors as file:line: column: reason.

Imported cards are registered against balances already in the books (no voucher): the usual case when the agency
takes over a village's books; the reconciliation page then shows whether the cards and 151/152 agree.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset
from threeassets.assets.rules import parse_card
from threeassets.assets.service import change
from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.core.xlsx import Sheet, workbook
from threeassets.orgs.models import Village

COLUMNS = ["org_code", "asset_code", "name", "category", "acquired_on", "original_cost", "useful_life_months",
           "salvage_rate", "depreciate", "accumulated_depreciation"]
OPTIONAL = ["purpose", "location", "custodian", "status", "note"]
FIELD_COLUMN = {"code": "asset_code"}  # card field → file column where the names differ
EXAMPLE = [["V001", "GZ-001", "村办公楼", "房屋及建筑物", "2015-06-20", "860000.00", "360", "5", "是", "190000.00",
            "管理用", "村委会大院", "王建国", "在用", ""],
           ["V001", "GZ-002", "村民活动中心", "房屋及建筑物", "2019-09-01", "420000.00", "300", "5", "是",
            "68000.00", "公益性", "村委会东侧", "李秀英", "在用", "一事一议项目"]]


def _row_fields(row: dict) -> dict:
    """An import row as the card parser's fields."""
    return {"code": row.get("asset_code", ""), **{k: v for k, v in row.items() if k != "asset_code"}}


def _existing_codes(session: Session, village_ids) -> set[tuple[int, str]]:
    """(village id, code) of the cards already registered."""
    q = select(Asset.village_id, Asset.code).where(Asset.village_id.in_(village_ids))
    return {(vid, code) for vid, code in session.execute(q)}


def _check(session: Session, table: Table, only_village: Village | None, today: date):
    """Parse every row; returns [(village, card)] or raises ImportError_ listing every problem."""
    codes = {row["org_code"] for _ln, row in table.rows}
    villages = {v.code: v for v in session.scalars(select(Village).where(Village.code.in_(codes)))}
    taken = _existing_codes(session, [v.id for v in villages.values()])
    errors, out, seen = [], [], {}
    for lineno, row in table.rows:
        village = villages.get(row["org_code"])
        if village is None:
            errors.append((table.name, lineno, "org_code", f"村 {row['org_code'] or '（空）'} 不存在"))
        elif only_village is not None and village.id != only_village.id:
            errors.append((table.name, lineno, "org_code", f"只能导入本村（{only_village.code}）的资产"))
        card, problems = parse_card(_row_fields(row), today)
        errors.extend((table.name, lineno, FIELD_COLUMN.get(f, f), why) for f, why in problems.items())
        if village is None or card is None:
            continue
        key = (village.id, card.code)
        if key in taken:
            errors.append((table.name, lineno, "asset_code", f"村 {village.code} 已有资产编号 {card.code}"))
        elif key in seen:
            errors.append((table.name, lineno, "asset_code", f"与第 {seen[key]} 行资产编号重复"))
        seen.setdefault(key, lineno)
        out.append((village, card))
    if not table.rows:
        errors.append((table.name, 2, "-", "文件没有数据行"))
    if errors:
        raise ImportError_(sorted(errors, key=lambda e: e[1])[:200])
    return out


def import_assets(session: Session, table: Table, actor=None, village: Village | None = None,
                  today: date | None = None) -> dict[str, int]:
    """Register the file's cards (no vouchers); all-or-nothing. `village` limits the file to one village."""
    today = today or date.today()
    rows = _check(session, table, village, today)
    per_village: dict[int, Village] = {}
    for v, card in rows:
        asset = Asset(village_id=v.id, **card.__dict__)
        session.add(asset)
        session.flush()
        change(session, asset, "acquisition", today, actor, amount=card.original_cost, note="导入登记")
        per_village[v.id] = v
    for v in per_village.values():
        n = sum(1 for vv, _c in rows if vv.id == v.id)
        record(session, "asset.import", actor=actor, township_id=v.township_id, village_id=v.id,
               detail={"file": table.name, "cards": n})
    return {"cards": len(rows), "villages": len(per_village)}


def template_xlsx(org_code: str) -> bytes:
    """The import template: header (required then optional columns) and two example rows of this village."""
    return workbook(Sheet("资产卡片", [COLUMNS + OPTIONAL], [[org_code, *row[1:]] for row in EXAMPLE],
                          widths=[16] * 15))
