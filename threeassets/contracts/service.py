"""Contract use cases: drafts with subjects and decision record, schedule, activation, end, termination,
renewal. Never commits; every change writes an audit row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset
from threeassets.contracts import decision as dec
from threeassets.contracts import queries
from threeassets.contracts.models import Contract, ContractSubject, Installment
from threeassets.contracts.rules import (
    HOLDING,
    ContractFacts,
    ContractInput,
    InstallmentFacts,
    contract_refusal,
    move,
    overlaps,
    parse_contract,
    terminate_problems,
)
from threeassets.contracts.schedule import generate, schedule_problems
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.parse import to_id
from threeassets.core.workflow import refuse
from threeassets.ledger.models import Account
from threeassets.orgs.models import Village
from threeassets.resources.models import Resource
from threeassets.resources.rules import parse_area

HEADER = ("code", "title", "kind", "party_type", "party_name", "party_id_no", "party_phone", "party_address",
          "award_method", "signed_on", "starts_on", "ends_on", "total_price", "deposit", "income_account")


def facts_of(contract: Contract, *, renewed: bool = False, on: date | None = None) -> ContractFacts:
    """What the contract rules need to know about a contract, on a day (default today); whether a renewal of it
    exists is the caller's query (queries.renewal_of)."""
    return ContractFacts(contract.status, contract.ends_on, on or date.today(), contract.deposit,
                         contract.deposit_received, renewed)


def installment_facts(inst: Installment) -> InstallmentFacts:
    """What the installment rules need to know about an installment."""
    return InstallmentFacts(inst.seq, inst.status, inst.due_on)


@dataclass
class Subject:
    """A checked subject: the resource or asset row and the let area (resources only, None = whole)."""

    resource: Resource | None
    asset: Asset | None
    area_mu: Decimal | None

    @property
    def label(self) -> str:
        """资源/资产 code and name."""
        row = self.resource or self.asset
        return f"{'资源' if self.resource else '资产'} {row.code} {row.name}"


def _one_subject(session: Session, village_id: int, ref: str, area_text: str) -> Subject:
    """Load one subject reference ("resource:ID" or "asset:ID") of the village and check its let area."""
    kind, _sep, raw = (ref or "").partition(":")
    model = {"resource": Resource, "asset": Asset}.get(kind)
    row = session.scalar(select(model).where(model.id == to_id(raw), model.village_id == village_id)) \
        if model is not None and to_id(raw) is not None else None
    if row is None:
        raise RuleError("合同标的不存在或不属于本村", {"subjects": "标的无效"})
    if kind == "asset":
        if row.status == "disposed":
            raise RuleError(f"资产 {row.code} 已处置，不能出租", {"subjects": "资产已处置"})
        return Subject(None, row, None)
    area = None
    if (area_text or "").strip():
        try:
            area = parse_area(area_text)
        except RuleError as exc:
            raise RuleError(f"资源 {row.code} 发包面积：{exc}", {"subjects": str(exc)}) from None
        if area > row.area_mu:
            raise RuleError(f"资源 {row.code} 发包面积 {area} 亩超过其面积 {row.area_mu} 亩",
                            {"subjects": "发包面积超过资源面积"})
    return Subject(row, None, area)


def parse_subjects(session: Session, village_id: int, refs: list[tuple[str, str]]) -> list[Subject]:
    """The contract's subjects from (reference, area) pairs: at least one, none twice."""
    chosen = [(r, a) for r, a in refs if (r or "").strip()]
    if not chosen:
        raise RuleError("请至少选择一项合同标的（资源或资产）", {"subjects": "请选择标的"})
    if len({r for r, _a in chosen}) != len(chosen):
        raise RuleError("同一标的不能重复选择", {"subjects": "标的重复"})
    return [_one_subject(session, village_id, r, a) for r, a in chosen]


def check_overlap(session: Session, village_id: int, own_id: int | None, starts_on: date, ends_on: date,
                  subjects: list[Subject]) -> None:
    """Refuse when another contract in force holds one of the subjects for an overlapping term.

    Any overlap on the same resource or asset is refused, even for different parts of its area: let areas are
    recorded but not tracked parcel by parcel, so splitting a resource needs separate resource rows.
    """
    res_ids = [s.resource.id for s in subjects if s.resource]
    asset_ids = [s.asset.id for s in subjects if s.asset]
    q = (select(Contract, ContractSubject).join(ContractSubject, ContractSubject.contract_id == Contract.id)
         .where(Contract.village_id == village_id, Contract.status.in_(HOLDING),
                or_(ContractSubject.resource_id.in_(res_ids), ContractSubject.asset_id.in_(asset_ids))))
    for other, subj in session.execute(q):
        if other.id != own_id and overlaps(starts_on, ends_on, other.starts_on, other.ends_on):
            what = next(s.label for s in subjects if (s.resource and s.resource.id == subj.resource_id)
                        or (s.asset and s.asset.id == subj.asset_id))
            raise RuleError(f"{what} 已由合同 {other.code}（{other.starts_on} 至 {other.ends_on}）发包/出租，"
                            "期限重叠", {"subjects": f"与合同 {other.code} 期限重叠"})


