"""Pure rules of the asset register: straight-line depreciation, card checks, card states, disposal amounts.

Depreciation (年限平均法): the depreciable amount is cost × (1 − salvage rate), rounded to the fen ROUND_HALF_UP;
the monthly amount is that divided by the useful life in months, rounded the same way. Depreciation starts in
the month after the month of acquisition (an asset bought on any day of May is first depreciated in June) and
stops after the last month of the useful life or when the depreciable amount is reached. Each month takes the
monthly amount or what is left, whichever is smaller; the last month of the life takes everything left, so the
total is exact to the fen whatever the rounding of the monthly amount. A card imported with depreciation already
accumulated continues from that figure: its remaining months take the monthly amount and the last one the rest.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from threeassets.core.money import AmountError, parse_amount, parse_percent
from threeassets.core.parse import to_int
from threeassets.core.periods import PeriodError, add_months, parse_day, ym_of
from threeassets.core.workflow import Workflow, permitted

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

STATUS_LABELS = {"in_use": "在用", "leased": "出租", "idle": "闲置", "disposed": "已处置"}
PURPOSE_LABELS = {"operating": "经营性", "welfare": "公益性", "management": "管理用"}
CATEGORIES = ["房屋及建筑物", "机器设备", "运输工具", "农业基础设施", "水利设施", "办公设备", "其他"]
METHOD_LABELS = {"sale": "出售", "auction": "拍卖", "write_off": "报废"}
KIND_LABELS = {"depreciation": "计提折旧", "transfer": "变动", "revaluation": "评估", "disposal": "处置"}
# purpose → expense account the month's depreciation goes to (2023 standard, notes of 152, 511, 513, 514)
EXPENSE_ACCOUNT = {"operating": "511", "management": "513", "welfare": "514"}

# --- card states ------------------------------------------------------------------------------------------

# (status, action) → next status; a disposed card takes no action at all.
LIVE = ("in_use", "leased", "idle")
TRANSITIONS: dict[tuple[str, str], str] = {
    (s, a): to for s in LIVE for a, to in (("edit", s), ("transfer", s), ("revalue", s), ("depreciate", s),
                                           ("dispose", "disposed"), ("use", "in_use"), ("lease", "leased"),
                                           ("idle", "idle"))
}
ACTIONS = ("edit", "transfer", "revalue", "depreciate", "dispose", "use", "lease", "idle")
ACTION_LABELS = {"edit": "修改", "transfer": "变动", "revalue": "评估", "depreciate": "计提折旧", "dispose": "处置",
                 "use": "转为在用", "lease": "出租", "idle": "转为闲置"}
STATUS_ACTION = {"in_use": "use", "leased": "lease", "idle": "idle"}


CARD_FLOW = Workflow(TRANSITIONS, "资产{state}，不能{action}", STATUS_LABELS, ACTION_LABELS)
next_status = CARD_FLOW.next  # the card's status after an action, or IllegalMove ("资产已处置，不能修改")
# The permission (auth.rules.PERMISSIONS) each card action needs: keeping the register is one permission.
CARD_PERMISSION = {action: "registers.edit" for action in ACTIONS}


@dataclass(frozen=True)
class CardFacts:
    """What the rules of what may be done to an asset card need to know about it."""

    status: str
    pending_disposal: bool = False  # a disposal of it waits for the head's approval


def card_refusal(facts: CardFacts, action: str) -> str | None:
    """Why the action may not be taken on the card (its state, a disposal already waiting); None when the rules
    allow it. The services refuse with this sentence; the pages offer only what it allows."""
    if why := CARD_FLOW.why_not(facts.status, action):
        return why
    if action == "dispose" and facts.pending_disposal:
        return "该资产已有待审批的处置申请"
    return None


def card_actions(facts: CardFacts, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on the card, in ACTIONS order."""
    return permitted(ACTIONS, permissions, CARD_PERMISSION, lambda a: card_refusal(facts, a))


def status_action(status: str, new_status: str) -> str:
    """The action a 变动 to `new_status` is: 'transfer' when the status stays, else use/lease/idle (or the typed
    value itself, which the table then refuses)."""
    return "transfer" if new_status == status else STATUS_ACTION.get(new_status, new_status)


