"""Pure claim rules: the claim's states and moves, invoice types, line checks and masking. No database here."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from threeassets.auth.rules import SCOPE
from threeassets.core.workflow import Workflow, permitted
from threeassets.windows.rules import PHONE_RE  # the window's applicant check: a claim must pass it

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


def line_problems(idx: int, line: LineDraft, leaf_codes: set[str]) -> dict[str, str]:
    """Field → reason for one line on submit (idx is 0-based; messages name the line 1-based)."""
    n = idx + 1
    out: dict[str, str] = {}
    if not line.purpose.strip():
        out[f"lines-{idx}-purpose"] = f"第{n}行：用途不能为空"
    if not line.account_code:
        out[f"lines-{idx}-account_code"] = f"第{n}行：请选择建议科目"
    elif line.account_code not in leaf_codes:
        out[f"lines-{idx}-account_code"] = f"第{n}行：科目 {line.account_code} 不是本村的末级科目"
    if line.amount <= 0:
        out[f"lines-{idx}-amount"] = f"第{n}行：金额应大于零"
    if line.invoice not in INVOICE_TYPES:
        out[f"lines-{idx}-invoice"] = f"第{n}行：票据类型无效"
    return out


@dataclass(frozen=True)
class ClaimInput:
    """The village's claim form, parsed (amounts Decimal, dates date)."""

    payee: str
    payee_kind: str
    payee_account: str
    pay_method: str
    occurred_on: object  # date
    contact_phone: str
    handler_name: str
    oversight_name: str
    head_name: str
    signed_on: object  # date | None
    lines: tuple[LineDraft, ...]


PAYEE_KINDS = {"person": "个人", "firm": "单位"}


def header_problems(data: ClaimInput) -> dict[str, str]:
    """Field → reason for what even a draft needs: a payee, a known pay method and payee kind, at least one line."""
    out: dict[str, str] = {}
    if not data.payee.strip():
        out["payee"] = "请填写收款人"
    if data.payee_kind not in PAYEE_KINDS:
        out["payee_kind"] = "收款人类型无效"
    if data.pay_method not in PAY_METHODS:
        out["pay_method"] = "支付方式无效"
    if not data.lines:
        out["lines"] = "至少填写一行报账明细"
    return out


def submit_problems(data: ClaimInput, leaf_codes: set[str], receipts: int) -> dict[str, str]:
    """Field → reason for everything a claim needs before it leaves the village."""
    out = header_problems(data)
    if data.pay_method == "bank" and len("".join(data.payee_account.split())) < 6:
        out["payee_account"] = "银行转账须填写收款账号"
    if not PHONE_RE.match("".join(data.contact_phone.split())):
        out["contact_phone"] = "请填写报账员的11位手机号或带区号的固定电话"
    for name, label in (("handler_name", "经办人"), ("oversight_name", "民主理财小组"), ("head_name", "村主任")):
        if not getattr(data, name).strip():
            out[name] = f"请填写{label}签字人"
    if data.signed_on is None:
        out["signed_on"] = "请填写签字日期"
    if receipts == 0:
        out["receipts"] = "请上传报账票据（发票、收据或白条的照片/扫描件）"
    for idx, line in enumerate(data.lines):
        out.update(line_problems(idx, line, leaf_codes))
    return out
