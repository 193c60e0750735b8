"""Use cases of the subsidy side: the policy catalogue (the head's), households, batches through their notice to
their payment, objections, totals and the list of differences. Never commits; every change writes its audit row
in the caller's transaction, with details a person reads in Chinese.

Subsidies are not village income: nothing here posts to a village's books.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.db import fen
from threeassets.core.errors import RuleError
from threeassets.core.masking import mask_id
from threeassets.core.money import from_fen
from threeassets.core.pagination import any_contains, search_word
from threeassets.core.parse import too_long
from threeassets.core.periods import PeriodError, parse_day
from threeassets.core.workflow import refuse
from threeassets.orgs.models import Village
from threeassets.orgs.settings import get_settings
from threeassets.subsidies import rules
from threeassets.subsidies.models import Batch, BatchRow, Household, Objection, Payment, Policy
from threeassets.subsidies.rules import BATCH_STATE_LABELS, LEVEL_LABELS, BatchFacts, PolicyInput

# --- policies ------------------------------------------------------------------------------------------------


def _policy_snapshot(p: Policy) -> dict:
    """Every field of a policy a person can change, in words: the audit row's before and after show each change."""
    return {"编码": p.code, "层级": LEVEL_LABELS.get(p.level, p.level), "部门": p.department, "名称": p.name,
            "依据": p.basis, "发文日期": p.basis_date.isoformat() if p.basis_date else None,
            "补贴对象": p.eligibility, "标准": p.standard, "标准金额": None if p.rate is None else f"{p.rate:.2f}",
            "单位": rules.UNIT_LABELS.get(p.unit, p.unit), "年度": f"{p.year_from}—{p.year_to or ''}",
            "发放方式": p.payment, "咨询事项": p.service_item, "摘要": p.summary, "全文": p.full_text,
            "状态": rules.POLICY_STATUS_LABELS.get(p.status, p.status)}


def save_policy(session: Session, township, actor, *, policy: Policy | None, data: PolicyInput) -> Policy:
    """Add (policy None) or edit a policy of the township's catalogue; the code is unique in the township."""
    clash = session.scalar(select(Policy.id).where(Policy.township_id == township.id, Policy.code == data.code))
    if clash is not None and (policy is None or clash != policy.id):
        raise RuleError(f"政策编码 {data.code} 已存在", fields={"code": "编码已存在"})
    before = None if policy is None else _policy_snapshot(policy)
    if policy is None:
        policy = Policy(township_id=township.id, status="active")
        session.add(policy)
    for key, value in data.__dict__.items():
        setattr(policy, key, value)
    policy.initials = rules.initials(data.name)
    session.flush()
    record(session, "subsidy.policy_save", actor=actor, township_id=township.id, obj=policy,
           detail={"说明": "新增惠农政策" if before is None else "修改惠农政策", "修改前": before,
                   "修改后": _policy_snapshot(policy)})
    return policy


def retire_policy(session: Session, township, actor, policy: Policy, year_to: int) -> Policy:
    """Stop a policy: it stays in the catalogue for the years it applied, and is no longer offered for new lists."""
    if policy.status == "retired":
        raise RuleError("该政策已停止执行")
    if year_to < policy.year_from:
        why = f"执行至年度不能早于起始年度（{policy.year_from}年）"
        raise RuleError(why, fields={"year_to": why})
    policy.status, policy.year_to = "retired", year_to
    session.flush()
    record(session, "subsidy.policy_retire", actor=actor, township_id=township.id, obj=policy,
           detail={"说明": "停止执行惠农政策", "政策": policy.name, "截止年度": year_to})
    return policy


def policy_list_query(township_id: int, *, level="", department="", keyword="", year=None, status=""):
    """The staff list of policies: every year kept, filtered (retired ones too, unless status says)."""
    q = select(Policy).where(Policy.township_id == township_id)
    if level in LEVEL_LABELS:
        q = q.where(Policy.level == level)
    if department:
        q = q.where(Policy.department == department)
    if status in rules.POLICY_STATUS_LABELS:
        q = q.where(Policy.status == status)
    if year:
        q = q.where(Policy.year_from <= year, or_(Policy.year_to.is_(None), Policy.year_to >= year))
    if word := search_word(keyword):
        q = q.where(any_contains((Policy.name, Policy.department, Policy.code, Policy.basis, Policy.initials), word))
    return q.order_by(Policy.status, Policy.level, Policy.department, Policy.code)


