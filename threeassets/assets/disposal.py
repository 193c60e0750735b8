"""Disposals (处置) by sale, auction or write-off, with their 四议两公开 record and vouchers through 154. Never commits.

Vouchers (2023 standard, note of 154 固定资产清理):
1. 转入清理: 借 154 (net book value), 借 152 (accumulated depreciation), 贷 151 (original cost);
2. 收到价款: 借 102 银行存款 / 101 库存现金, 贷 154 (proceeds; none for a write-off without salvage income);
3. 结转清理净损益: a gain 借 154 贷 504 其他收入, a loss 借 515 其他支出 贷 154 — 154 ends at zero.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.rules import (
    METHOD_LABELS,
    DisposalFacts,
    card_refusal,
    decision_amount,
    disposal_refusal,
    disposal_result,
    needs_approval,
    next_change_status,
    next_status,
)
from threeassets.assets.service import PAY_ACCOUNTS, change, facts_of, pending_of
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.periods import ym_of
from threeassets.core.workflow import refuse
from threeassets.decisions.models import DecisionRecord
from threeassets.decisions.rules import STEPS, DecisionInput, missing_steps, record_problems, required_steps
from threeassets.ledger.generated import post_generated
from threeassets.ledger.posting import month_problem
from threeassets.ledger.rules import LineInput
from threeassets.orgs.settings import decision_rules, get_settings

OTHER_INCOME, OTHER_EXPENSE, CLEARING = "504", "515", "154"


@dataclass(frozen=True)
class DisposalInput:
    """A disposal as typed (already checked by rules.disposal_problems)."""

    method: str
    on: date
    proceeds: Decimal
    receipt: str = "bank"  # bank | cash: where the proceeds go
    counterparty: str = ""
    note: str = ""


def required_for(session: Session, village, asset: Asset, proceeds: Decimal) -> tuple[Decimal, list[str]]:
    """(decision amount, step keys the township requires for it)."""
    amount = decision_amount(asset.original_cost - asset.accumulated_depreciation, proceeds)
    return amount, required_steps(amount, decision_rules(get_settings(session, village.township_id)))


def problems(session: Session, village, asset: Asset, on: date | None, proceeds: Decimal | None,
             decision: DecisionInput) -> dict[str, str]:
    """Field → reason for everything beyond the typed fields that refuses the disposal, in one answer: the decision
    record's own problems, each step the township requires for the amount left blank (with "decision" naming the
    missing steps), and the disposal's month when its vouchers cannot be written (closed, or before the village's
    start; unbalanced openings when it posts at once). An unknown proceeds counts as none (the steps the net book
    value asks for)."""
    return _problems(session, village, asset, on, proceeds, decision)[0]


def _problems(session: Session, village, asset: Asset, on: date | None, proceeds: Decimal | None,
              decision: DecisionInput) -> tuple[dict[str, str], bool]:
    """problems(), and whether the decision record itself is wrong (not only incomplete)."""
    own = dict(record_problems(decision))
    out = own
    amount, steps = required_for(session, village, asset, proceeds or Decimal(0))
    if missing := missing_steps(decision, steps):
        blank = {f: "该步骤必填" for s in steps for f in STEPS[s][1] if getattr(decision, f, None) in (None, "")}
        out = {**blank, **own, "decision": "、".join(missing)}
    posting = not needs_approval(amount)  # a large one posts at its approval, which checks the openings then
    if on is not None and (why := month_problem(session, village.id, ym_of(on), posting=posting)):
        out = {**out, "on": why}
    return out, bool(own)


def _check(session: Session, village, asset: Asset, d: DisposalInput, decision: DecisionInput) -> None:
    """Refuse an inconsistent or incomplete decision record, naming every missing step, or a closed month."""
    fields, record_wrong = _problems(session, village, asset, d.on, d.proceeds, decision)
    if fields:
        parts = ([f"缺少“四议两公开”步骤：{fields['decision']}"] if "decision" in fields else []) \
            + ([fields["on"]] if "on" in fields else []) \
            + (["决策记录有误"] if record_wrong else [])
        raise RuleError("处置未办理：" + "；".join(parts), fields)


def submit(session: Session, *, village, asset: Asset, d: DisposalInput, decision: DecisionInput,
           actor) -> AssetChange:
    """Record a disposal with its decision record; post it now, or leave a large one pending for approval by
    someone else than its entrant."""
    refuse(card_refusal(facts_of(asset, pending_of(session, asset) is not None), "dispose"))
    if d.receipt not in PAY_ACCOUNTS:
        raise RuleError("请选择收款方式", {"receipt": "请选择"})
    _check(session, village, asset, d, decision)
    rec = DecisionRecord(village_id=village.id, created_by_id=getattr(actor, "id", None), **asdict(decision))
    session.add(rec)
    session.flush()
    amount, _steps = required_for(session, village, asset, d.proceeds)
    row = change(session, asset, "disposal", d.on, actor, method=d.method, proceeds=d.proceeds,
                 counterparty=d.counterparty or None, decision_id=rec.id, note=d.note or None, status="pending",
                 after=json.dumps({"receipt": d.receipt}))
    record(session, "asset.dispose.submit", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=asset, detail={"method": d.method, "proceeds": d.proceeds, "decision": rec.id, "amount": amount})
    if not needs_approval(amount):
        _execute(session, village, asset, row, actor)
    return row


def _voucher(session: Session, village, on: date, lines: list[LineInput], actor):
    """Post one disposal voucher, leaving out zero lines."""
    lines = [ln for ln in lines if ln.debit or ln.credit]
    return post_generated(session, village=village, on=on, kind="asset_disposal", lines=lines, actor=actor)


def _execute(session: Session, village, asset: Asset, row: AssetChange, actor) -> None:
    """Post the disposal's vouchers, mark the card disposed and the change done. Only the card's state is checked
    here (CARD_FLOW): at approval, the disposal waiting on the card is this one."""
    disposed = next_status(asset.status, "dispose")
    cost, acc = asset.original_cost, asset.accumulated_depreciation
    net, label = cost - acc, f"{METHOD_LABELS[row.method]}{asset.name}"
    vouchers = [_voucher(session, village, row.on, [LineInput(f"{label}转入清理", CLEARING, debit=net),
                                                     LineInput(f"{label}转入清理", "152", debit=acc),
                                                     LineInput(f"{label}转入清理", "151", credit=cost)], actor)]
    pay = PAY_ACCOUNTS[json.loads(row.after or "{}").get("receipt", "bank")]
    if row.proceeds:
        vouchers.append(_voucher(session, village, row.on, [LineInput(f"{label}收入", pay, debit=row.proceeds),
                                                             LineInput(f"{label}收入", CLEARING, credit=row.proceeds)],
                                 actor))
    result = disposal_result(net, row.proceeds)
    if result > 0:
        vouchers.append(_voucher(session, village, row.on, [LineInput(f"{label}净收益", CLEARING, debit=result),
                                                             LineInput(f"{label}净收益", OTHER_INCOME, credit=result)],
                                 actor))
    elif result < 0:
        vouchers.append(_voucher(session, village, row.on, [LineInput(f"{label}净损失", OTHER_EXPENSE, debit=-result),
                                                             LineInput(f"{label}净损失", CLEARING, credit=-result)],
                                 actor))
    asset.status = disposed
    row.status, row.amount, row.voucher_id = "done", net, vouchers[0].id
    row.before = json.dumps({"original_cost": str(cost), "accumulated_depreciation": str(acc)})
    row.after = json.dumps({"receipt": pay, "vouchers": [v.id for v in vouchers], "result": str(result)})
    record(session, "asset.dispose", actor=actor, township_id=village.township_id, village_id=village.id, obj=asset,
           detail={"net": net, "proceeds": row.proceeds, "result": result, "vouchers": [v.id for v in vouchers]})


def disposal_facts(row: AssetChange) -> DisposalFacts:
    """What the disposal rules need to know about a disposal."""
    return DisposalFacts(row.status, row.actor_id)


def approve(session: Session, *, village, row: AssetChange, actor) -> None:
    """The head approves a pending disposal: its vouchers are posted now."""
    refuse(disposal_refusal(disposal_facts(row), "approve", getattr(actor, "id", None)))
    asset = session.get(Asset, row.asset_id)
    row.approved_by_id = getattr(actor, "id", None)
    _execute(session, village, asset, row, actor)


def reject(session: Session, *, village, row: AssetChange, actor, note: str = "") -> None:
    """The head sends a pending disposal back: nothing is posted, the card stays."""
    refuse(disposal_refusal(disposal_facts(row), "reject", getattr(actor, "id", None)))
    row.status = next_change_status(row.status, "reject")
    row.approved_by_id = getattr(actor, "id", None)
    row.note = "；".join(x for x in (row.note, f"退回：{note}" if note else "退回") if x)
    record(session, "asset.dispose.reject", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=row, detail={"asset": row.asset_id, "note": note})


def voucher_ids(row: AssetChange) -> list[int]:
    """Every voucher a done disposal posted (the first is also voucher_id)."""
    ids = json.loads(row.after or "{}").get("vouchers") if row.after else None
    return ids or ([row.voucher_id] if row.voucher_id else [])