def _check_income_account(session: Session, village_id: int, code: str) -> None:
    """The income account must exist in the village's chart."""
    if session.scalar(select(Account.id).where(Account.village_id == village_id, Account.code == code)) is None:
        raise RuleError(f"本村科目表没有收入科目 {code}", {"income_account": "科目不存在"})


def _check_code_free(session: Session, village_id: int, code: str, own_id: int | None) -> None:
    """Refuse a contract code the village already uses."""
    other = session.scalar(select(Contract.id).where(Contract.village_id == village_id, Contract.code == code))
    if other is not None and other != own_id:
        raise RuleError(f"合同编号 {code} 已存在", {"code": "本村已有此编号"})


def _set_subjects(session: Session, contract: Contract, subjects: list[Subject]) -> None:
    """Replace the contract's subject rows."""
    for old in list(contract.subjects):
        session.delete(old)
    contract.subjects = [ContractSubject(village_id=contract.village_id, resource_id=s.resource and s.resource.id,
                                         asset_id=s.asset and s.asset.id, area_mu=s.area_mu) for s in subjects]


def _check(session: Session, village: Village, own_id: int | None, inp: ContractInput, subjects, data):
    """Every check of a header before anything is written; returns the parsed decision record."""
    _check_code_free(session, village.id, inp.code, own_id)
    _check_income_account(session, village.id, inp.income_account)
    rec = dec.parse_decision(data, inp.title)
    check_overlap(session, village.id, own_id, inp.starts_on, inp.ends_on, subjects)
    return rec


def _fill(session: Session, contract: Contract, inp: ContractInput, subjects, rec) -> None:
    """Copy a checked header, subjects and decision onto a draft."""
    for f in HEADER:
        setattr(contract, f, getattr(inp, f))
    contract.note = inp.note or None
    _set_subjects(session, contract, subjects)
    dec.save_decision(session, contract, rec, None)


def create_draft(session: Session, *, village: Village, data, refs: list[tuple[str, str]], actor, today: date,
                 renews: Contract | None = None) -> Contract:
    """A new draft contract with its subjects, decision record and a generated schedule."""
    if renews is not None:
        refuse(contract_refusal(facts_of(renews, renewed=queries.renewal_of(session, renews) is not None), "renew"))
    inp = parse_contract(data, today)
    subjects = parse_subjects(session, village.id, refs)
    if renews is not None and inp.starts_on <= renews.ends_on:
        raise RuleError(f"续签合同应在原合同终止日 {renews.ends_on} 之后开始", {"starts_on": "与原合同期限重叠"})
    rec = _check(session, village, None, inp, subjects, data)
    contract = Contract(village_id=village.id, status="draft", created_by_id=getattr(actor, "id", None),
                        renews_id=renews.id if renews else None)
    session.add(contract)
    _fill(session, contract, inp, subjects, rec)
    session.flush()
    set_schedule(session, contract, generate(inp.starts_on, inp.ends_on, inp.total_price, inp.frequency))
    record(session, "contract.create", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=contract, detail={"code": contract.code, "party": contract.party_name, "price": contract.total_price,
                                 "renews": renews.code if renews else None})
    return contract


def update_draft(session: Session, *, village: Village, contract: Contract, data, refs, actor,
                 today: date) -> Contract:
    """Edit a draft; a changed price or term regenerates the schedule with the chosen frequency."""
    refuse(contract_refusal(facts_of(contract), "edit"))
    inp = parse_contract(data, today)
    subjects = parse_subjects(session, village.id, refs)
    before = (contract.starts_on, contract.ends_on, contract.total_price)
    rec = _check(session, village, contract.id, inp, subjects, data)
    _fill(session, contract, inp, subjects, rec)
    if before != (inp.starts_on, inp.ends_on, inp.total_price) or data.get("regenerate"):
        set_schedule(session, contract, generate(inp.starts_on, inp.ends_on, inp.total_price, inp.frequency))
    record(session, "contract.update", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=contract, detail={"code": contract.code})
    return contract


def set_schedule(session: Session, contract: Contract, rows: list[tuple[date, Decimal]]) -> None:
    """Replace a draft's installments with (due date, amount) rows after checking them."""
    refuse(contract_refusal(facts_of(contract), "edit"))
    problems = schedule_problems(rows, contract.total_price, contract.ends_on)
    if problems:
        raise RuleError("收款计划：" + "；".join(problems), {"schedule": "；".join(problems)})
    for old in list(contract.installments):
        session.delete(old)
    session.flush()
    contract.installments = [Installment(village_id=contract.village_id, seq=n, due_on=d, amount=a)
                             for n, (d, a) in enumerate(rows, start=1)]
    session.flush()


