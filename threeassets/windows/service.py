"""Case use cases of the service hall: intake, 补正, acceptance, handling, completion, rejection. Never commits.

Every move goes through rules.case_refusal (IllegalMove for a move the case does not allow) and writes a CaseEvent
and an audit row in the caller's transaction. The first-contact owner (首问负责, owner_id) never changes;
transfers change the window and the handler.
"""
from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core import hooks, throttle
from threeassets.core.audit import record
from threeassets.core.backoff import NO_WAIT, Policy
from threeassets.core.db import locked_row
from threeassets.core.errors import RuleError
from threeassets.core.parse import too_long
from threeassets.core.workflow import refuse
from threeassets.orgs.models import Township, Village
from threeassets.windows import queries, rules
from threeassets.windows.models import Case, CaseCounter, CaseEvent, CaseMaterial, ServiceItem, Window
from threeassets.windows.rules import Action, State


def take_case_number(session: Session, township: Township, day: date) -> str:
    """The next case number of a township and day, from a counter row locked until the caller commits."""
    counter = locked_row(session, CaseCounter, township_id=township.id, day=day)
    counter.last += 1
    session.flush()
    return rules.case_number(township.code, day, counter.last)


def _event(session: Session, case: Case, action: str, before: str | None, actor, note: str | None = None,
           detail: dict | None = None) -> None:
    """Append the case's timeline event and the audit row of one move."""
    session.add(CaseEvent(township_id=case.township_id, case_id=case.id, action=action, from_state=before,
                          to_state=case.state, actor_id=getattr(actor, "id", None), window_id=case.window_id,
                          note=note))
    record(session, f"case.{action}", actor=actor, township_id=case.township_id, village_id=case.village_id,
           obj=case, detail={"number": case.number, "from": before, "to": case.state, **(detail or {})})


def facts_of(case: Case) -> rules.CaseFacts:
    """What the case rules (rules.case_refusal, rules.case_actions) need to know about a case."""
    return rules.CaseFacts(case.state, accepted=case.accepted_on is not None, notified=bool(case.missing),
                           rated=case.satisfaction is not None)


def _move(session: Session, case: Case, action: Action, actor, note: str | None = None,
          detail: dict | None = None) -> None:
    """Apply a move the case rules allow (IllegalMove with their reason otherwise) and record it."""
    refuse(rules.case_refusal(facts_of(case), action))
    target = rules.move(case.state, action, accepted=case.accepted_on is not None)
    before, case.state = case.state, target
    session.flush()
    _event(session, case, action, before, actor, note, detail)


def _given(value) -> rules.Mark:
    """A caller's mark of one material: a rules.Mark, or the older (received, original seen) pair."""
    if isinstance(value, rules.Mark):
        return value
    got, seen = value
    return rules.Mark(received=bool(got), original_seen=bool(got and seen))


def _checklist_rows(item: ServiceItem, materials) -> tuple[list[CaseMaterial], list[str]]:
    """The case's copy of the item's materials, marked from `materials` (see intake), and every mark the rules
    refuse (e.g. a 必交 one as not applicable)."""
    out, problems = [], []
    for m in item.materials:
        if materials is None:
            mark = rules.Mark(received=True, original_seen=m.original_required)
        elif isinstance(materials, dict):
            mark = _given(materials.get(m.name, (False, False)))
        else:
            mark = rules.Mark(received=m.name in materials, original_seen=m.name in materials and m.original_required)
        why = rules.mark_refusal(m.name, conditional=m.conditional, mark=mark)
        if why:
            problems.append(why)
        out.append(CaseMaterial(township_id=item.township_id, seq=m.seq, name=m.name, copies=m.copies,
                                original_required=m.original_required, requirement=m.requirement,
                                applies_when=m.note if m.conditional else "", **_marked(mark)))
    return out, problems


def _marked(mark: rules.Mark) -> dict:
    """A checklist row's columns for a mark (an original is seen only of a material received)."""
    return {"received": mark.received, "original_seen": mark.received and mark.original_seen,
            "not_applicable": mark.not_applicable, "decided_by": mark.decided_by[:100]}


def _refuse_marks(problems: list[str]) -> None:
    """Every refused mark in one sentence, nothing written."""
    if problems:
        raise RuleError("材料登记有误：" + "；".join(problems), fields={"materials": "；".join(problems)})


def _village_problem(session: Session, township: Township, village_id: int | None) -> dict[str, str]:
    """A case's village must belong to the township (else it is refused, not silently kept)."""
    village = session.get(Village, village_id) if village_id is not None else None
    if village_id is not None and (village is None or village.township_id != township.id):
        return {"village_id": "所选村不属于本乡镇，请选择本乡镇的村"}
    return {}


