"""Contract import (one row per contract): subject codes, a simple schedule spec and an optional decision
record; all-or-nothing, as drafts or activated."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset
from threeassets.contracts import service
from threeassets.contracts.decision import FIELDS as DECISION_FIELDS
from threeassets.contracts.decision import PREFIX
from threeassets.contracts.rules import AWARD_METHODS, KINDS, PARTY_TYPES, parse_date
from threeassets.contracts.schedule import FREQUENCIES, FREQUENCY_LABELS
from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table, csv_text
from threeassets.core.errors import RuleError
from threeassets.core.money import AmountError, parse_amount
from threeassets.orgs.models import Village
from threeassets.resources.models import Resource

COLUMNS = ["org_code", "contract_code", "title", "kind", "party_type", "party_name", "party_id_no",
           "award_method", "signed_on", "starts_on", "ends_on", "total_price", "subject_code", "schedule"]
OPTIONAL = ["subject_area", "deposit", "income_account", "party_phone", "party_address", "note",
            *[f for f in DECISION_FIELDS if f != "remarks"]]
# Chinese labels are accepted wherever a code is expected.
LABEL_TO_CODE = {label: code for table in (KINDS, AWARD_METHODS, PARTY_TYPES, FREQUENCY_LABELS)
                 for code, label in table.items()}
COLUMN_OF = {"code": "contract_code", "frequency": "schedule", "subjects": "subject_code", "decision": "resolution_on",
             **{PREFIX + f: f for f in DECISION_FIELDS}}


def _code(text: str) -> str:
    """A coded choice from its code or Chinese label."""
    return LABEL_TO_CODE.get(text.strip(), text.strip())


def parse_schedule(spec: str):
    """A schedule spec: a frequency (yearly, half_yearly, quarterly, once or 按年 …) → (frequency, None), or
    explicit installments "2025-03-01:5000;2026-03-01:5000" → (None, [(date, amount)]). RuleError if neither."""
    spec = _code(spec or "")
    if spec in FREQUENCIES:
        return spec, None
    rows = []
    for part in [p for p in spec.replace("；", ";").split(";") if p.strip()]:
        day_text, _sep, amount_text = part.partition(":")
        try:
            amount = parse_amount(amount_text)
        except AmountError as exc:
            raise RuleError(str(exc), {"frequency": f"“{part}”的金额：{exc}"}) from None
        if parse_date(day_text) is None or amount is None:
            raise RuleError("收款计划格式错误", {"frequency": f"“{part}”应写作 YYYY-MM-DD:金额"})
        rows.append((parse_date(day_text), amount))
    if not rows:
        raise RuleError("收款计划格式错误", {"frequency": "填 yearly/half_yearly/quarterly/once 或 日期:金额;…"})
    return None, rows


def _subject_refs(session: Session, village_id: int, codes: str, area: str) -> list[tuple[str, str]]:
    """Subject references from "CODE;CODE" (resources) or "asset:CODE" tokens; area only for one subject."""
    tokens = [t.strip() for t in (codes or "").replace("；", ";").split(";") if t.strip()]
    if not tokens:
        raise RuleError("请填写合同标的编码", {"subjects": "请填写资源编码（资产写作 asset:编码）"})
    if area and len(tokens) > 1:
        raise RuleError("多个标的时不能填写发包面积", {"subject_area": "多个标的时不能填写发包面积"})
    refs = []
    for token in tokens:
        is_asset = token.lower().startswith("asset:")
        model, code = (Asset, token[6:]) if is_asset else (Resource, token)
        rid = session.scalar(select(model.id).where(model.village_id == village_id, model.code == code))
        if rid is None:
            raise RuleError("标的不存在", {"subjects": f"本村没有{'资产' if is_asset else '资源'}编码 {code}"})
        refs.append((f"{'asset' if is_asset else 'resource'}:{rid}", area))
    return refs


def _row_data(row: dict, frequency: str | None) -> dict:
    """The form-shaped data of an import row."""
    data = {f: row.get(f, "") for f in ("title", "party_name", "party_id_no", "signed_on", "starts_on", "ends_on",
                                        "total_price", "deposit", "income_account", "party_phone",
                                        "party_address", "note")}
    data.update(code=row["contract_code"], kind=_code(row["kind"]), party_type=_code(row["party_type"]),
                award_method=_code(row["award_method"]), frequency=frequency or "once")
    data.update({PREFIX + f: row.get(f, "") for f in DECISION_FIELDS})
    return data


def _one(session: Session, village: Village, row: dict, actor, today: date, activate: bool):
    """Create (and maybe activate) the contract of one row; RuleError with fields on a problem."""
    frequency, rows = parse_schedule(row["schedule"])
    refs = _subject_refs(session, village.id, row["subject_code"], row.get("subject_area", ""))
    c = service.create_draft(session, village=village, data=_row_data(row, frequency), refs=refs, actor=actor,
                             today=today)
    if rows is not None:
        service.set_schedule(session, c, rows)
    if activate:
        service.activate(session, village=village, contract=c, actor=actor)
    return c


def import_contracts(session: Session, table: Table, *, actor=None, today: date, activate: bool = False,
                     only_village: Village | None = None) -> dict[str, int]:
    """Contracts from the import columns; any problem refuses the whole file (nothing written)."""
    codes = {row["org_code"] for _ln, row in table.rows}
    villages = ({only_village.code: only_village} if only_village is not None else
                {v.code: v for v in session.scalars(select(Village).where(Village.code.in_(codes)))})
    errors: list[tuple[str, int, str, str]] = []
    made = 0
    for lineno, row in table.rows:
        village = villages.get(row["org_code"])
        if village is None:
            errors.append((table.name, lineno, "org_code", f"村 {row['org_code'] or '（空）'} 不存在或不是本村"))
            continue
        try:
            _one(session, village, row, actor, today, activate)
            made += 1
        except RuleError as exc:
            fields = exc.fields or {"-": str(exc)}
            errors.extend((table.name, lineno, COLUMN_OF.get(f, f), why) for f, why in fields.items())
    if not table.rows:
        errors.append((table.name, 2, "-", "文件没有数据行"))
    if errors:
        raise ImportError_(errors[:200])
    for village in {villages[row["org_code"]].id: villages[row["org_code"]] for _ln, row in table.rows}.values():
        record(session, "contract.import", actor=actor, township_id=village.township_id, village_id=village.id,
               detail={"file": table.name, "activated": activate})
    return {"contracts": made, "activated": activate}


def template_csv(org_code: str) -> str:
    """The import template: header and two example rows (a person's land contract, an organisation's lease)."""
    header = COLUMNS + ["subject_area", "deposit", "resolution_on", "votes_for", "attendees", "notice_from",
                        "notice_to", "proposal_on", "committees_on"]
    rows = [[org_code, "HT-2025-001", "村东耕地承包合同", "发包", "个人", "张三", "340121198005121234", "协商",
             "2025-01-01", "2025-01-01", "2029-12-31", "25000.00", "GD-001", "按年", "", "1000.00",
             "2024-12-10", "25", "30", "2024-12-11", "2024-12-18", "2024-12-01", "2024-12-05"],
            [org_code, "HT-2025-002", "南塘鱼塘租赁合同", "出租", "单位/组织", "绿源水产专业合作社",
             "93340100MA2N0DEM0J", "公开招标", "2025-03-01", "2025-03-01", "2026-02-28", "12000.00",
             "SM-001", "2025-03-01:6000;2025-09-01:6000", "", "", "2025-02-10", "30", "35", "2025-02-11",
             "2025-02-18", "", ""]]
    return csv_text(header, rows)