def departments(session: Session, township_id: int) -> list[str]:
    """Every department of the township's catalogue."""
    return list(session.scalars(select(Policy.department).where(Policy.township_id == township_id).distinct()
                                .order_by(Policy.department)))


def active_policies(session: Session, township_id: int) -> list[Policy]:
    """The policies a new list may be drawn up under."""
    return list(session.scalars(select(Policy).where(Policy.township_id == township_id, Policy.status == "active")
                                .order_by(Policy.level, Policy.department, Policy.code)))


# --- households ----------------------------------------------------------------------------------------------


def household_query(village_id: int, *, group: str = "", keyword: str = ""):
    """A village's households by household number, filtered by group and by name, number or the ID's last four."""
    q = select(Household).where(Household.village_id == village_id)
    if group:
        q = q.where(Household.group_name == group)
    if word := search_word(keyword):
        q = q.where(or_(any_contains((Household.head_name, Household.number), word),
                        Household.id_last4 == word[-4:].upper()))
    return q.order_by(Household.number)


def groups(session: Session, village_id: int) -> list[str]:
    """The village's groups (组) holding households."""
    return list(session.scalars(select(Household.group_name).where(Household.village_id == village_id).distinct()
                                .order_by(Household.group_name)))


def household_totals(session: Session, village_id: int) -> tuple[int, int, Decimal]:
    """Households, people and contracted land of a village (SQL sums)."""
    n, people, area = session.execute(select(func.count(Household.id), func.sum(Household.members),
                                             func.sum(fen(Household.land_area)))
                                      .where(Household.village_id == village_id)).one()
    return n, people or 0, from_fen(area)


def reveal_id(session: Session, actor, household: Household, village: Village, reason: str) -> str:
    """A household's whole resident ID for a user whose role needs it (households.pii); every view is audited with
    its reason, so a view without one is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("请填写查看事由", fields={"reason": "请填写查看事由，如 核对银行信息"})
    if why := too_long(reason, 100, "查看事由"):
        raise RuleError(why, fields={"reason": why})
    record(session, "subsidy.id_view", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=household, detail={"说明": "查看完整身份证号", "户主": household.head_name, "户号": household.number,
                                  "事由": reason})
    return household.id_number


# --- batches -------------------------------------------------------------------------------------------------


def lock(session: Session, batch: Batch) -> Batch:
    """The batch's row locked for the rest of the transaction (SELECT … FOR UPDATE) and read again, before a use
    case decides on its state: two bank files, or a list import and a state move, on one list then run one after
    the other on PostgreSQL, the second refused by the state the first left (on SQLite the BEGIN IMMEDIATE lock
    already serialises writers, and FOR UPDATE is not emitted). Call it before changing the batch: what it reads
    replaces unflushed changes."""
    q = select(Batch).where(Batch.id == batch.id).with_for_update().execution_options(populate_existing=True)
    found = session.scalar(q)
    if found is None:
        raise RuleError("名单不存在或已被删除")
    return found


def facts_of(session: Session, batch: Batch, today: date | None = None) -> BatchFacts:
    """The facts the batch's rules decide on."""
    rows = session.scalar(select(func.count(BatchRow.id)).where(BatchRow.batch_id == batch.id)) or 0
    return BatchFacts(batch.state, rows, batch.notice_to, today or date.today())


def _label(session: Session, batch: Batch) -> str:
    policy = session.get(Policy, batch.policy_id)
    return f"{batch.year}年{policy.name}（{batch.name}）"