def _registration(session: Session, township: Township, item: ServiceItem, applicant: tuple[str, str, str],
                  village_id: int | None, materials, subject: str = ""):
    """What a case needs to be registered, read at once: the cleaned applicant (name, phone, ID), the marked
    checklist, and field → reason for everything wrong (the item, the applicant's fields, the village, the marks)."""
    problems = {} if item.township_id == township.id and item.active else {"item_id": "请选择本乡镇在用的服务事项"}
    cleaned, found = rules.applicant_problems(*applicant)
    problems |= found | _village_problem(session, township, village_id)
    if why := too_long((subject or "").strip(), SUBJECT_MAX, "申请事项"):
        problems["subject"] = why
    rows, refused = _checklist_rows(item, materials)
    if refused:
        problems["materials"] = "；".join(refused)
    return cleaned, rows, problems


def not_registered(problems: dict[str, str]) -> str:
    """The message of an intake refused for `problems` (field → reason)."""
    return "未登记：" + "；".join(problems.values())


def intake_problems(session: Session, *, township: Township, item: ServiceItem, applicant_name: str,
                    applicant_phone: str, applicant_id_no: str, village_id: int | None, then: str,
                    materials: dict, extra_missing: list[str], subject: str = "") -> dict[str, str]:
    """Field → reason for everything wrong with an intake at once, before anything is written: what intake checks,
    and whether what the clerk chose to do fits the checklist (`then`: accept with nothing missing, notify with
    something missing; `extra_missing`: further missing materials typed)."""
    _, rows, problems = _registration(session, township, item, (applicant_name, applicant_phone, applicant_id_no),
                                      village_id, materials, subject)
    missing = rules.missing_materials([r.tick for r in rows]) + extra_missing
    if why := rules.intake_choice_problem(then, missing).get("materials"):
        problems["materials"] = "；".join(filter(None, [problems.get("materials"), why]))
    return problems


def intake(session: Session, *, township: Township, item: ServiceItem, actor, applicant_name: str,
           applicant_phone: str, village_id: int | None = None, applicant_id_no: str = "", subject: str = "",
           claim_id: int | None = None, materials=None, today: date | None = None) -> Case:
    """接件: register a case at the item's window; the receiving clerk becomes its first-contact owner.

    materials marks the checklist: None = every material received with originals seen (a caller that vouches
    for them); a list/set of material names = those received (with originals seen); a dict name → rules.Mark (or
    a (received, original_seen) pair) for full control: the intake form, or a claim, which also says whether its
    payment method makes a conditional material not applicable (Mark.decided_by). RuleError naming every problem
    at once (the applicant, the village, a refused mark such as a 必交 material not applicable) before a number
    is taken."""
    (name, phone, id_no), rows, problems = _registration(
        session, township, item, (applicant_name, applicant_phone, applicant_id_no), village_id, materials, subject)
    if problems:
        raise RuleError(not_registered(problems), fields=problems)
    day = today or date.today()
    case = Case(township_id=township.id, village_id=village_id, number=take_case_number(session, township, day),
                item_id=item.id, window_id=item.window_id, applicant_name=name, applicant_phone=phone,
                applicant_id_no=id_no, subject=(subject or "").strip(), state=State.INTAKE,
                owner_id=actor.id, handler_id=actor.id, received_at=_at(day), claim_id=claim_id,
                paused_days=0)
    case.checklist = rows
    session.add(case)
    session.flush()
    excused = not_applicable_of(case)
    _event(session, case, "intake", None, actor, note=_excused_note(case) or None,
           detail={"item": item.code, "applicant": rules.mask_name(name),
                   **({"not_applicable": excused} if excused else {})})
    return case


def _excused_note(case: Case) -> str:
    """The timeline's words for the materials not applicable to the case, with who decided when not the clerk."""
    rows = [m.name + (f"（{m.decided_by}）" if m.decided_by else "") for m in case.checklist
            if m.conditional and m.not_applicable]
    return "不适用：" + "、".join(rows) if rows else ""


def _at(day: date) -> datetime:
    """A timestamp on `day`: now when day is today, else noon of that day (back-dated demo or test data)."""
    now = datetime.now()
    return now if day == now.date() else datetime(day.year, day.month, day.day, 12, 0)


def ticks(case: Case) -> list[rules.Tick]:
    """The case's checklist as pure ticks."""
    return [m.tick for m in case.checklist]


def missing_of(case: Case) -> list[str]:
    """What the checklist still lacks (not received, or original not seen; not-applicable ones excused)."""
    return rules.missing_materials(ticks(case))


def not_applicable_of(case: Case) -> list[str]:
    """The conditional materials marked not applicable to the case."""
    return [m.name for m in case.checklist if m.conditional and m.not_applicable]


