"""Pure claim rules: the claim's states and moves, invoice types, line checks and masking. No database here."""
from __future__ import annotations

import calendar
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from threeassets.auth.rules import SCOPE
from threeassets.core.workflow import Workflow, permitted
from threeassets.windows.rules import PHONE_EXAMPLE, PHONE_RE, quoted, read_phone  # the window's applicant check

STATUSES = ("draft", "submitted", "received", "accepted", "returned")
STATUS_LABELS = {"draft": "草稿", "submitted": "已提交待接件", "received": "窗口已接件",
                 "accepted": "已受理（凭证草稿）", "returned": "已退回"}

# (state, action) → next state; anything missing is illegal. The village edits drafts and returned claims;
# the window receives submitted ones; the case's acceptance or rejection decides the rest.
TRANSITIONS: dict[tuple[str, str], str | None] = {
    ("draft", "edit"): "draft",
    ("draft", "delete"): None,
    ("draft", "submit"): "submitted",
    ("returned", "edit"): "returned",
    ("returned", "submit"): "submitted",
    ("submitted", "receive"): "received",
    ("received", "accept"): "accepted",
    ("received", "reject"): "returned",
}
ACTIONS = ("edit", "delete", "submit", "receive", "accept", "reject")
ACTION_LABELS = {"edit": "修改", "delete": "删除", "submit": "提交", "receive": "接件", "accept": "受理",
                 "reject": "退回"}

INVOICE_TYPES = {"vat": "增值税发票", "receipt": "收据", "none": "无票白条"}
PROPER_INVOICES = {"vat"}  # a 收据 or nothing at all is not a proper invoice for an expense
PAY_METHODS = {"bank": "银行转账", "cash": "现金"}
CREDIT_ACCOUNT = {"bank": "102", "cash": "101"}  # 银行存款 / 库存现金; the first leaf takes the credit
# What a claim carries, by words in the names of the 村级报账 item's materials: the signed form, the scanned
# receipts, and the payee's bank details, which a claim paid in cash does not need.
CARRIED_MATERIALS = ("报账单", "票据", "银行账户")
PAYMENT_MATERIAL = "银行账户"


def payment_material(pay_method: str) -> tuple[bool, str]:
    """Whether the payee's bank details apply to a claim paid this way, and the words saying who decided it (shown
    beside the material on the case, which the clerk cannot change)."""
    return (True, "报账单为银行转账支付") if pay_method == "bank" else (False, "报账单为现金支付")


CLAIM_FLOW = Workflow(TRANSITIONS, "报账单{state}，不能{action}", STATUS_LABELS, ACTION_LABELS)
next_status = CLAIM_FLOW.next  # the state after an action, or IllegalMove ("报账单已提交待接件，不能修改")
# The permission (auth.rules.PERMISSIONS) each action a claim page offers needs: the village's accountant keeps
# his drafts (his village is the page's access check), the window receives. "accept" and "reject" follow the
# window's decision on the claim's case (claims/hooks.py), so no claim page offers them.
ACTION_PERMISSION = {"edit": "claims.submit", "delete": "claims.submit", "submit": "claims.submit",
                     "receive": "cases.handle"}


def claim_refusal(status: str, action: str) -> str | None:
    """Why a claim in this state may not take the action; None when the rules allow it. The claim's state is
    all they need (adding or removing receipts is an "edit"). The services refuse with this sentence; the
    pages offer only what it allows."""
    return CLAIM_FLOW.why_not(status, action)