def create_batch(session: Session, township, actor, *, policy_id: int | None, year: int | None,
                 name: str) -> Batch:
    """A new draft list of a policy and year."""
    problems = {}
    policy = session.get(Policy, policy_id) if policy_id else None
    if policy is None or policy.township_id != township.id or policy.status != "active":
        problems["policy_id"] = "请选择执行中的政策"
    if year is None or not 2000 <= year <= 2100:
        problems["year"] = "请填写年度，如 2024"
    elif policy is not None and not rules.applies_in(policy.year_from, policy.year_to, year):
        problems["year"] = f"该政策适用于{policy.year_from}—{policy.year_to or ''}年"
    name = (name or "").strip()
    if not name:
        problems["name"] = "请填写批次名称（60字以内），如 第一批"
    elif why := too_long(name, 60, "批次名称"):
        problems["name"] = why
    if not problems and session.scalar(select(Batch.id).where(Batch.township_id == township.id,
                                                              Batch.policy_id == policy.id, Batch.year == year,
                                                              Batch.name == name)):
        problems["name"] = "该政策本年度已有同名批次"
    if problems:
        raise RuleError("名单未创建：" + "；".join(problems.values()), fields=problems)
    batch = Batch(township_id=township.id, policy_id=policy.id, year=year, name=name, state="draft",
                  created_by_id=getattr(actor, "id", None))
    session.add(batch)
    session.flush()
    record(session, "subsidy.batch_create", actor=actor, township_id=township.id, obj=batch,
           detail={"说明": "新建补贴名单", "名单": _label(session, batch)})
    return batch


def _move(session: Session, batch: Batch, action: str, actor, today: date, detail: dict) -> Batch:
    """Apply a state move the rules allow, audited."""
    refuse(rules.batch_refusal(facts_of(session, batch, today), action))
    before = batch.state
    batch.state = rules.BATCH_FLOW.next(batch.state, action)
    session.flush()
    record(session, f"subsidy.batch_{action}", actor=actor, township_id=batch.township_id, obj=batch,
           detail={"说明": rules.BATCH_ACTION_LABELS[action], "名单": _label(session, batch),
                   "状态": f"{BATCH_STATE_LABELS[before]} → {BATCH_STATE_LABELS[batch.state]}", **detail})
    return batch


def start_notice(session: Session, batch: Batch, actor, today: date | None = None) -> Batch:
    """公示: the list goes on the villages' notice boards today for the township's notice period."""
    today = today or date.today()
    batch = lock(session, batch)
    days = get_settings(session, batch.township_id).notice_days
    batch.notice_days, batch.notice_from = days, today
    batch.notice_to, batch.notice_ended_on = rules.notice_end(today, days), None
    return _move(session, batch, "start_notice", actor, today,
                 {"公示期": f"{today.isoformat()} 至 {batch.notice_to.isoformat()}（{days}天）"})


def withdraw_notice(session: Session, batch: Batch, actor, reason: str, today: date | None = None) -> Batch:
    """撤回公示: back to draft to correct the list, while on notice or after its period (an objection upheld late);
    a new notice starts its full period again."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("请填写撤回原因", fields={"reason": "请填写撤回原因"})
    if why := too_long(reason, WITHDRAW_REASON_MAX, "撤回原因"):
        raise RuleError(why, fields={"reason": why})
    batch = lock(session, batch)
    moved = _move(session, batch, "withdraw", actor, today or date.today(), {"原因": reason})
    batch.notice_from = batch.notice_to = batch.notice_ended_on = None
    return moved


def end_notice(session: Session, batch: Batch, actor, today: date | None = None) -> Batch:
    """公示期满: only once the full period has run."""
    today = today or date.today()
    batch = lock(session, batch)
    _move(session, batch, "end_notice", actor, today, {"公示期满日期": today.isoformat()})
    batch.notice_ended_on = today
    return batch


def delete_batch(session: Session, batch: Batch, actor, today: date | None = None) -> None:
    """Delete a draft list, its rows and the objections raised while it was once on notice (a withdrawn notice
    leaves them on the draft); the audit row keeps every objection's words."""
    batch = lock(session, batch)
    refuse(rules.batch_refusal(facts_of(session, batch, today), "delete"))
    label = _label(session, batch)
    for row in session.scalars(select(BatchRow).where(BatchRow.batch_id == batch.id)):
        session.delete(row)
    raised = objections(session, batch.id)
    kept = [{"提出人": o.raised_by, "提出日期": o.raised_on.isoformat(), "内容": o.content, "处理结果": o.outcome}
            for o in raised]
    for o in raised:
        session.delete(o)
    session.flush()
    detail = {"说明": "删除补贴名单（草稿）" + (f"及其公示期间登记的 {len(kept)} 条异议" if kept else ""),
              "名单": label}
    if kept:
        detail["异议"] = kept
    record(session, "subsidy.batch_delete", actor=actor, township_id=batch.township_id, obj=batch, detail=detail)
    session.delete(batch)
    session.flush()


