"""What contracts post to the books: installments falling due (借112 贷收入), receipts (借102/101 贷112),
deposits (借102/101 贷211) and their refunds (借211 贷102/101). Never commits.

Account notes of the 2023 standard: 112 应收款 holds amounts owed by outside units and persons; 211 应付款
holds amounts owed to them, including 暂收款项 such as a 履约保证金 to be returned; 501 经营收入 covers income
from letting (发包、出租) the collective's assets and resources; 502 投资收益 the return on investments.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.contracts.models import Contract, Installment, Receipt
from threeassets.contracts.rules import (
    ACCRUABLE,
    KINDS,
    METHODS,
    contract_refusal,
    installment_refusal,
    installment_status,
)
from threeassets.contracts.service import facts_of, installment_facts
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.workflow import refuse
from threeassets.ledger.chart import add_sub_account
from threeassets.ledger.generated import post_generated
from threeassets.ledger.models import Account
from threeassets.ledger.openings.models import OpeningStart
from threeassets.ledger.rules import LineInput
from threeassets.orgs.models import Village

KIND = "contract"
ACCOUNT_NAME_MAX = 60  # a sub-account's name at most (ledger.chart)


def party_account(session: Session, village: Village, code: str, party: str, actor) -> str:
    """The leaf of `code` for a counterparty: the account itself when it has no sub-accounts, else the
    sub-account named after the party, added (next free code) when the village keeps details but lacks it."""
    parent = session.scalar(select(Account).where(Account.village_id == village.id, Account.code == code))
    if parent is None or parent.is_leaf:
        return code
    children = list(session.scalars(select(Account).where(Account.parent_id == parent.id)))
    name = party[:ACCOUNT_NAME_MAX]  # the account's name holds at most this much of the party's: match it so
    same = next((a for a in children if a.name == name and a.is_leaf), None)
    if same is not None:
        return same.code
    width = len(children[0].code) - len(code) if children else 2
    used = {int(a.code[len(code):]) for a in children if a.code[len(code):].isdigit()}
    suffix = str(max(used, default=0) + 1).zfill(width)
    try:
        return add_sub_account(session, village_id=village.id, parent=parent, suffix=suffix, name=name,
                               actor=actor).code
    except RuleError as exc:
        raise RuleError(f"无法为“{party}”增设明细科目：{exc}") from None


def _post(session: Session, village: Village, on: date, lines: list[LineInput], actor):
    """Post a contract voucher; a closed period or a missing account becomes a RuleError for the form."""
    try:
        return post_generated(session, village=village, on=on, kind=KIND, lines=lines, actor=actor)
    except RuleError as exc:
        raise RuleError(str(exc)) from None


def accrue(session: Session, *, village: Village, contract: Contract, inst: Installment, on: date, actor):
    """Post one installment as receivable (借112 贷收入) on `on`; the installment becomes 应收未收."""
    refuse(installment_refusal(facts_of(contract, on=on), installment_facts(inst), "accrue"))
    summary = f"应收{contract.party_name}{KINDS[contract.kind]}款 {contract.code} 第{inst.seq}期"[:100]
    receivable = party_account(session, village, "112", contract.party_name, actor)
    voucher = _post(session, village, on, [LineInput(summary, receivable, debit=inst.amount),
                                           LineInput(summary, contract.income_account, credit=inst.amount)], actor)
    inst.status, inst.accrual_voucher_id = "due", voucher.id
    record(session, "contract.accrue", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=inst, detail={"contract": contract.code, "seq": inst.seq, "amount": inst.amount,
                             "voucher_id": voucher.id})
    return voucher


def due_installments(session: Session, village_id: int, on: date) -> list[tuple[Contract, Installment]]:
    """Installments of contracts in force that fell due by `on` and are not yet accrued."""
    q = (select(Contract, Installment).join(Installment, Installment.contract_id == Contract.id)
         .where(Installment.village_id == village_id, Installment.status == "scheduled",
                Installment.due_on <= on, Contract.status.in_(ACCRUABLE))
         .order_by(Installment.due_on, Contract.code, Installment.seq))
    return [(c, i) for c, i in session.execute(q)]


def accrue_due(session: Session, *, village: Village, on: date, actor) -> list[Installment]:
    """The due-run: accrue every installment due by `on` (one voucher each, dated `on`). An installment that fell
    due before the village came onto the system with opening balances is owed in its opening 112 already: it
    becomes 应收未收 without a second voucher (carry_in_openings)."""
    done = []
    for contract, inst in due_installments(session, village.id, on):
        if _before_start(session, village.id, inst.due_on):
            carry_in_openings(session, village=village, contract=contract, inst=inst, actor=actor)
        else:
            accrue(session, village=village, contract=contract, inst=inst, on=on, actor=actor)
        done.append(inst)
    return done


def _before_start(session: Session, village_id: int, day: date) -> bool:
    """Whether a day falls before the village came onto the system with opening balances."""
    begun = session.scalar(select(OpeningStart.start_ym).where(OpeningStart.village_id == village_id))
    return begun is not None and day < date(begun // 100, begun % 100, 1)


def carry_in_openings(session: Session, *, village: Village, contract: Contract, inst: Installment, actor) -> None:
    """An installment due before the village's start: its receivable is part of the opening 112 (期初余额), so it
    is marked 应收未收 with no accrual voucher; receipts then clear 112 as for any accrued installment."""
    refuse(installment_refusal(facts_of(contract, on=inst.due_on), installment_facts(inst), "accrue"))
    inst.status = "due"
    record(session, "contract.accrue", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=inst, detail={"contract": contract.code, "seq": inst.seq, "amount": inst.amount,
                             "in_openings": True})


def _method(method: str) -> str:
    """The cash or bank account of a receipt method."""
    if method not in METHODS:
        raise RuleError("请选择收款方式（银行或现金）", {"method": "请选择"})
    return METHODS[method][1]


def _positive(amount: Decimal | None) -> Decimal:
    """A receipt amount must be given and above zero."""
    if amount is None or amount <= 0:
        raise RuleError("金额必须大于0", {"amount": "金额必须大于0"})
    return amount


def receive(session: Session, *, village: Village, contract: Contract, inst: Installment, on: date,
            amount: Decimal | None, method: str, actor) -> Receipt:
    """收款 against an installment (借102/101 贷112); one not yet accrued is accrued first, same day."""
    amount, cash = _positive(amount), _method(method)
    if inst.contract_id != contract.id:
        raise RuleError("该期不属于本合同")
    refuse(installment_refusal(facts_of(contract, on=on), installment_facts(inst)))
    if inst.status == "scheduled":
        if _before_start(session, village.id, inst.due_on):
            carry_in_openings(session, village=village, contract=contract, inst=inst, actor=actor)
        else:
            accrue(session, village=village, contract=contract, inst=inst, on=on, actor=actor)
    outstanding = inst.amount - inst.received
    if amount > outstanding:
        raise RuleError(f"收款 {amount:,.2f} 超过第{inst.seq}期未收金额 {outstanding:,.2f}", {"amount": "超过未收金额"})
    summary = f"收{contract.party_name}{KINDS[contract.kind]}款 {contract.code} 第{inst.seq}期"[:100]
    receivable = party_account(session, village, "112", contract.party_name, actor)
    voucher = _post(session, village, on, [LineInput(summary, cash, debit=amount),
                                           LineInput(summary, receivable, credit=amount)], actor)
    inst.received += amount
    inst.status = installment_status(inst.amount, inst.received)
    return _receipt(session, village, contract, inst, "installment", on, amount, method, voucher, actor)


def _receipt(session, village, contract, inst, kind, on, amount, method, voucher, actor) -> Receipt:
    """Store and audit a receipt row."""
    row = Receipt(village_id=village.id, contract_id=contract.id, installment_id=inst.id if inst else None,
                  kind=kind, received_on=on, amount=amount, method=method, voucher_id=voucher.id,
                  actor_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    record(session, f"contract.{kind}", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=row, detail={"contract": contract.code, "seq": inst.seq if inst else None, "amount": amount,
                            "method": method, "voucher_id": voucher.id})
    return row


def receive_deposit(session: Session, *, village: Village, contract: Contract, on: date, amount: Decimal | None,
                    method: str, actor) -> Receipt:
    """收履约保证金 (借102/101 贷211), up to the deposit the contract asks for."""
    amount, cash = _positive(amount), _method(method)
    left = contract.deposit - contract.deposit_received
    if amount > left:  # said with the figures first (with nothing left, any amount is more than is left)
        raise RuleError(f"收取 {amount:,.2f} 超过尚未收取的保证金 {left:,.2f}", {"amount": "超过约定保证金"})
    refuse(contract_refusal(facts_of(contract, on=on), "deposit"))
    summary = f"收{contract.party_name}履约保证金 {contract.code}"[:100]
    payable = party_account(session, village, "211", contract.party_name, actor)
    voucher = _post(session, village, on, [LineInput(summary, cash, debit=amount),
                                           LineInput(summary, payable, credit=amount)], actor)
    contract.deposit_received += amount
    return _receipt(session, village, contract, None, "deposit", on, amount, method, voucher, actor)


def refund_deposit(session: Session, *, village: Village, contract: Contract, on: date, amount: Decimal | None,
                   method: str, actor) -> Receipt:
    """退还履约保证金 (借211 贷102/101), up to what is held."""
    amount, cash = _positive(amount), _method(method)
    if amount > contract.deposit_received:
        raise RuleError(f"退还 {amount:,.2f} 超过已收保证金 {contract.deposit_received:,.2f}",
                        {"amount": "超过已收保证金"})
    refuse(contract_refusal(facts_of(contract, on=on), "refund"))
    summary = f"退还{contract.party_name}履约保证金 {contract.code}"[:100]
    payable = party_account(session, village, "211", contract.party_name, actor)
    voucher = _post(session, village, on, [LineInput(summary, payable, debit=amount),
                                           LineInput(summary, cash, credit=amount)], actor)
    contract.deposit_received -= amount
    return _receipt(session, village, contract, None, "refund", on, amount, method, voucher, actor)