def claim_actions(status: str, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on a claim in this state, in ACTIONS order."""
    return permitted(ACTIONS, permissions, ACTION_PERMISSION, lambda a: claim_refusal(status, a))


def sees_drafts(role: str) -> bool:
    """A draft is the village's own work until it is submitted: only the village's users see it (a page of
    /v/<village>/ is opened only by users whose scope covers the village; of those, the village-scoped ones)."""
    return SCOPE.get(role) == "village"


def hidden_from(status: str, role: str) -> bool:
    """Whether a claim in this state is hidden from a role: a draft from everyone outside the village (the
    township's staff, supervisors, administrators), on every page, list and file."""
    return status == "draft" and not sees_drafts(role)


def is_white_slip(invoices: list[str]) -> bool:
    """A claim is 白条 when any line lacks a proper (VAT) invoice."""
    return any(inv not in PROPER_INVOICES for inv in invoices)


@dataclass(frozen=True)
class LineDraft:
    """One typed claim line before it touches the database."""

    purpose: str
    account_code: str
    amount: Decimal
    invoice: str


# --- the suggested account of a line ---------------------------------------------------------------------------

CLAIM_CATEGORIES = ("expense", "cost", "asset", "liability")  # what a reimbursement may be charged to
MONEY_CODES = ("101", "102")  # cash and bank pay the claim (its credit side), never a claim line
OTHER_CATEGORIES = {"income": "收入类", "equity": "所有者权益类"}
WHAT_TO_CHOOSE = "请选择支出、成本、资产或负债类的末级科目"


@dataclass(frozen=True)
class AccountFact:
    """What the line check needs to know about one account of the village's chart."""

    name: str  # the full name (管理费用-办公费)
    category: str
    leaf: bool


def account_refusal(code: str, fact: AccountFact | None) -> str | None:
    """Why a line may not suggest this account of the village (None: it may), with the real reason: not in the
    village's chart, cash or bank (they pay the claim), an income or equity account, or a parent account."""
    if fact is None:
        return f"本村没有科目 {code}，请输入编码或名称从列表中选择"
    if code.startswith(MONEY_CODES):
        return f"{code} {fact.name}是付款的科目（报账款从现金或银行付出），不能作为建议科目，{WHAT_TO_CHOOSE}"
    if fact.category not in CLAIM_CATEGORIES:
        kind = OTHER_CATEGORIES.get(fact.category, "不能报账的")
        return f"{code} {fact.name}是{kind}科目，不能作为建议科目，{WHAT_TO_CHOOSE}"
    if not fact.leaf:
        return f"{code} {fact.name}下设明细科目，请选择其下的末级科目（输入 {code} 可列出）"
    return None


def line_problems(idx: int, line: LineDraft, accounts: Mapping[str, AccountFact]) -> dict[str, str]:
    """Field → reason for one line on submit (idx is 0-based; messages name the line 1-based). `accounts` holds
    the village's accounts the lines name (a code missing from it is not in the village's chart)."""
    n = idx + 1
    out: dict[str, str] = {}
    if not line.purpose.strip():
        out[f"lines-{idx}-purpose"] = f"第{n}行：用途不能为空"
    if not line.account_code:
        out[f"lines-{idx}-account_code"] = f"第{n}行：请选择建议科目"
    elif why := account_refusal(line.account_code, accounts.get(line.account_code)):
        out[f"lines-{idx}-account_code"] = f"第{n}行：{why}"
    if line.amount <= 0:
        out[f"lines-{idx}-amount"] = f"第{n}行：金额应大于零"
    if line.invoice not in INVOICE_TYPES:
        out[f"lines-{idx}-invoice"] = f"第{n}行：票据类型无效"
    return out


# --- dates ------------------------------------------------------------------------------------------------------

YEARS_BACK = 3  # an expense older than this is not reimbursed through a claim (docs/claims.md, Dates)


def earliest_occurrence(today: date) -> date:
    """The earliest date of occurrence a claim accepts: the same day YEARS_BACK years ago (28 Feb for 29 Feb)."""
    year = today.year - YEARS_BACK
    return today.replace(year=year, day=min(today.day, calendar.monthrange(year, today.month)[1]))


def date_problems(occurred_on: date | None, signed_on: date | None, today: date) -> dict[str, str]:
    """Field → reason for impossible dates: an expense is not in the future nor more than YEARS_BACK years old, and
    the village signs it on or after the day it occurred and not after today. A blank date is not judged here."""
    out: dict[str, str] = {}
    if occurred_on is not None:
        earliest = earliest_occurrence(today)
        if occurred_on > today:
            out["occurred_on"] = "发生日期不能晚于今天"
        elif occurred_on < earliest:
            out["occurred_on"] = (f"发生日期不能早于 {earliest.isoformat()}：{YEARS_BACK}年以前的支出不能报账，"
                                  "请核对日期或与乡镇代理服务中心联系")
    if signed_on is not None:
        if signed_on > today:
            out["signed_on"] = "签字日期不能晚于今天"
        elif occurred_on is not None and "occurred_on" not in out and signed_on < occurred_on:
            out["signed_on"] = f"签字日期不能早于发生日期 {occurred_on.isoformat()}"
    return out


# --- the whole claim --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimInput:
    """The village's claim form, parsed (amounts Decimal, dates date)."""

    payee: str
    payee_kind: str
    payee_account: str
    pay_method: str
    occurred_on: date | None  # None only while the form is being read (forms.parse names the problem)
    contact_phone: str
    handler_name: str
    oversight_name: str
    head_name: str
    signed_on: date | None
    lines: tuple[LineDraft, ...]


PAYEE_KINDS = {"person": "个人", "firm": "单位"}
ACCOUNT_DIGITS = (10, 30)  # a bank account number: personal cards 16-19 digits, corporate accounts 10-30
DIGIT_RUN = re.compile(r"\d(?:[\s-]*\d)*")  # digits, perhaps grouped by spaces or hyphens
SIGNERS = (("handler_name", "经办人"), ("oversight_name", "民主理财小组签字人"), ("head_name", "村主任"))


def account_digits(text: str) -> int:
    """How many digits the longest account number in the text has ('县农商银行 6222 0210 0012' → 12)."""
    return max((sum(ch.isdigit() for ch in run) for run in DIGIT_RUN.findall(text or "")), default=0)


def payee_account_problem(text: str) -> str | None:
    """Why a bank transfer's payee account cannot be paid to: blank, or no plausible account number in it."""
    if not (text or "").strip():
        return "银行转账须填写收款账号（开户行及账号）"
    low, high = ACCOUNT_DIGITS
    digits = account_digits(text)
    expected = f"请填写开户行及完整账号（银行账号一般为{low}至{high}位数字）"
    if digits == 0:
        return f"收款账号“{text}”中没有账号数字：{expected}"
    if digits < low:
        return f"收款账号“{text}”只有{digits}位数字，不是完整的银行账号：{expected}"
    if digits > high:
        return f"收款账号“{text}”有{digits}位数字，比银行账号长：{expected}"
    return None


def phone_problem(text: str) -> str | None:
    """Why the accountant's phone is not one the window's intake accepts (windows.rules.PHONE_RE)."""
    phone = read_phone(text)
    if not phone:
        return f"请填写报账员电话（11位手机号或带区号的固定电话，{PHONE_EXAMPLE}）"
    if not PHONE_RE.match(phone):
        return f"报账员电话“{quoted(phone)}”不是11位手机号，也不是带区号的固定电话（{PHONE_EXAMPLE}）"
    return None


def header_problems(data: ClaimInput, today: date) -> dict[str, str]:
    """Field → reason for what even a draft needs: a payee, a known pay method and payee kind, a date of
    occurrence, dates that can be true, at least one line."""
    out: dict[str, str] = {}
    if not data.payee.strip():
        out["payee"] = "请填写收款人"
    if data.payee_kind not in PAYEE_KINDS:
        out["payee_kind"] = "收款人类型无效"
    if data.pay_method not in PAY_METHODS:
        out["pay_method"] = "支付方式无效"
    if data.occurred_on is None:
        out["occurred_on"] = "请填写发生日期"
    out.update(date_problems(data.occurred_on, data.signed_on, today))
    if not data.lines:
        out["lines"] = "至少填写一行报账明细"
    return out


def submit_problems(data: ClaimInput, accounts: Mapping[str, AccountFact], receipts: int,
                    today: date) -> dict[str, str]:
    """Field → reason for everything a claim needs before it leaves the village, every problem at once."""
    out = header_problems(data, today)
    if data.pay_method == "bank" and (why := payee_account_problem(data.payee_account)):
        out["payee_account"] = why
    if why := phone_problem(data.contact_phone):
        out["contact_phone"] = why
    for name, label in SIGNERS:
        if not getattr(data, name).strip():
            out[name] = f"请填写{label}"
    if data.signed_on is None:
        out.setdefault("signed_on", "请填写签字日期")
    if receipts == 0:
        out["receipts"] = "请上传报账票据（发票、收据或白条的照片/扫描件）"
    for idx, line in enumerate(data.lines):
        out.update(line_problems(idx, line, accounts))
    return out
