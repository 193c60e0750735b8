"""Pure alert rules over plain data: each turns facts of one village into findings; `plan` diffs findings
against the alerts already stored. No database here: the scan service gathers the facts."""
from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from threeassets.core.errors import RuleError
from threeassets.core.money import fmt
from threeassets.core.workflow import Workflow, permitted

CONTRACT_EXPIRING = "contract_expiring"
INSTALLMENT_OVERDUE = "installment_overdue"
ASSETS_MISMATCH = "assets_mismatch"
LARGE_CASH = "large_cash"
SUBSIDY_UNNOTICED = "subsidy_unnoticed"
SUBSIDY_MISMATCH = "subsidy_mismatch"
CASH_DEFICIT = "cash_deficit"
RULE_LABELS = {
    CASH_DEFICIT: "现金赤字",
    CONTRACT_EXPIRING: "合同即将到期",
    INSTALLMENT_OVERDUE: "应收款逾期",
    ASSETS_MISMATCH: "资产账实不符",
    LARGE_CASH: "大额现金支付",
    SUBSIDY_UNNOTICED: "补贴未满公示期发放",
    SUBSIDY_MISMATCH: "补贴发放与公示不符",
}
SEVERITY_LABELS = {"danger": "严重", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = {"danger": 0, "warning": 1, "info": 2}
URGENT_DAYS = 30  # a contract ending within this many days (or already past its end) is shown as severe
LONG_OVERDUE_DAYS = 90  # an installment unpaid this long after its due day is shown as severe
OPEN_INSTALLMENT = ("scheduled", "due", "partial")  # not paid, not cancelled


@dataclass(frozen=True)
class Finding:
    """One thing a rule found: identity (rule, object_type, object_id, key), severity and the message."""

    rule: str
    object_type: str
    object_id: int
    key: str
    severity: str
    message: str

    @property
    def ident(self) -> tuple[str, str, int, str]:
        """The identity an alert row is stored under (with its village)."""
        return (self.rule, self.object_type, self.object_id, self.key)


@dataclass(frozen=True)
class ContractFact:
    """An active contract: what the expiry rule needs."""

    id: int
    code: str
    title: str
    party_name: str
    ends_on: date


@dataclass(frozen=True)
class InstallmentFact:
    """A scheduled payment of a contract."""

    id: int
    contract_code: str
    party_name: str
    seq: int
    due_on: date
    amount: Decimal
    received: Decimal
    status: str


@dataclass(frozen=True)
class DifferenceFact:
    """One figure where the asset cards and the books disagree (as assets.reconcile reports it)."""

    account_code: str
    label: str
    cards: Decimal
    books: Decimal


@dataclass(frozen=True)
class CashLineFact:
    """A posted voucher line crediting 101 库存现金 or one of its sub-accounts."""

    line_id: int
    voucher_label: str  # e.g. 记-0007 (the date goes before it)
    voucher_key: str  # e.g. 202503-0007 (unique per village)
    voucher_date: date
    account_name: str
    summary: str
    credit: Decimal
    reversed: bool = False
    to_bank: bool = False  # the voucher only moves cash to 102 银行存款 (存现): not a payment


def contract_expiring(contracts: Iterable[ContractFact], today: date, lead_days: int) -> list[Finding]:
    """Active contracts ending within lead_days of today (the last lead day included), or already ended."""
    out = []
    for c in contracts:
        left = (c.ends_on - today).days
        if left > lead_days:
            continue
        if left < 0:
            when = f"已于 {c.ends_on} 到期 {-left} 天，仍为履行中，请办理续签、终止或收回"
        elif left == 0:
            when = f"今天（{c.ends_on}）到期"
        else:
            when = f"将于 {c.ends_on} 到期（还有 {left} 天）"
        severity = "danger" if left <= URGENT_DAYS else "warning"
        out.append(Finding(CONTRACT_EXPIRING, "contract", c.id, "", severity,
                           f"合同 {c.code}《{c.title}》（{c.party_name}）{when}"))
    return out


def installment_overdue(installments: Iterable[InstallmentFact], today: date) -> list[Finding]:
    """Installments not fully received after their due day (due today is not yet overdue)."""
    out = []
    for i in installments:
        if i.status not in OPEN_INSTALLMENT or i.received >= i.amount or i.due_on >= today:
            continue
        days = (today - i.due_on).days
        severity = "danger" if days > LONG_OVERDUE_DAYS else "warning"
        out.append(Finding(
            INSTALLMENT_OVERDUE, "installment", i.id, "", severity,
            f"合同 {i.contract_code}（{i.party_name}）第 {i.seq} 期应收 {fmt(i.amount)} 元，已收 {fmt(i.received)} 元，"
            f"欠 {fmt(i.amount - i.received)} 元，逾期 {days} 天（应于 {i.due_on} 收取）"))
    return out


def assets_mismatch(village_id: int, differences: Iterable[DifferenceFact], month: str) -> list[Finding]:
    """One finding per figure where the cards and the books disagree (key: the account code)."""
    return [Finding(ASSETS_MISMATCH, "village", village_id, d.account_code, "danger",
                    f"{month}末 {d.label}：卡片 {fmt(d.cards)} 元，账簿（{d.account_code}）{fmt(d.books)} 元，"
                    f"相差 {fmt(d.books - d.cards)} 元")
            for d in differences]


def cash_deficit(village_id: int, months: Iterable[tuple[int, Decimal]]) -> list[Finding]:
    """One finding per month whose end left cash on hand (101) in credit (key: the month)."""
    return [Finding(CASH_DEFICIT, "village", village_id, str(ym), "danger",
                    f"{ym // 100}年{ym % 100}月末库存现金为贷方余额 {fmt(-balance)} 元（现金赤字）：现金不可能为负数，"
                    f"请核对是否漏记收入、多记支出或应走银行的款项记入了现金")
            for ym, balance in months]


def large_cash(lines: Iterable[CashLineFact], threshold: Decimal) -> list[Finding]:
    """Cash paid out in one line at or above the threshold; deposits to the bank and reversed vouchers are not."""
    return [Finding(LARGE_CASH, "voucher_line", x.line_id, x.voucher_key, "warning",
                    f"{x.voucher_date} {x.voucher_label} 以现金（{x.account_name}）支付 {fmt(x.credit)} 元，"
                    f"达到大额现金支付标准 {fmt(threshold)} 元；摘要：{x.summary}")
            for x in lines if x.credit >= threshold and not x.reversed and not x.to_bank]


@dataclass(frozen=True)
class SubsidyFact:
    """A paid subsidy list as one village's households saw it: the notice's days and what the bank paid them."""

    batch_id: int
    label: str  # 2025年耕地地力保护补贴（第一批）
    notice_from: date | None
    notice_to: date | None
    first_paid_on: date | None  # the bank's earliest date for the village's households
    differing: int  # paid another amount than noticed
    unpaid: int  # noticed and not paid
    duplicates: int = 0  # bank lines paying a household of the village a second time (重复发放)


def subsidy_unnoticed(batches: Iterable[SubsidyFact]) -> list[Finding]:
    """A list paid before its public notice had run its full period (or without any notice)."""
    out = []
    for b in batches:
        if b.notice_to is None:
            why = "未经公示"
        elif b.first_paid_on is not None and b.first_paid_on <= b.notice_to:
            why = f"公示期 {b.notice_from} 至 {b.notice_to}，银行发放日期 {b.first_paid_on} 在公示期满之前"
        else:
            continue
        out.append(Finding(SUBSIDY_UNNOTICED, "subsidy_batch", b.batch_id, "", "danger",
                           f"{b.label} 未满公示期即发放：{why}"))
    return out


def subsidy_mismatch(batches: Iterable[SubsidyFact]) -> list[Finding]:
    """A paid list where the village's households were paid otherwise than noticed, twice, or not at all."""
    out = []
    for b in batches:
        parts = [f"发放金额与公示不符 {b.differing} 户"] if b.differing else []
        parts += [f"重复发放 {b.duplicates} 笔"] if b.duplicates else []
        parts += [f"未发放 {b.unpaid} 户"] if b.unpaid else []
        if parts:
            out.append(Finding(SUBSIDY_MISMATCH, "subsidy_batch", b.batch_id, "", "warning",
                               f"{b.label} 本村{'，'.join(parts)}，请核对银行发放结果"))
    return out


@dataclass(frozen=True)
class Stored:
    """What the scan needs to know of an alert row already stored."""

    id: int
    severity: str
    message: str
    resolved: bool


@dataclass
class Plan:
    """What a scan does to the stored alerts of one village."""

    new: list[Finding] = field(default_factory=list)
    reopen: list[tuple[int, Finding]] = field(default_factory=list)  # resolved earlier, holds again
    update: list[tuple[int, Finding]] = field(default_factory=list)  # still open, message or severity moved
    resolve: list[int] = field(default_factory=list)  # open, no longer holds

    @property
    def changed(self) -> bool:
        """Whether anything is raised, reopened or resolved (message updates alone do not count)."""
        return bool(self.new or self.reopen or self.resolve)


def plan(stored: dict[tuple, Stored], findings: Iterable[Finding]) -> Plan:
    """Diff this scan's findings against the village's stored alerts (by identity)."""
    out, seen = Plan(), set()
    for f in findings:
        if f.ident in seen:  # a rule should not repeat itself; keep the first
            continue
        seen.add(f.ident)
        old = stored.get(f.ident)
        if old is None:
            out.new.append(f)
        elif old.resolved:
            out.reopen.append((old.id, f))
        elif (old.severity, old.message) != (f.severity, f.message):
            out.update.append((old.id, f))
    out.resolve = [s.id for ident, s in stored.items() if ident not in seen and not s.resolved]
    return out


# The life of an alert. A scan raises it (open); staff acknowledge it with a note (acknowledged: off the open
# list, still shown under its filter); a scan that no longer finds it resolves it; a scan that finds a resolved
# one again re-raises it as open (a new occurrence: the earlier note stays in the audit log).
OPEN, ACKNOWLEDGED, RESOLVED = "open", "acknowledged", "resolved"
STATE_LABELS = {OPEN: "待处理", ACKNOWLEDGED: "已确认", RESOLVED: "已解除"}
TRANSITIONS = {
    (OPEN, "acknowledge"): ACKNOWLEDGED,
    (OPEN, "resolve"): RESOLVED,
    (ACKNOWLEDGED, "resolve"): RESOLVED,
    (RESOLVED, "reraise"): OPEN,
}
REFUSALS = {(ACKNOWLEDGED, "acknowledge"): "该预警已确认过", (RESOLVED, "acknowledge"): "该预警已解除，无需确认"}
ALERT_FLOW = Workflow(TRANSITIONS, "“{state}”的预警不能执行此操作", STATE_LABELS, {}, REFUSALS)


# What staff do to an alert (a scan resolves and re-raises), and the permission (auth.rules.PERMISSIONS) it needs.
ACTIONS = ("acknowledge",)
ACTION_PERMISSION = {"acknowledge": "alerts.ack"}


def state_of(resolved: bool, acknowledged: bool) -> str:
    """The state of a stored alert from its resolved / acknowledged marks."""
    return RESOLVED if resolved else ACKNOWLEDGED if acknowledged else OPEN


def alert_refusal(state: str, action: str) -> str | None:
    """Why an alert in this state does not allow the action ("该预警已确认过"); None when it does. The acknowledge
    service refuses with this sentence; the lists offer only what it allows."""
    return ALERT_FLOW.why_not(state, action)


def alert_actions(state: str, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on an alert in this state, in ACTIONS order."""
    return permitted(ACTIONS, permissions, ACTION_PERMISSION, lambda a: alert_refusal(state, a))


def check_note(note: str | None) -> str:
    """The acknowledgement note, stripped; RuleError when empty or too long."""
    text = (note or "").strip()
    if not text:
        raise RuleError("请填写处理说明", fields={"note": "必填"})
    if len(text) > 500:
        raise RuleError("处理说明不能超过 500 字", fields={"note": "过长"})
    return text