@dataclass
class ObjectionInput:
    """An objection as typed."""

    raised_by: str
    raised_on: str
    content: str
    outcome: str
    village_id: int | None


OBJECTION_TEXT_MAX = 5000  # an objection's content and outcome, each
RAISED_BY_MAX = 50  # who raised it
WITHDRAW_REASON_MAX = 200


def add_objection(session: Session, batch: Batch, actor, data: ObjectionInput, today: date | None = None) -> Objection:
    """Record an objection raised during the notice: who, what, the outcome."""
    today = today or date.today()
    batch = lock(session, batch)
    refuse(rules.batch_refusal(facts_of(session, batch, today), "object"))
    problems = {}
    raised_by, content = data.raised_by.strip(), data.content.strip()
    if not raised_by:
        problems["raised_by"] = "请填写提出人"
    elif why := too_long(raised_by, RAISED_BY_MAX, "提出人"):
        problems["raised_by"] = why
    if not content:
        problems["content"] = "请填写异议内容"
    for key, text, label in (("content", content, "异议内容"), ("outcome", data.outcome.strip(), "处理结果")):
        if key not in problems and (why := too_long(text, OBJECTION_TEXT_MAX, label)):
            problems[key] = why
    try:
        raised_on = parse_day(data.raised_on, "提出日期")
        if raised_on is None:
            problems["raised_on"] = "请填写提出日期"
        elif raised_on > today or (batch.notice_from and raised_on < batch.notice_from):
            problems["raised_on"] = "提出日期应在公示开始之后、今天之前"
    except PeriodError as exc:
        problems["raised_on"] = str(exc)
    village = session.get(Village, data.village_id) if data.village_id else None
    if data.village_id and (village is None or village.township_id != batch.township_id):
        problems["village_id"] = "请选择本镇的村"
    if problems:
        raise RuleError("异议未登记：" + "；".join(problems.values()), fields=problems)
    obj = Objection(township_id=batch.township_id, batch_id=batch.id, village_id=data.village_id,
                    raised_by=raised_by, raised_on=raised_on, content=content,
                    outcome=data.outcome.strip(), recorded_by_id=getattr(actor, "id", None))
    session.add(obj)
    session.flush()
    record(session, "subsidy.objection", actor=actor, township_id=batch.township_id, village_id=data.village_id,
           obj=obj, detail={"说明": "登记公示异议", "名单": _label(session, batch), "提出人": raised_by,
                            "内容": content[:200], "处理结果": obj.outcome[:200]})
    return obj


# --- reading a batch -----------------------------------------------------------------------------------------


NOTICED = "noticed"  # the list filter "公示过的" (every state after the draft); the annual report counts these


def batch_query(township_id: int, *, policy_id=None, year=None, state=""):
    """A township's lists, newest first."""
    q = select(Batch, Policy.name).join(Policy, Policy.id == Batch.policy_id).where(Batch.township_id == township_id)
    if policy_id:
        q = q.where(Batch.policy_id == policy_id)
    if year:
        q = q.where(Batch.year == year)
    if state in BATCH_STATE_LABELS:
        q = q.where(Batch.state == state)
    elif state == NOTICED:
        q = q.where(Batch.state != "draft")
    return q.order_by(Batch.year.desc(), Batch.id.desc())


