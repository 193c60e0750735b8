"""The service catalogue of a township's hall: windows, service items and their materials. Never commits."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.money import parse_amount
from threeassets.core.parse import to_int, too_long
from threeassets.core.periods import typed
from threeassets.windows.models import Material, ServiceItem, Window
from threeassets.windows.rules import ALWAYS, CONDITIONAL, requirement_problem

CODE_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def default_catalogue() -> dict:
    """The packaged default catalogue (windows and items) as loaded from data/catalogue.json."""
    text = resources.files("threeassets.windows").joinpath("data/catalogue.json").read_text(encoding="utf-8")
    return json.loads(text)


NEUTRAL_SUBJECT = "简要写明申请办理什么事项"
NOTE_MAX = 200  # Material.note


@lru_cache(maxsize=1)
def _subject_examples() -> dict[str, str]:
    """Item code → an example 申请事由 of that service, from the packaged catalogue."""
    return {i["code"]: i["subject_example"] for i in default_catalogue()["items"]}


def subject_placeholder(item: ServiceItem) -> str:
    """The intake form's hint for 申请事由: an example of the item's own service (a default item), else neutral
    words — never one service's example on another's form."""
    example = _subject_examples().get(item.code)
    return f"如：{example}" if example else NEUTRAL_SUBJECT


def ensure_default_catalogue(session: Session, township, actor=None) -> int:
    """Give a township the default windows and items it lacks (by code); returns how many items were added."""
    data = default_catalogue()
    windows = {w.code: w for w in session.scalars(select(Window).where(Window.township_id == township.id))}
    for spec in data["windows"]:
        if spec["code"] not in windows:
            w = Window(township_id=township.id, code=spec["code"], name=spec["name"], phone=spec.get("phone", ""),
                       seq=spec.get("seq", 0), active=True)
            session.add(w)
            windows[w.code] = w
    session.flush()
    have = set(session.scalars(select(ServiceItem.code).where(ServiceItem.township_id == township.id)))
    added = [spec for spec in data["items"] if spec["code"] not in have]
    for spec in added:
        session.add(_item_from_spec(township.id, windows[spec["window"]].id, spec))
    session.flush()
    if added:
        record(session, "catalogue.defaults", actor=actor, township_id=township.id,
               detail={"items": [s["code"] for s in added]})
    return len(added)


def _item_from_spec(township_id: int, window_id: int, spec: dict) -> ServiceItem:
    """A ServiceItem with its materials from one entry of the packaged catalogue."""
    item = ServiceItem(township_id=township_id, window_id=window_id, code=spec["code"], name=spec["name"],
                       legal_basis=spec["legal_basis"], days_limit=spec["days"], fee=Decimal(spec["fee"]),
                       steps=spec["steps"], active=True)
    item.materials = [Material(township_id=township_id, seq=i, name=m["name"], copies=m["copies"],
                               original_required=m["original"], note=m.get("note", ""),
                               requirement=m.get("requirement", ALWAYS))
                      for i, m in enumerate(spec["materials"], start=1)]
    return item


def windows_of(session: Session, township_id: int, active_only: bool = False) -> list[Window]:
    """A township's windows in hall order."""
    q = select(Window).where(Window.township_id == township_id).order_by(Window.seq, Window.code)
    if active_only:
        q = q.where(Window.active.is_(True))
    return list(session.scalars(q))


def items_of(session: Session, township_id: int, active_only: bool = False) -> list[ServiceItem]:
    """A township's service items, by window order then name."""
    q = (select(ServiceItem).join(Window, Window.id == ServiceItem.window_id)
         .where(ServiceItem.township_id == township_id).order_by(Window.seq, Window.code, ServiceItem.id)
         .options(selectinload(ServiceItem.materials)))  # the catalogue and intake pages list them per item
    if active_only:
        q = q.where(ServiceItem.active.is_(True))
    return list(session.scalars(q))


def item_by_code(session: Session, township_id: int, code: str) -> ServiceItem | None:
    """A township's item by its code (e.g. "claim" for 村级报账)."""
    return session.scalar(select(ServiceItem).where(ServiceItem.township_id == township_id,
                                                    ServiceItem.code == code))


CODE_RULE = "编码须为1至16位字母、数字、“-”或“_”"


def _code_ok(code: str) -> bool:
    """A window or item code: 1–16 letters, digits, '-' or '_'."""
    return bool(code) and len(code) <= 16 and not set(code) - CODE_CHARS


def save_window(session: Session, township, actor, *, window: Window | None, code: str, name: str,
                phone: str = "", seq: int | str = 0, active: bool = True) -> Window:
    """Create (window=None) or update a window of the township (`seq` as typed or a number); RuleError names
    every bad field at once."""
    code, name, phone = (code or "").strip(), (name or "").strip(), (phone or "").strip()
    problems = {} if _code_ok(code) else {"code": CODE_RULE}
    if not name or len(name) > 50:
        problems["name"] = "请填写窗口名称（50字以内）"
    if len(phone) > 40:
        problems["phone"] = "窗口电话40字以内"
    seq = seq if isinstance(seq, int) else to_int(typed(seq) or "0", lo=0, hi=999)
    if seq is None:
        problems["seq"] = "排序应为0至999的整数"
    clash = session.scalar(select(Window.id).where(Window.township_id == township.id, Window.code == code))
    if clash is not None and (window is None or clash != window.id):
        problems["code"] = f"窗口编码 {code} 已存在"
    if problems:
        raise RuleError("窗口未保存：" + "；".join(problems.values()), fields=problems)
    before = None if window is None else {"code": window.code, "name": window.name, "phone": window.phone}
    if window is None:
        window = Window(township_id=township.id)
        session.add(window)
    window.code, window.name, window.phone, window.seq, window.active = code, name, phone, seq, active
    session.flush()
    record(session, "catalogue.window", actor=actor, township_id=township.id, obj=window,
           detail={"before": before, "after": {"code": code, "name": name, "phone": window.phone,
                                               "active": active}})
    return window


