"""The 四议两公开 record of a contract: read from the form, saved as a DecisionRecord, checked against the
township's rules before the contract takes effect."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from threeassets.core.errors import RuleError
from threeassets.core.parse import to_int
from threeassets.core.periods import read_day
from threeassets.decisions.models import DecisionRecord
from threeassets.decisions.rules import DecisionInput, missing_steps, record_problems, required_steps
from threeassets.orgs.settings import decision_rules, get_settings

DATE_FIELDS = ("proposal_on", "committees_on", "members_on", "resolution_on", "notice_from", "notice_to",
               "result_notice_on")
INT_FIELDS = ("votes_for", "votes_against", "votes_abstain", "attendees")
FIELDS = DATE_FIELDS + INT_FIELDS + ("remarks",)
PREFIX = "d_"  # form names of the decision fields: d_resolution_on …


def parse_decision(data, subject: str) -> DecisionInput | None:
    """The decision fields of a form or import row (names prefixed d_); None when every field is blank."""
    raw = {f: str(data.get(PREFIX + f) or "").strip() for f in FIELDS}
    if not any(raw.values()):
        return None
    problems, values = {}, {}
    for f in DATE_FIELDS:
        values[f], why = read_day(raw[f])
        if why:
            problems[PREFIX + f] = why
    for f in INT_FIELDS:
        values[f] = to_int(raw[f])
        if raw[f] and values[f] is None:
            problems[PREFIX + f] = "应为非负整数"
    rec = DecisionInput(subject=subject or "合同", remarks=raw["remarks"] or None, **values)
    problems.update({PREFIX + f: why for f, why in record_problems(rec)})
    if problems:
        first = next(iter(problems))
        raise RuleError(f"四议两公开记录：{problems[first]}", problems)
    return rec


def save_decision(session: Session, contract, rec: DecisionInput | None, actor) -> None:
    """Create, update or detach the contract's decision record."""
    if rec is None:
        contract.decision_id = None
        return
    row = session.get(DecisionRecord, contract.decision_id) if contract.decision_id else None
    if row is None or row.village_id != contract.village_id:
        row = DecisionRecord(village_id=contract.village_id, created_by_id=getattr(actor, "id", None))
        session.add(row)
    for f in FIELDS + ("subject",):
        setattr(row, f, getattr(rec, f))
    session.flush()
    contract.decision_id = row.id


def decision_of(session: Session, contract) -> DecisionRecord | None:
    """The contract's decision record (of its own village)."""
    if contract.decision_id is None:
        return None
    row = session.get(DecisionRecord, contract.decision_id)
    return row if row is not None and row.village_id == contract.village_id else None


def form_values(row: DecisionRecord | None) -> dict[str, str]:
    """The record as d_-prefixed form values."""
    if row is None:
        return {}
    return {PREFIX + f: ("" if getattr(row, f) is None else str(getattr(row, f))) for f in FIELDS}


def check_steps(session: Session, township_id: int, amount: Decimal, row) -> list[str]:
    """Refuse when the record lacks a step the township's rules require for this amount (the total price)."""
    steps = required_steps(amount, decision_rules(get_settings(session, township_id)))
    missing = missing_steps(row, steps)
    if missing:
        raise RuleError(f"合同总价 {amount:,.2f} 元须完成“四议两公开”：缺少 " + "、".join(missing),
                        {"decision": "“四议两公开”缺少：" + "、".join(missing)})
    return steps