@dataclass(frozen=True)
class Total:
    """Households and amounts of a list (or a part of it): noticed, paid, and how many were paid."""

    key: object
    label: str
    households: int
    amount: Decimal
    paid: Decimal
    paid_households: int


def _totals(session: Session, where, key, label, join=None) -> list[Total]:
    q = select(key, label, func.count(BatchRow.id), func.sum(fen(BatchRow.amount)),
               func.sum(fen(BatchRow.paid_amount)), func.count(BatchRow.paid_amount))
    if join is not None:
        q = join(q)
    q = q.where(*where).group_by(key, label).order_by(label)
    return [Total(k, lb, n, from_fen(a), from_fen(p), pn) for k, lb, n, a, p, pn in session.execute(q)]


def totals_by_village(session: Session, batch_ids: list[int]) -> list[Total]:
    """Each village's households, noticed and paid amounts on these lists."""
    return _totals(session, [BatchRow.batch_id.in_(batch_ids)], Village.id, Village.name,
                   lambda q: q.join(Village, Village.id == BatchRow.village_id))


def totals_by_policy(session: Session, township_id: int, year: int | None = None,
                     village_id: int | None = None) -> list[Total]:
    """Per policy (one year, or every year), the published and paid lists' households and amounts of the township
    (or of one village). Drafts are not counted."""
    where = [Batch.township_id == township_id, Batch.state != "draft"]
    if year:
        where.append(Batch.year == year)
    if village_id:
        where.append(BatchRow.village_id == village_id)
    return _totals(session, where, Policy.id, Policy.name,
                   lambda q: q.join(Batch, Batch.id == BatchRow.batch_id).join(Policy, Policy.id == Batch.policy_id))


def batch_total(session: Session, batch_id: int) -> Total:
    """The whole list's households and amounts."""
    found = _totals(session, [BatchRow.batch_id == batch_id], BatchRow.batch_id, BatchRow.batch_id)
    return found[0] if found else Total(batch_id, "", 0, Decimal("0.00"), Decimal("0.00"), 0)


def rows_query(batch_id: int, village_id: int | None = None):
    """A list's rows with their households, by village and household number."""
    q = (select(BatchRow, Household, Village.name).join(Household, Household.id == BatchRow.household_id)
         .join(Village, Village.id == BatchRow.village_id).where(BatchRow.batch_id == batch_id))
    if village_id:
        q = q.where(BatchRow.village_id == village_id)
    return q.order_by(Village.code, Household.number)  # 户号 follow the groups (一组 before 二组, not by code point)


def objections(session: Session, batch_id: int, village_id: int | None = None) -> list[Objection]:
    """A list's objections in the order they were raised."""
    q = select(Objection).where(Objection.batch_id == batch_id)
    if village_id:
        q = q.where(Objection.village_id == village_id)
    return list(session.scalars(q.order_by(Objection.raised_on, Objection.id)))


@dataclass(frozen=True)
class Difference:
    """A line of the list of differences: a bank line that is not a clean payment, or a row nobody paid."""

    outcome: str  # rules.OUTCOME_LABELS
    village: str
    head_name: str
    id_masked: str
    noticed: Decimal | None
    paid: Decimal | None
    paid_on: date | None
    line: int | None  # of the bank's file
    reference: str = ""


def differences(session: Session, batch: Batch, village_id: int | None = None) -> list[Difference]:
    """The list of differences of a paid batch: paid ≠ noticed, paid to someone not on the list, paid twice,
    failed, and rows not paid at all."""
    if batch.state != "paid":
        return []
    out = []
    q = (select(Payment, BatchRow, Village.name).outerjoin(BatchRow, BatchRow.id == Payment.row_id)
         .outerjoin(Village, Village.id == Payment.village_id)
         .where(Payment.batch_id == batch.id, Payment.outcome != "matched").order_by(Payment.line))
    if village_id:
        q = q.where(Payment.village_id == village_id)
    for p, row, village in session.execute(q):
        out.append(Difference(p.outcome, village or "", p.holder_name, p.id_masked or p.card_last4,
                              row.amount if row else None, p.amount, p.paid_on, p.line, p.reference))
    unpaid = rows_query(batch.id, village_id).where(BatchRow.paid_amount.is_(None))
    for row, h, village in session.execute(unpaid):
        out.append(Difference("unpaid", village, h.head_name, mask_id(h.id_number), row.amount, None, None,
                              None))
    return out


