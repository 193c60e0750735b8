"""Pure contract rules: labels, the contract state machine, counterparty IDs, terms, overlaps, arrears."""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from threeassets.contracts.schedule import FREQUENCIES
from threeassets.core import periods
from threeassets.core.errors import RuleError
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.parse import too_long
from threeassets.core.workflow import Workflow, permitted

KINDS = {"contracting": "发包", "lease": "出租", "investment": "投资"}
AWARD_METHODS = {"bidding": "公开招标", "auction": "拍卖", "negotiation": "协商"}
PARTY_TYPES = {"person": "个人", "org": "单位/组织"}
STATUS_LABELS = {"draft": "草稿", "active": "履行中", "ended": "已到期", "terminated": "已解除", "renewed": "已续签"}
INSTALLMENT_LABELS = {"scheduled": "未到期", "due": "应收未收", "partial": "部分收款", "paid": "已收清",
                      "cancelled": "已取消"}
METHODS = {"bank": ("银行", "102"), "cash": ("现金", "101")}
# Income account by kind (2023 chart): letting land or buildings is 经营收入 501; an investment contract's
# fixed return is 投资收益 502. A contract may name any income leaf instead.
DEFAULT_INCOME = {"contracting": "501", "lease": "501", "investment": "502"}
INCOME_PREFIXES = ("501", "502", "504")

# The contract state machine: (state, action) → next state. "delete" removes a draft.
TRANSITIONS: dict[tuple[str, str], str | None] = {
    ("draft", "edit"): "draft",
    ("draft", "delete"): None,
    ("draft", "activate"): "active",
    ("active", "end"): "ended",
    ("active", "terminate"): "terminated",
    ("active", "renew"): "renewed",
    ("ended", "renew"): "renewed",
}
ACTION_LABELS = {"edit": "修改", "delete": "删除", "activate": "生效", "end": "到期终止", "terminate": "解除",
                 "renew": "续签"}
# Contracts whose term holds their subjects (a new contract may not overlap them).
HOLDING = ("active", "ended", "renewed")
CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
PHONE_RE = re.compile(r"^[0-9+\- ]{0,20}$")


CONTRACT_FLOW = Workflow(TRANSITIONS, "合同状态为“{state}”，不能{action}", STATUS_LABELS, ACTION_LABELS)
move = CONTRACT_FLOW.next  # the state after an action, or IllegalMove naming the contract's state

# --- who may do what to a contract --------------------------------------------------------------------------

# The actions a contract's page offers: the moves of its table, then money in and out of 211 for its deposit.
ACTIONS = ("edit", "delete", "activate", "end", "terminate", "renew", "deposit", "refund")
# The permission (auth.rules.PERMISSIONS) each action needs: the register's keepers change contracts, posting
# money needs voucher.post. "accrue" and "receive" are actions on an installment (installment_refusal).
ACTION_PERMISSION = {**{a: "registers.edit" for a in ("edit", "delete", "activate", "end", "terminate", "renew")},
                     "deposit": "voucher.post", "refund": "voucher.post", "accrue": "voucher.post",
                     "receive": "voucher.post"}
MOVES = {a for _s, a in TRANSITIONS}  # the actions the state table decides
ACCRUABLE = ("active", "ended", "renewed", "terminated")  # not drafts; terminated ones only owe what fell due
DEPOSIT_STATES = ("draft", "active")  # a deposit is taken before or during the term
OPEN_INSTALLMENT = ("scheduled", "due", "partial")  # an installment that can still receive money
SOON_DAYS = 30  # the receivables page lists, and the contract page offers 收款 on, what falls due this soon


@dataclass(frozen=True)
class ContractFacts:
    """What the rules of who may do what to a contract need to know about it."""

    status: str
    ends_on: date
    on: date  # the day the action takes effect (today on the pages)
    deposit: Decimal = Decimal("0.00")
    deposit_received: Decimal = Decimal("0.00")
    renewed: bool = False  # a renewal of it exists (a draft or in force)


def _money_refusal(facts: ContractFacts, action: str) -> str | None:
    """Why money may not move for the contract: installments of a draft, a deposit outside its term or already
    taken in full, a refund of nothing."""
    if action in ("accrue", "receive") and facts.status not in ACCRUABLE:
        return "合同未生效，不能确认应收"
    if action == "deposit" and facts.status not in DEPOSIT_STATES:
        return "合同已终止，不能再收保证金"
    if action == "deposit" and facts.deposit_received >= facts.deposit:
        return "履约保证金已收足"
    if action == "refund" and facts.deposit_received <= 0:
        return "没有可退还的履约保证金"
    return None