# --- depreciation -----------------------------------------------------------------------------------------


def _round(value: Decimal) -> Decimal:
    """Round to the fen, half up (the one rounding of the register)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def depreciable_amount(cost: Decimal, salvage_rate: Decimal) -> Decimal:
    """What depreciation may reach: cost × (1 − salvage rate %)."""
    return _round(cost * (HUNDRED - salvage_rate) / HUNDRED)


def monthly_amount(cost: Decimal, salvage_rate: Decimal, life_months: int) -> Decimal:
    """The regular monthly depreciation (the last month takes the rounding remainder)."""
    return _round(depreciable_amount(cost, salvage_rate) / life_months)


def month_index(acquired_on: date, ym: int) -> int:
    """Which month of depreciation ym is: 1 = the month after acquisition, 0 or less = not started."""
    return (ym // 100 - acquired_on.year) * 12 + ym % 100 - acquired_on.month


def amount_for_month(cost: Decimal, salvage_rate: Decimal, life_months: int, acquired_on: date, ym: int,
                     accumulated: Decimal) -> Decimal:
    """The depreciation of month ym given what is already accumulated (zero outside the life or when full)."""
    k = month_index(acquired_on, ym)
    if k < 1 or k > life_months:
        return ZERO
    remaining = depreciable_amount(cost, salvage_rate) - accumulated
    if remaining <= 0:
        return ZERO
    if k == life_months:
        return remaining
    return min(monthly_amount(cost, salvage_rate, life_months), remaining)


@dataclass(frozen=True)
class ScheduleRow:
    """One month of a depreciation schedule."""

    ym: int
    amount: Decimal
    accumulated: Decimal
    net: Decimal


def schedule(cost: Decimal, salvage_rate: Decimal, life_months: int, acquired_on: date,
             accumulated: Decimal = ZERO, start_ym: int | None = None) -> list[ScheduleRow]:
    """The months still to depreciate from start_ym (default: the first month) with running totals."""
    first = add_months(ym_of(acquired_on), 1)
    ym = max(first, start_ym or first)
    last = add_months(first, life_months - 1)
    rows = []
    while ym <= last:
        amount = amount_for_month(cost, salvage_rate, life_months, acquired_on, ym, accumulated)
        if amount == 0:
            break
        accumulated += amount
        rows.append(ScheduleRow(ym, amount, accumulated, cost - accumulated))
        ym = add_months(ym, 1)
    return rows


# --- card input -------------------------------------------------------------------------------------------


@dataclass
class CardInput:
    """A card's fields as typed, checked."""

    code: str
    name: str
    category: str
    acquired_on: date
    original_cost: Decimal
    useful_life_months: int
    salvage_rate: Decimal
    depreciate: bool
    accumulated_depreciation: Decimal
    purpose: str = "operating"
    location: str = ""
    custodian: str = ""
    status: str = "in_use"
    note: str = ""


TRUE_WORDS = {"1", "y", "yes", "true", "是", "计提", "t"}
FALSE_WORDS = {"0", "n", "no", "false", "否", "不计提", "f"}
PURPOSE_WORDS = {**{k: k for k in PURPOSE_LABELS}, **{v: k for k, v in PURPOSE_LABELS.items()}, "公益": "welfare",
                 "经营": "operating", "管理": "management"}
STATUS_WORDS = {**{k: k for k in LIVE}, **{STATUS_LABELS[k]: k for k in LIVE}}


def _amount(raw: dict, key: str, problems: dict, required: bool = True) -> Decimal | None:
    """A non-negative amount field, noting problems."""
    try:
        value = parse_amount(raw.get(key, ""))
    except AmountError as exc:
        negative = str(raw.get(key, "")).strip().startswith(("-", "－"))
        problems[key] = "金额不能为负数" if negative else str(exc)
        return None
    if value is None and required:
        problems[key] = "不能为空"
    return value