def village_batches(session: Session, village_id: int):
    """The lists with households of a village (drafts too: the village prepares its list with the agency), with
    the village's households and amounts."""
    q = (select(Batch, Policy.name, func.count(BatchRow.id), func.sum(fen(BatchRow.amount)),
                func.sum(fen(BatchRow.paid_amount)))
         .join(BatchRow, BatchRow.batch_id == Batch.id).join(Policy, Policy.id == Batch.policy_id)
         .where(BatchRow.village_id == village_id).group_by(Batch.id, Batch.township_id, Policy.name)
         .order_by(Batch.year.desc(), Batch.id.desc()))
    return [(b, name, n, from_fen(a), from_fen(p)) for b, name, n, a, p in session.execute(q)]


def notice_data(session: Session, batch: Batch, village: Village, today: date | None = None):
    """What the printed notice of a village's part of a list shows (IDs masked here, before any printing)."""
    from threeassets.orgs.models import Township
    from threeassets.subsidies.pdf import NoticePrint, NoticeRow
    policy = session.get(Policy, batch.policy_id)
    rows = [NoticeRow(h.group_name, h.number, h.head_name, mask_id(h.id_number), r.quantity, r.rate, r.amount)
            for r, h, _v in session.execute(rows_query(batch.id, village.id))]
    return NoticePrint(township=session.get(Township, batch.township_id).name, village=village.name,
                       policy=policy.name, year=batch.year, batch=batch.name,
                       unit=rules.UNIT_LABELS.get(policy.unit, ""), notice_from=batch.notice_from,
                       notice_to=batch.notice_to, days=batch.notice_days or get_settings(
                           session, batch.township_id).notice_days,
                       supervision_phone=get_settings(session, batch.township_id).supervision_phone,
                       printed_on=today or date.today(), rows=rows)


def paid_in(session: Session, village_id: int, start: date, end: date) -> list[dict]:
    """What the village's households were paid in a period (by the bank's date), by policy, for the 财务公开榜:
    each policy with its households (IDs masked) and total, amounts as plain strings. Failed and unpaid rows are
    not payments; a paid amount that differs from the noticed one is shown as paid."""
    q = (select(Policy.name, Batch.year, Batch.name, Household.group_name, Household.head_name,
                Household.id_number, BatchRow.paid_amount, BatchRow.paid_on)
         .join(Batch, Batch.id == BatchRow.batch_id).join(Policy, Policy.id == Batch.policy_id)
         .join(Household, Household.id == BatchRow.household_id)
         .where(BatchRow.village_id == village_id, Batch.state == "paid", BatchRow.paid_amount.is_not(None),
                BatchRow.paid_on.between(start, end))
         .order_by(Policy.name, Batch.year, Batch.id, Household.number))
    out: dict[str, dict] = {}
    for policy, year, batch, group, name, id_number, amount, on in session.execute(q):
        part = out.setdefault(policy, {"policy": policy, "rows": [], "total": Decimal("0.00")})
        part["rows"].append({"batch": f"{year}年{batch}", "group": group, "name": name,
                             "id": mask_id(id_number), "amount": f"{amount:.2f}", "date": on.isoformat()})
        part["total"] += amount
    return [{**p, "households": len(p["rows"]), "total": f"{p['total']:.2f}"} for p in out.values()]


def policies_of_item(session: Session, township_id: int, item_code: str) -> list[Policy]:
    """The active policies whose questions a service item of the hall answers (惠农补贴咨询 → every policy that
    names it), for the item's service guide."""
    return list(session.scalars(select(Policy).where(Policy.township_id == township_id, Policy.status == "active",
                                                     Policy.service_item == item_code)
                                .order_by(Policy.level, Policy.department, Policy.code)))
