"""Resources register use cases: search, add, edit, import, totals by type and status. Never commits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from threeassets.core import hooks
from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.core.errors import RuleError
from threeassets.core.pagination import search_filters
from threeassets.orgs.models import Village
from threeassets.resources.models import Resource
from threeassets.resources.rules import STATUS_LABELS, TYPES, ResourceInput, parse_resource

IMPORT_COLUMNS = ["org_code", "resource_code", "name", "type", "location", "area_mu", "east", "south", "west",
                  "north", "certificate_no", "status"]
FIELDS = ("code", "name", "rtype", "location", "area_mu", "east", "south", "west", "north", "certificate_no",
          "status", "note")
ZERO = Decimal("0.00")


def search(village_id: int, args) -> Select:
    """The village's resources matching the list filters (type, status, keyword), in code order."""
    q = search_filters(select(Resource).where(Resource.village_id == village_id), args,
                       {"rtype": (Resource.rtype, TYPES), "status": (Resource.status, STATUS_LABELS)},
                       (Resource.code, Resource.name, Resource.location, Resource.certificate_no))
    return q.order_by(Resource.code)


def _held(session: Session, resource: Resource) -> bool:
    """Whether another register holds the resource (an active contract lets it: its status stays 已发包/出租)."""
    return bool(hooks.answers(hooks.resource_held, resource, session=session))


def _check_code_free(session: Session, village_id: int, code: str, own_id: int | None = None) -> None:
    """Refuse a resource code the village already uses."""
    q = select(Resource.id).where(Resource.village_id == village_id, Resource.code == code)
    other = session.scalar(q)
    if other is not None and other != own_id:
        raise RuleError(f"资源编码 {code} 已存在", {"code": "本村已有此编码"})


def create(session: Session, *, village: Village, data: dict, actor) -> Resource:
    """Add a resource to the register."""
    inp = parse_resource(data)
    _check_code_free(session, village.id, inp.code)
    res = Resource(village_id=village.id, **{f: getattr(inp, f) for f in FIELDS})
    res.note = inp.note or None
    session.add(res)
    session.flush()
    record(session, "resource.create", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=res, detail={f: getattr(inp, f) for f in FIELDS if getattr(inp, f)})
    return res


def update(session: Session, *, village: Village, resource: Resource, data: dict, actor) -> Resource:
    """Edit a resource; a resource let by an active contract keeps the status 已发包/出租."""
    inp = parse_resource(data)
    _check_code_free(session, village.id, inp.code, resource.id)
    if inp.status != resource.status and resource.status == "let" and _held(session, resource):
        raise RuleError("该资源有生效中的合同，状态须为“已发包/出租”；合同终止或到期后自动恢复",
                        {"status": "有生效中的合同"})
    before = {f: getattr(resource, f) or "" for f in FIELDS}
    after = {f: getattr(inp, f) for f in FIELDS}
    changed = {f: [before[f], after[f]] for f in FIELDS if before[f] != after[f]}
    for f in FIELDS:
        setattr(resource, f, after[f])
    resource.note = inp.note or None
    record(session, "resource.update", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=resource, detail={"changed": changed})
    return resource


def _import_row(table: Table, lineno: int, row: dict, villages: dict, errors: list, only: bool) -> tuple | None:
    """Check one import row; returns (village, ResourceInput) or None after noting its problems."""
    village = villages.get(row["org_code"])
    if village is None:
        why = "不是本村的编码" if only else "不存在"
        errors.append((table.name, lineno, "org_code", f"村 {row['org_code'] or '（空）'} {why}"))
    data = {f: row.get(f, "") for f in FIELDS}
    data.update(code=row["resource_code"], rtype=row["type"])
    column = {"code": "resource_code", "rtype": "type"}
    try:
        inp = parse_resource(data)
    except RuleError as exc:
        errors.extend((table.name, lineno, column.get(f, f), why) for f, why in exc.fields.items())
        return None
    return (village, inp) if village is not None else None


def import_resources(session: Session, table: Table, actor=None, only_village: Village | None = None
                     ) -> dict[str, int]:
    """Add resources from the import columns; all-or-nothing. only_village limits the file to one village."""
    codes = {row["org_code"] for _ln, row in table.rows}
    villages = {v.code: v for v in session.scalars(select(Village).where(Village.code.in_(codes)))}
    if only_village is not None:
        villages = {only_village.code: only_village}
    existing = {(vid, code) for vid, code in session.execute(
        select(Resource.village_id, Resource.code).where(Resource.village_id.in_([v.id for v in villages.values()])))}
    errors: list[tuple[str, int, str, str]] = []
    good: list[tuple[Village, ResourceInput]] = []
    for lineno, row in table.rows:
        checked = _import_row(table, lineno, row, villages, errors, only_village is not None)
        if checked is None:
            continue
        village, inp = checked
        if (village.id, inp.code) in existing:
            errors.append((table.name, lineno, "resource_code", f"村 {village.code} 已有资源编码 {inp.code}"))
        existing.add((village.id, inp.code))
        good.append(checked)
    if not table.rows:
        errors.append((table.name, 2, "-", "文件没有数据行"))
    if errors:
        raise ImportError_(errors[:200])
    for village, inp in good:
        session.add(Resource(village_id=village.id, **{f: getattr(inp, f) for f in FIELDS if f != "note"}))
    for vid in {v.id for v, _i in good}:
        village = next(v for v, _i in good if v.id == vid)
        n = sum(1 for v, _i in good if v.id == vid)
        record(session, "resource.import", actor=actor, township_id=village.township_id, village_id=vid,
               detail={"file": table.name, "rows": n})
    session.flush()
    return {"rows": len(good), "villages": len({v.id for v, _i in good})}


@dataclass
class Cell:
    """A count of resources and their area."""

    count: int = 0
    area: Decimal = ZERO

    def add(self, count: int, area: Decimal) -> None:
        """Add parcels and area to the cell."""
        self.count += count
        self.area += area


@dataclass
class Summary:
    """Totals by type (rows) and status (columns) with row, column and grand totals."""

    cells: dict[tuple[str, str], Cell] = field(default_factory=lambda: defaultdict(Cell))
    by_type: dict[str, Cell] = field(default_factory=lambda: defaultdict(Cell))
    by_status: dict[str, Cell] = field(default_factory=lambda: defaultdict(Cell))
    total: Cell = field(default_factory=Cell)

    def add(self, rtype: str, status: str, count: int, area: Decimal) -> None:
        """Add a group's count and area everywhere it counts."""
        for cell in (self.cells[(rtype, status)], self.by_type[rtype], self.by_status[status], self.total):
            cell.add(count, area)

    @property
    def types(self) -> list[str]:
        """The types present, in the register's order."""
        return [t for t in TYPES if t in self.by_type]


def _grouped(session: Session, village_ids: list[int]):
    """(village id, type, status, count, area) groups of the villages' resources, summed in SQL."""
    q = (select(Resource.village_id, Resource.rtype, Resource.status, func.count(), func.sum(Resource.area_mu))
         .where(Resource.village_id.in_(village_ids))
         .group_by(Resource.village_id, Resource.rtype, Resource.status))
    return session.execute(q).all()


def summary(session: Session, village_ids: list[int]) -> tuple[Summary, dict[int, Summary]]:
    """Totals by type and status over the villages, and the same per village."""
    whole, per = Summary(), defaultdict(Summary)
    for vid, rtype, status, count, area in _grouped(session, village_ids):
        whole.add(rtype, status, count, area or ZERO)
        per[vid].add(rtype, status, count, area or ZERO)
    return whole, dict(per)