def record_materials(session: Session, case: Case, actor, received: dict) -> None:
    """Mark the checklist: CaseMaterial id → rules.Mark (or a (received, original seen) pair); ids of other cases
    are ignored. A row not given is missing, except one marked not applicable, which stays so. RuleError naming
    every refused mark (a 必交 material not applicable, a change of what the case's source decided …), nothing
    written."""
    refuse(rules.case_refusal(facts_of(case), Action.MATERIALS))
    before, na_before = missing_of(case), not_applicable_of(case)
    marks, problems = {}, []
    for m in case.checklist:
        if m.id not in received and m.not_applicable:
            continue
        mark = _given(received.get(m.id, (False, False)))
        why = rules.mark_refusal(m.name, conditional=m.conditional, mark=mark, decided_by=m.decided_by,
                                 was_not_applicable=m.not_applicable)
        if why:
            problems.append(why)
        marks[m] = mark
    _refuse_marks(problems)
    for m, mark in marks.items():
        for key, value in _marked(dataclasses.replace(mark, decided_by=m.decided_by)).items():
            setattr(m, key, value)
    after, na_after = missing_of(case), not_applicable_of(case)
    note = "；".join(filter(None, ["尚缺：" + "、".join(after) if after else "材料已齐全", _excused_note(case)]))
    _move(session, case, Action.MATERIALS, actor, note=note,
          detail={"missing_before": before, "missing_after": after, "not_applicable_before": na_before,
                  "not_applicable_after": na_after})


def notify_missing(session: Session, case: Case, actor, missing: list[str], today: date | None = None) -> None:
    """一次性告知: list EVERY missing material at once; the case waits for 补正 and an accepted case's clock stops."""
    refuse(rules.case_refusal(facts_of(case), Action.NOTIFY))  # a move the case does not allow says so first
    missing = rules.clean_missing(missing)
    why = rules.notice_problem(ticks(case), missing)
    if why:
        raise RuleError(why, fields={"missing": why})
    _move(session, case, Action.NOTIFY, actor, note="一次性告知补正：" + "；".join(missing),
          detail={"missing": missing})
    case.missing = json.dumps(missing, ensure_ascii=False)
    _track_notice(case, missing)
    session.flush()
    if case.accepted_on is not None:
        case.paused_on = today or date.today()


def _track_notice(case: Case, missing: list[str]) -> None:
    """Every material on the notice waits on the checklist until it is brought: a received one asked again is
    missing again, and one typed beside the checklist becomes a row of its own (so the case cannot be accepted
    as complete while a listed material never came)."""
    rows = {name: m for m in case.checklist for name in (m.name, f"{m.name}（须核验原件）")}
    seq = max((m.seq for m in case.checklist), default=0)
    for item in missing:
        if (row := rows.get(item)) is not None:
            row.received = row.received and item != row.name  # "…（须核验原件）": the original is still to be seen
            row.original_seen = False
            continue
        seq += 1
        case.checklist.append(CaseMaterial(township_id=case.township_id, seq=seq, name=item, copies=1,
                                           original_required=False, requirement=rules.ALWAYS, applies_when="",
                                           **_marked(rules.Mark())))


def missing_list(case: Case) -> list[str]:
    """The materials listed on the case's last one-time notice."""
    return json.loads(case.missing) if case.missing else []


def _require_complete(case: Case) -> None:
    """Refuse to go on while the checklist still lacks something: that calls for a one-time notice."""
    why = rules.incomplete(missing_of(case))
    if why:
        raise RuleError(why, fields={"materials": "材料不齐全"})


def accept(session: Session, case: Case, actor, today: date | None = None) -> None:
    """受理: materials complete; the promised date is set (day 1 = first working day after today)."""
    refuse(rules.case_refusal(facts_of(case), Action.ACCEPT))  # a move the case does not allow says so first
    _require_complete(case)
    day = today or date.today()
    item = session.get(ServiceItem, case.item_id)
    _move(session, case, Action.ACCEPT, actor)
    case.accepted_on = day
    case.due_on = rules.due_date(day, item.days_limit)
    case.handler_id = case.handler_id or actor.id
    session.flush()
    hooks.case_accepted.send(case, session=session, actor=actor)  # e.g. a claim's voucher draft


def resume(session: Session, case: Case, actor, today: date | None = None) -> None:
    """补正 received on an accepted case: the pause is counted and the promised date pushed by it."""
    refuse(rules.case_refusal(facts_of(case), Action.RESUME))
    _require_complete(case)
    day = today or date.today()
    _move(session, case, Action.RESUME, actor)
    paused = rules.paused_working_days(case.paused_on or day, day)
    case.paused_days += paused
    case.paused_on = None
    item = session.get(ServiceItem, case.item_id)
    case.due_on = rules.due_date(case.accepted_on, item.days_limit, case.paused_days)
    session.flush()