def contract_refusal(facts: ContractFacts, action: str) -> str | None:
    """Why the action may not be taken on the contract (its state, its end date, a renewal already made, a deposit
    held); None when the rules allow it. The services refuse with this sentence; the pages offer only what it
    allows."""
    if action in MOVES and (why := CONTRACT_FLOW.why_not(facts.status, action)):
        return why
    if action == "end" and not can_end(facts.ends_on, facts.on):
        return f"合同终止日为 {facts.ends_on}，未到期；提前终止请用“解除合同”"
    if action == "renew" and facts.renewed:
        return "该合同已有续签合同，不能重复续签"
    if action == "delete" and facts.deposit_received:
        return "已收履约保证金的合同不能删除，请先退还保证金"
    return _money_refusal(facts, action)


def contract_actions(facts: ContractFacts, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on the contract, in ACTIONS order."""
    return permitted(ACTIONS, permissions, ACTION_PERMISSION, lambda a: contract_refusal(facts, a))


@dataclass(frozen=True)
class InstallmentFacts:
    """What the rules of receiving an installment need to know about it."""

    seq: int
    status: str
    due_on: date


def installment_refusal(facts: ContractFacts, inst: InstallmentFacts, action: str = "receive") -> str | None:
    """Why money may not be received (or accrued) for the installment: it is settled or cancelled, or the
    contract is not in force; None when the rules allow it."""
    if action == "receive" and inst.status not in OPEN_INSTALLMENT:
        return f"第{inst.seq}期已收清或已取消"
    if action == "accrue" and inst.status != "scheduled":
        return f"第{inst.seq}期已确认应收或已取消"
    return contract_refusal(facts, action)


def installment_actions(facts: ContractFacts, inst: InstallmentFacts, permissions: Collection[str]) -> list[str]:
    """What a person may do to an installment on the contract's page: 收款 on one accrued or falling due within
    SOON_DAYS of facts.on (the receipt form itself takes any open installment, paid in advance)."""
    soon = inst.status != "scheduled" or (inst.due_on - facts.on).days <= SOON_DAYS
    return permitted(("receive",) if soon else (), permissions, ACTION_PERMISSION,
                     lambda a: installment_refusal(facts, inst, a))


def check_person_id(number: str, today: date) -> str:
    """A resident ID (居民身份证号码): 18 characters, valid birth date and region, right check digit."""
    n = ric.compact(number or "").upper()
    try:
        ric.validate(n)
    except InvalidChecksum:
        raise RuleError("对方证件号码（身份证号）校验位错误，请核对", {"party_id_no": "身份证号校验位错误"}) from None
    except InvalidLength:
        raise RuleError("对方证件号码（身份证号）应为18位", {"party_id_no": "身份证号应为18位"}) from None
    except InvalidFormat:
        raise RuleError("对方证件号码（身份证号）前17位应为数字", {"party_id_no": "身份证号格式错误"}) from None
    except (InvalidComponent, KeyError):  # the library raises KeyError for some region codes
        raise RuleError("对方证件号码（身份证号）中的出生日期或地区码无效",
                        {"party_id_no": "出生日期或地区码无效"}) from None
    if ric.get_birth_date(n) > today:
        raise RuleError("对方证件号码（身份证号）中的出生日期晚于今天", {"party_id_no": "出生日期无效"})
    return n


def check_credit_code(number: str) -> str:
    """A 统一社会信用代码: 18 characters of the code alphabet with the right check character."""
    n = uscc.compact(number or "").upper()
    try:
        uscc.validate(n)
    except InvalidChecksum:
        raise RuleError("对方证件号码（统一社会信用代码）校验位错误，请核对",
                        {"party_id_no": "统一社会信用代码校验位错误"}) from None
    except (InvalidLength, InvalidFormat):
        raise RuleError("对方证件号码（统一社会信用代码）应为18位数字或大写字母（不含I、O、Z、S、V）",
                        {"party_id_no": "统一社会信用代码格式错误"}) from None
    return n


def check_party(party_type: str, number: str, today: date) -> str:
    """The normalised ID of a person or an organisation; RuleError naming party_id_no when it is wrong."""
    if party_type == "person":
        return check_person_id(number, today)
    if party_type == "org":
        return check_credit_code(number)
    raise RuleError("请选择对方类型（个人或单位）", {"party_type": "请选择"})


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Whether two inclusive terms share a day."""
    return a_start <= b_end and b_start <= a_end


def installment_status(amount: Decimal, received: Decimal) -> str:
    """Status of an accrued installment from what has been received."""
    if received <= 0:
        return "due"
    return "paid" if received >= amount else "partial"


def days_overdue(due_on: date, today: date) -> int:
    """Days past the due date (0 when not yet overdue)."""
    return max(0, (today - due_on).days)


def can_end(ends_on: date, on: date) -> bool:
    """A contract ends (到期) on or after its end date; ending it earlier is a termination."""
    return on >= ends_on


@dataclass(frozen=True)
class ContractInput:
    """A contract's header as typed or imported, checked."""

    code: str
    title: str
    kind: str
    party_type: str
    party_name: str
    party_id_no: str
    party_phone: str
    party_address: str
    award_method: str
    signed_on: date
    starts_on: date
    ends_on: date
    total_price: Decimal
    deposit: Decimal
    income_account: str
    frequency: str
    note: str = ""


TERMINATE_REASON_MAX = 200  # 解除原因, kept in the contract's note and the audit log


def terminate_problems(reason: str | None) -> dict[str, str]:
    """What a termination's reason lacks: it must be given, in at most TERMINATE_REASON_MAX characters."""
    reason = (reason or "").strip()
    if not reason:
        return {"reason": "请填写解除原因"}
    return {"reason": why} if (why := too_long(reason, TERMINATE_REASON_MAX, "解除原因")) else {}


FIELD_LABELS = {"code": "合同编号", "title": "合同名称", "kind": "合同类型", "party_type": "对方类型",
                "party_name": "对方名称", "party_id_no": "对方证件号码", "party_phone": "联系电话",
                "party_address": "地址", "award_method": "发包方式", "signed_on": "签订日期",
                "starts_on": "起始日期", "ends_on": "终止日期", "total_price": "合同总价", "deposit": "履约保证金",
                "income_account": "收入科目", "frequency": "收款方式", "note": "备注"}


def parse_date(text: str | None) -> date | None:
    """A date as people write it (2026-10-05, 2026/10/5, 2026年10月5日), or None."""
    try:
        return periods.parse_day(text)
    except periods.PeriodError:
        return None


def _money(text: str | None, field: str, problems: dict, required: bool) -> Decimal:
    """An amount of the form, noting its problem."""
    try:
        value = parse_amount(text)
    except AmountError as exc:
        problems[field] = str(exc)
        return Decimal("0.00")
    if value is None and required:
        problems[field] = "请填写"
    return value if value is not None else Decimal("0.00")


def _choice_problems(v: dict) -> dict[str, str]:
    """Problems of the coded choices and required texts."""
    p = {}
    if not CODE_RE.match(v["code"]):
        p["code"] = "合同编号为1至32位字母、数字、点、横线或下划线"
    for f, n in (("title", 200), ("party_name", 100), ("party_address", 200), ("note", 2000)):
        if len(v[f]) > n:
            p[f] = f"最多{n}字"
    for f in ("title", "party_name"):
        if not v[f]:
            p[f] = "请填写"
    choices = {"kind": KINDS, "award_method": AWARD_METHODS, "party_type": PARTY_TYPES, "frequency": FREQUENCIES}
    p.update({f: "请选择" for f, opts in choices.items() if v[f] not in opts})
    if not PHONE_RE.match(v["party_phone"]):
        p["party_phone"] = "电话只能含数字、+、-"
    if v["income_account"] and not v["income_account"].startswith(INCOME_PREFIXES):
        p["income_account"] = "收入科目应为 501 经营收入、502 投资收益或 504 其他收入（或其明细）"
    return p


def _date_problems(v: dict) -> tuple[dict[str, date | None], dict[str, str]]:
    """The three dates and their problems (end before start refused)."""
    dates: dict[str, date | None] = {}
    p: dict[str, str] = {}
    for f in ("signed_on", "starts_on", "ends_on"):
        try:
            dates[f] = periods.parse_day(v[f], FIELD_LABELS[f])
        except periods.PeriodError as exc:
            dates[f], p[f] = None, str(exc)
        else:
            if dates[f] is None:
                p[f] = f"请填写{FIELD_LABELS[f]}"
    if dates["starts_on"] and dates["ends_on"] and dates["ends_on"] < dates["starts_on"]:
        p["ends_on"] = "终止日期不能早于起始日期"
    return dates, p


def parse_contract(data: dict, today: date) -> ContractInput:
    """Check a contract's header (form or import row); RuleError with every problem by field."""
    v = {f: str(data.get(f) or "").strip() for f in FIELD_LABELS}
    v["frequency"] = v["frequency"] or "yearly"
    problems = _choice_problems(v)
    dates, date_problems = _date_problems(v)
    problems.update(date_problems)
    price = _money(v["total_price"], "total_price", problems, True)
    if "total_price" not in problems and price <= 0:
        problems["total_price"] = "合同总价必须大于0"
    deposit = _money(v["deposit"], "deposit", problems, False)
    party_id = v["party_id_no"]
    if "party_type" not in problems:
        try:
            party_id = check_party(v["party_type"], party_id, today)
        except RuleError as exc:
            problems.update(exc.fields)
    if problems:
        first = next(iter(problems))
        raise RuleError(f"{FIELD_LABELS.get(first, first)}：{problems[first]}", problems)
    return ContractInput(v["code"], v["title"], v["kind"], v["party_type"], v["party_name"], party_id,
                         v["party_phone"], v["party_address"], v["award_method"], dates["signed_on"],
                         dates["starts_on"], dates["ends_on"], price, deposit,
                         v["income_account"] or DEFAULT_INCOME[v["kind"]], v["frequency"], v["note"])