def _date(text: str, key: str, problems: dict, today: date) -> date | None:
    """A date as people write it (2026-10-05, 2026/10/5, 2026年10月5日), not after today."""
    try:
        value = parse_day(text)
    except PeriodError as exc:
        problems[key] = str(exc)
        return None
    if value is None:
        problems[key] = "请填写日期"
        return None
    if value > today:
        problems[key] = "购置日期不能晚于今天"
    return value


def _life(text: str, problems: dict) -> int | None:
    """Useful life in whole months, 1 to 1200."""
    s = (text or "").strip()
    s = s[:-2] if s.endswith(".0") else s  # a whole number saved by Excel as 360.0
    months = to_int(s, lo=1, hi=1200)
    if months is None:
        problems["useful_life_months"] = "使用年限应为 1 至 1200 之间的整数（月）"
    return months


def _rate(text: str, problems: dict) -> Decimal | None:
    """Salvage rate in percent, 0 to 100: 5, 5% and 5％ are 5%; a bare 0.05 is refused as ambiguous."""
    try:
        value = parse_percent(text or "0", "残值率")
    except AmountError as exc:
        problems["salvage_rate"] = str(exc)
        return None
    if value is None or not ZERO <= value <= HUNDRED:
        problems["salvage_rate"] = "残值率应在 0 至 100（%）之间"
        return None
    return value


def _word(raw: dict, key: str, words: dict, default: str, problems: dict, why: str) -> str:
    """A choice typed as a code or its Chinese label."""
    text = (raw.get(key) or "").strip()
    if not text:
        return default
    if text.lower() in words or text in words:
        return words.get(text.lower(), words.get(text))
    problems[key] = why
    return default


def _flag(text: str, problems: dict) -> bool:
    """Whether the card is depreciated (是/否, 1/0, true/false; blank = yes)."""
    s = (text or "").strip().lower()
    if s in TRUE_WORDS or s == "":
        return True
    if s in FALSE_WORDS:
        return False
    problems["depreciate"] = "应为 是/否（或 1/0）"
    return True


def _texts(raw: dict, problems: dict) -> tuple[str, str, str]:
    """Code, name and category: required, within their column widths."""
    out = []
    for key, label, width in (("code", "资产编号", 32), ("name", "资产名称", 100), ("category", "资产类别", 32)):
        value = (raw.get(key) or "").strip()
        if not value:
            problems[key] = f"请填写{label}"
        elif len(value) > width:
            problems[key] = f"{label}最多 {width} 个字"
        out.append(value)
    return out[0], out[1], out[2]


def _amount_problems(cost, rate, accumulated, problems: dict) -> None:
    """Accumulated depreciation cannot exceed what the card may depreciate."""
    if cost is not None and cost == 0:
        problems["original_cost"] = "原值应大于零"
    if None not in (cost, rate, accumulated) and accumulated > depreciable_amount(cost, rate):
        problems["accumulated_depreciation"] = (f"累计折旧超过可折旧额 {depreciable_amount(cost, rate):,.2f}"
                                                "（原值 × (1 − 残值率)）")


def parse_card(raw: dict, today: date) -> tuple[CardInput | None, dict[str, str]]:
    """Check a card typed in a form or an import row: (card, {}) or (None, {field: reason})."""
    problems: dict[str, str] = {}
    code, name, category = _texts(raw, problems)
    acquired = _date(raw.get("acquired_on", ""), "acquired_on", problems, today)
    cost = _amount(raw, "original_cost", problems)
    accumulated = _amount(raw, "accumulated_depreciation", problems, required=False) or ZERO
    life, rate = _life(raw.get("useful_life_months", ""), problems), _rate(raw.get("salvage_rate", ""), problems)
    depreciate = _flag(raw.get("depreciate", ""), problems)
    purpose = _word(raw, "purpose", PURPOSE_WORDS, "operating", problems, "应为 经营性、公益性 或 管理用")
    status = _word(raw, "status", STATUS_WORDS, "in_use", problems, "应为 在用、出租 或 闲置")
    _amount_problems(cost, rate, accumulated, problems)
    extras = {k: (raw.get(k) or "").strip() for k in ("location", "custodian", "note")}
    for key, width in (("location", 200), ("custodian", 50)):
        if len(extras[key]) > width:
            problems[key] = f"最多 {width} 个字"
    if problems:
        return None, problems
    return CardInput(code, name, category, acquired, cost, life, rate, depreciate, accumulated, purpose,
                     extras["location"], extras["custodian"], status, extras["note"]), {}


