"""Pure rules of the resources register: types, statuses, and checking a typed or imported resource."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from threeassets.core.errors import RuleError
from threeassets.core.money import AmountError, parse_amount

# The resource types of the register (资源性资产分类), stored as their Chinese names.
TYPES = ("耕地", "林地", "草地", "园地", "滩涂", "水面", "四荒地", "建设用地", "其他")
STATUS_LABELS = {"unlet": "未发包", "let": "已发包/出租", "self_used": "自用", "other": "其他"}
# Typed or imported statuses may be the code or its Chinese label (a clerk types 已发包 or 出租).
STATUS_ALIASES = {**{v: k for k, v in STATUS_LABELS.items()}, "已发包": "let", "已出租": "let", "出租": "let",
                  "发包": "let"}
CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
MAX_AREA = Decimal("99999999.99")
LIMITS = {"name": 100, "location": 200, "east": 100, "south": 100, "west": 100, "north": 100,
          "certificate_no": 100, "note": 2000}
LABELS = {"code": "资源编码", "name": "名称", "rtype": "类型", "location": "坐落位置", "area_mu": "面积（亩）",
          "east": "东至", "south": "南至", "west": "西至", "north": "北至", "certificate_no": "权证编号",
          "status": "状态", "note": "备注"}


@dataclass(frozen=True)
class ResourceInput:
    """A resource as typed or imported, checked."""

    code: str
    name: str
    rtype: str
    location: str
    area_mu: Decimal
    east: str
    south: str
    west: str
    north: str
    certificate_no: str
    status: str
    note: str = ""


def parse_area(text: str | None) -> Decimal:
    """An area in 亩: a positive number with at most two decimals; RuleError naming area_mu otherwise."""
    try:
        value = parse_amount(text, allow_negative=True)
    except AmountError as exc:
        why = str(exc).replace("金额", "面积")
        raise RuleError(f"面积：{why}", {"area_mu": why}) from None
    if value is None:
        raise RuleError("请填写面积", {"area_mu": "请填写面积"})
    if value <= 0:
        raise RuleError("面积必须大于0", {"area_mu": "面积必须大于0（不能为负数或零）"})
    if value > MAX_AREA:
        raise RuleError("面积过大", {"area_mu": "面积过大"})
    return value


def parse_status(text: str | None) -> str | None:
    """A status code from its code or Chinese label ('' → unlet); None when unknown."""
    s = (text or "").strip()
    if not s:
        return "unlet"
    return s if s in STATUS_LABELS else STATUS_ALIASES.get(s)


def _text_problems(values: dict[str, str]) -> dict[str, str]:
    """Length problems of the free-text fields."""
    return {f: f"{LABELS[f]}最多{n}字" for f, n in LIMITS.items() if len(values.get(f, "")) > n}


def parse_resource(data: dict) -> ResourceInput:
    """Check a resource's fields (form or import row); RuleError with every problem by field."""
    values = {k: str(data.get(k) or "").strip() for k in LABELS}
    problems = _text_problems(values)
    if not CODE_RE.match(values["code"]):
        problems["code"] = "资源编码为1至32位字母、数字、点、横线或下划线"
    if not values["name"]:
        problems["name"] = "请填写名称"
    if values["rtype"] not in TYPES:
        problems["rtype"] = "类型应为：" + "、".join(TYPES)
    status = parse_status(values["status"])
    if status is None:
        problems["status"] = "状态应为：" + "、".join(STATUS_LABELS.values())
    area = None
    try:
        area = parse_area(values["area_mu"])
    except RuleError as exc:
        problems.update(exc.fields)
    if problems:
        first = next(iter(problems))
        raise RuleError(f"{LABELS[first]}：{problems[first]}", problems)
    return ResourceInput(values["code"], values["name"], values["rtype"], values["location"], area,
                         values["east"], values["south"], values["west"], values["north"],
                         values["certificate_no"], status, values["note"])