def save_schedule(session: Session, *, village: Village, contract: Contract, rows, actor) -> None:
    """The edited schedule of a draft (the user's own dates and amounts)."""
    set_schedule(session, contract, rows)
    record(session, "contract.schedule", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=contract, detail={"installments": [[d.isoformat(), str(a)] for d, a in rows]})


def _hold_subjects(session: Session, contract: Contract) -> None:
    """Mark the subjects let: resource → let, asset → leased."""
    for s in contract.subjects:
        if s.resource_id:
            session.get(Resource, s.resource_id).status = "let"
        else:
            session.get(Asset, s.asset_id).status = "leased"


def _release_subjects(session: Session, contract: Contract) -> None:
    """Give back subjects no other contract in force holds: resource → unlet, asset → in_use."""
    for s in contract.subjects:
        col, rid = (ContractSubject.resource_id, s.resource_id) if s.resource_id else (ContractSubject.asset_id,
                                                                                        s.asset_id)
        still = session.scalar(select(Contract.id).join(ContractSubject, ContractSubject.contract_id == Contract.id)
                               .where(col == rid, Contract.status == "active", Contract.id != contract.id).limit(1))
        if still is None:
            if s.resource_id:
                session.get(Resource, rid).status = "unlet"
            elif session.get(Asset, rid).status == "leased":
                session.get(Asset, rid).status = "in_use"


def activate(session: Session, *, village: Village, contract: Contract, actor) -> Contract:
    """生效: the decision record has every required step, the schedule adds up, no overlap; subjects are let.
    Activating a renewal marks the contract it renews 已续签 (its own move: the renewal was allowed when made)."""
    refuse(contract_refusal(facts_of(contract), "activate"))
    row = dec.decision_of(session, contract)
    steps = dec.check_steps(session, village.township_id, contract.total_price, row)
    problems = schedule_problems([(i.due_on, i.amount) for i in contract.installments], contract.total_price,
                                 contract.ends_on)
    if problems:
        raise RuleError("收款计划：" + "；".join(problems), {"schedule": "；".join(problems)})
    subjects = [Subject(session.get(Resource, s.resource_id) if s.resource_id else None,
                        session.get(Asset, s.asset_id) if s.asset_id else None, s.area_mu) for s in contract.subjects]
    check_overlap(session, village.id, contract.id, contract.starts_on, contract.ends_on, subjects)
    contract.status = move(contract.status, "activate")
    _hold_subjects(session, contract)
    if contract.renews_id:
        old = session.get(Contract, contract.renews_id)
        old.status = move(old.status, "renew")
    record(session, "contract.activate", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=contract, detail={"code": contract.code, "steps": steps, "decision_id": contract.decision_id})
    return contract


def end(session: Session, *, village: Village, contract: Contract, on: date, actor) -> None:
    """到期终止 on or after the end date; the subjects go back to the register unless re-let."""
    refuse(contract_refusal(facts_of(contract, on=on), "end"))
    contract.status = move(contract.status, "end")
    _release_subjects(session, contract)
    record(session, "contract.end", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=contract, detail={"code": contract.code, "on": on})


def terminate(session: Session, *, village: Village, contract: Contract, on: date, reason: str, actor) -> int:
    """解除: installments not yet accrued and due after the date are cancelled; the subjects are released.
    Returns the number of installments cancelled."""
    reason = (reason or "").strip()
    if problems := terminate_problems(reason):
        raise RuleError(problems["reason"], problems)
    refuse(contract_refusal(facts_of(contract, on=on), "terminate"))
    contract.status = move(contract.status, "terminate")
    cancelled = [i for i in contract.installments if i.status == "scheduled" and i.due_on > on]
    for inst in cancelled:
        inst.status = "cancelled"
    contract.note = ((contract.note or "") + f"\n{on} 解除：{reason}").strip()
    _release_subjects(session, contract)
    record(session, "contract.terminate", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=contract, detail={"code": contract.code, "on": on, "reason": reason,
                                 "cancelled": [i.seq for i in cancelled]})
    return len(cancelled)


def delete_draft(session: Session, *, village: Village, contract: Contract, actor) -> None:
    """Delete a draft that holds no money (no deposit received)."""
    refuse(contract_refusal(facts_of(contract), "delete"))
    record(session, "contract.delete", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=contract, detail={"code": contract.code, "party": contract.party_name})
    for row in list(contract.installments) + list(contract.subjects):
        session.delete(row)
    session.delete(contract)
    session.flush()


def renewal_values(contract: Contract) -> dict[str, str]:
    """Form values of a renewal: same party and subjects, starting the day after the old contract ends."""
    term_days = (contract.ends_on - contract.starts_on).days
    starts = contract.ends_on + timedelta(days=1)
    values = {f: ("" if getattr(contract, f) is None else str(getattr(contract, f))) for f in HEADER}
    values.update(code=f"{contract.code}-XQ"[:32], signed_on=date.today().isoformat(), starts_on=starts.isoformat(),
                  ends_on=(starts + timedelta(days=term_days)).isoformat(), title=f"{contract.title}（续签）")
    return values