# --- disposal ---------------------------------------------------------------------------------------------


def decision_amount(net_book_value: Decimal, proceeds: Decimal) -> Decimal:
    """The amount a disposal's 四议两公开 requirements are looked up by: book value or proceeds, the larger."""
    return max(net_book_value, proceeds)


def disposal_result(net_book_value: Decimal, proceeds: Decimal) -> Decimal:
    """Gain (positive) or loss (negative) left in 154 固定资产清理 after the proceeds."""
    return proceeds - net_book_value


# A disposal this large (decision amount, yuan) entered by someone without disposal.approve waits for the agency
# head's approval before anything is posted; the head's own disposals post at once.
APPROVAL_FROM = Decimal("50000.00")
CHANGE_STATUS_LABELS = {"pending": "待审批", "done": "已完成", "rejected": "已退回"}
CHANGE_TRANSITIONS: dict[tuple[str, str], str] = {("pending", "approve"): "done", ("pending", "reject"): "rejected"}
CHANGE_ACTION_LABELS = {"approve": "审批通过", "reject": "退回"}
DISPOSAL_FLOW = Workflow(CHANGE_TRANSITIONS, "处置申请{state}，不能{action}", CHANGE_STATUS_LABELS,
                         CHANGE_ACTION_LABELS)
next_change_status = DISPOSAL_FLOW.next  # a disposal's status after approve/reject, or IllegalMove
DISPOSAL_ACTIONS = ("approve", "reject")
DISPOSAL_PERMISSION = {"approve": "disposal.approve", "reject": "disposal.approve"}


@dataclass(frozen=True)
class DisposalFacts:
    """What the rules of deciding a disposal need to know about it."""

    status: str
    entered_by: int | None = None  # who entered the disposal


def disposal_refusal(facts: DisposalFacts, action: str, actor_id: int | None = None) -> str | None:
    """Why a disposal may not be approved or sent back (only a pending one may); None when the rules allow it.
    Four eyes: whoever entered a disposal does not approve it — the head included (sending one's own request
    back withdraws it, and stays allowed)."""
    if why := DISPOSAL_FLOW.why_not(facts.status, action):
        return why
    if action == "approve" and actor_id is not None and actor_id == facts.entered_by:
        return "处置申请人不能审批自己录入的处置，请由另一位有审批权限的人审批"
    return None


def disposal_actions(facts: DisposalFacts, permissions: Collection[str], actor_id: int | None = None) -> list[str]:
    """The decisions a person holding `permissions` may take on the disposal, in DISPOSAL_ACTIONS order."""
    return permitted(DISPOSAL_ACTIONS, permissions, DISPOSAL_PERMISSION,
                     lambda a: disposal_refusal(facts, a, actor_id))


def needs_approval(amount: Decimal) -> bool:
    """Whether a disposal waits for approval: from APPROVAL_FROM on, whoever enters it (the head's own too)."""
    return amount >= APPROVAL_FROM


def disposal_problems(method: str, on: date | None, proceeds: Decimal | None, acquired_on: date,
                      today: date) -> dict[str, str]:
    """Field problems of a disposal as typed."""
    out = {}
    if method not in METHOD_LABELS:
        out["method"] = "请选择处置方式"
    if on is None:
        out["on"] = "请填写处置日期（YYYY-MM-DD）"
    elif on > today:
        out["on"] = "处置日期不能晚于今天"
    elif on < acquired_on:
        out["on"] = "处置日期早于购置日期"
    if proceeds is None:
        out["proceeds"] = "请填写处置收入（没有填 0）"
    elif method in ("sale", "auction") and proceeds == 0:
        out["proceeds"] = "出售或拍卖应有成交价款"
    return out