@dataclass
class ItemInput:
    """A service item as typed on the catalogue form."""

    code: str
    name: str
    window_id: int | None
    days_limit: str
    fee: str
    legal_basis: str
    steps: str
    active: bool
    materials: list[tuple]  # name, copies, original required, note[, requirement (rules.REQUIREMENTS; always)]


def _check_item(session: Session, township_id: int, data: ItemInput, item: ServiceItem | None) -> dict:
    """Validated column values of an item, or RuleError naming every bad field."""
    problems: dict[str, str] = {}
    values: dict = {"code": (data.code or "").strip()}
    if not _code_ok(values["code"]):
        problems["code"] = CODE_RULE
    clash = session.scalar(select(ServiceItem.id).where(ServiceItem.township_id == township_id,
                                                        ServiceItem.code == values.get("code")))
    if clash is not None and (item is None or clash != item.id):
        problems["code"] = "编码已存在"
    values["name"] = (data.name or "").strip()
    if not values["name"] or len(values["name"]) > 100:
        problems["name"] = "请填写事项名称（100字以内）"
    window = session.get(Window, data.window_id) if data.window_id else None
    if window is None or window.township_id != township_id:
        problems["window_id"] = "请选择窗口"
    values["window_id"] = data.window_id
    days = to_int(data.days_limit, lo=0, hi=60)
    if days is None:
        problems["days_limit"] = "承诺时限为0至60个工作日"
    values["days_limit"] = days or 0
    try:
        values["fee"] = parse_amount(data.fee or "0") or Decimal("0.00")
        if values["fee"] < 0:
            raise ValueError
    except Exception:  # noqa: BLE001 - any parse failure is the same message to the user
        problems["fee"] = "收费标准应为不小于0的金额"
    values["legal_basis"], values["steps"] = data.legal_basis.strip(), data.steps.strip()
    values["active"] = data.active
    if bad := _material_problems(data.materials):
        problems["materials"] = "；".join(bad)
    if problems:
        raise RuleError("服务事项未保存：" + "；".join(problems.values()), fields=problems)
    return values


def _rows(rows: list[tuple]) -> list[tuple[str, str, bool, str, str]]:
    """The named material rows from the form, stripped (blank names dropped); a row without a requirement is
    required always (必交)."""
    out = []
    for row in rows:
        name, copies, original, note, requirement = (*row, ALWAYS)[:5]
        name = (name or "").strip()
        if name:
            out.append((name, (copies or "1").strip(), bool(original), (note or "").strip(), requirement))
    return out


def _material_problems(rows: list[tuple]) -> list[str]:
    """What is wrong with each named material row, every row at once: a name too long, a number of copies out of
    1–20, a note over NOTE_MAX characters, a conditional one (视情形提交) that does not say in its note when it is
    needed."""
    out = []
    for name, copies, _original, note, requirement in _rows(rows):
        if len(name) > 100:
            out.append(f"材料名称过长（100字以内）：{name[:20]}…")
            continue  # the name is not quoted again
        if to_int(copies, lo=1, hi=20) is None:
            out.append(f"材料“{name}”的份数应为1至20")
        if why := too_long(note, NOTE_MAX, f"材料“{name}”的说明"):
            out.append(why)
        if why := requirement_problem(name, requirement, note):
            out.append(why)
    return out


def _materials(township_id: int, rows: list[tuple]) -> list[Material]:
    """Material rows from the form (checked by _material_problems), numbered in the order given."""
    return [Material(township_id=township_id, seq=seq, name=name, copies=to_int(copies, lo=1, hi=20),
                     original_required=original, note=note, requirement=requirement)
            for seq, (name, copies, original, note, requirement) in enumerate(_rows(rows), start=1)]


def save_item(session: Session, township, actor, *, item: ServiceItem | None, data: ItemInput) -> ServiceItem:
    """Create or update a service item; its material rows are replaced by the form's rows, in order.

    Cases keep their own copy of the checklist, so editing an item never changes a case already received."""
    values = _check_item(session, township.id, data, item)
    materials = _materials(township.id, data.materials)
    before = None if item is None else {"name": item.name, "days_limit": item.days_limit,
                                        "materials": [m.name for m in item.materials],
                                        "conditional": [m.name for m in item.materials if m.conditional]}
    if item is None:
        item = ServiceItem(township_id=township.id)
        session.add(item)
    for key, value in values.items():
        setattr(item, key, value)
    item.materials = materials
    session.flush()
    record(session, "catalogue.item", actor=actor, township_id=township.id, obj=item,
           detail={"before": before, "after": {"code": item.code, "name": item.name, "days_limit": item.days_limit,
                                               "materials": [m.name for m in materials],
                                               "conditional": [m.name for m in materials
                                                               if m.requirement == CONDITIONAL]}})
    return item