def start(session: Session, case: Case, actor) -> None:
    """开始办理: the actor becomes the current handler."""
    _move(session, case, Action.START, actor)
    case.handler_id = actor.id


def transfer(session: Session, case: Case, actor, window: Window, note: str = "") -> None:
    """转办 to another window of the same township; the first-contact owner stays, the handler is cleared."""
    if window.township_id != case.township_id or not window.active:
        raise RuleError("请选择本乡镇在用的窗口", fields={"window_id": "请选择窗口"})
    if window.id == case.window_id:
        raise RuleError("该件已在此窗口", fields={"window_id": "请选择其他窗口"})
    note = (note or "").strip()
    if why := too_long(note, 200):
        raise RuleError(f"转办说明{why}", fields={"note": why})
    old = case.window_id
    case.window_id = window.id
    _move(session, case, Action.TRANSFER, actor, note=f"转至{window.name}" + (f"：{note}" if note else ""),
          detail={"from_window": old, "to_window": window.id})
    case.handler_id = None


def complete(session: Session, case: Case, actor, result: str, satisfaction: int | None = None) -> None:
    """办结: the result is recorded, and the applicant's satisfaction when given (5 非常满意 … 1 不满意)."""
    result = (result or "").strip()
    problems = ({} if result else {"result": "请填写办理结果"}) | _satisfaction_problem(satisfaction)
    if problems:
        raise RuleError("未办结：" + "；".join(problems.values()), fields=problems)
    _move(session, case, Action.COMPLETE, actor, note=result, detail={"satisfaction": satisfaction})
    case.result, case.satisfaction, case.finished_at = result, satisfaction, datetime.now()
    case.handler_id = actor.id  # who finished it handled it (after a transfer nobody may have taken it up)


def rate(session: Session, case: Case, actor, satisfaction: int) -> None:
    """满意度评价 of a completed case (when the applicant gives it later)."""
    if satisfaction is None:
        raise RuleError("请选择满意度", fields={"satisfaction": "请选择满意度"})
    if problem := _satisfaction_problem(satisfaction):
        raise RuleError(problem["satisfaction"], fields=problem)
    _move(session, case, Action.RATE, actor, note=rules.SATISFACTION[satisfaction],
          detail={"satisfaction": satisfaction})
    case.satisfaction = satisfaction


def _satisfaction_problem(value: int | None) -> dict[str, str]:
    """Field → reason unless the satisfaction is None or one of the five levels."""
    return {} if value is None or value in rules.SATISFACTION else {"satisfaction": "满意度应为1至5"}


def reject(session: Session, case: Case, actor, reason: str) -> None:
    """不予受理 / 退回 with its reason; a claim's case hands the claim back to the village."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleError("请填写不予受理（退回）的理由", fields={"reason": "请填写理由"})
    if why := too_long(reason, 1000):
        raise RuleError(f"不予受理（退回）的理由{why}", fields={"reason": why})
    _move(session, case, Action.REJECT, actor, note=reason)
    case.reject_reason, case.finished_at, case.paused_on = reason, datetime.now(), None
    case.handler_id = actor.id
    session.flush()
    hooks.case_rejected.send(case, session=session, actor=actor, reason=reason)  # e.g. a claim goes back


def get_case(session: Session, township_id: int, case_id: int) -> Case | None:
    """A township's case by id (another township's case looks missing)."""
    return session.scalar(select(Case).where(Case.id == case_id, Case.township_id == township_id))


SUBJECT_MAX = 200  # Case.subject
LOOKUP_SCOPE = "case"  # the throttle's scope of the public case lookup


def public_lookup(session: Session, number: str, tail: str, *, address: str | None, now: datetime,
                  policy: Policy = rules.LOOKUP_THROTTLE) -> tuple[queries.PublicStatus | None, timedelta]:
    """The public case lookup under rules.LOOKUP_THROTTLE: (the case's public status or None, NO_WAIT), or
    (None, the wait) when the address must wait before guessing at this number again (the case is not looked at
    then). A miss is counted against the address and the number; a hit clears what the address owed the number."""
    subject = (number or "").strip().upper()
    owed = throttle.wait(session, LOOKUP_SCOPE, subject, address, now)
    if owed > NO_WAIT:
        return None, owed
    status = queries.public_status(session, number, tail)
    if status is None:
        throttle.failed(session, policy, LOOKUP_SCOPE, subject, address, now)
    else:
        throttle.succeeded(session, LOOKUP_SCOPE, subject, address, now)
    return status, NO_WAIT
