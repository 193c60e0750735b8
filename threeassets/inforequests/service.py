"""Use cases of a request for disclosure (依申请公开): receive, 补正, extend, answer. Never commits.

Every step goes through rules.request_refusal (IllegalMove with its sentence when the flow refuses it), checks its
dates against the statutory clock (rules.clock: the working days of windows/workdays.py, administrator-entered
holidays included), and writes an InfoRequestEvent and an audit row in the caller's transaction.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core.audit import record
from threeassets.core.db import locked_row
from threeassets.core.errors import RuleError
from threeassets.core.parse import length_problems
from threeassets.core.workflow import refuse
from threeassets.inforequests import rules
from threeassets.inforequests.models import InfoRequest, InfoRequestCounter, InfoRequestEvent
from threeassets.inforequests.rules import Action, Channel, State
from threeassets.orgs.models import Township, Village
from threeassets.windows.rules import mask_name
from threeassets.windows.workdays import add_working_days

CONTENT_MAX = 4000  # characters of the information asked for (a long letter is attached on paper)


def take_number(session: Session, township_id: int, year: int) -> int:
    """The next request number of a township and year, from a counter row locked until the caller commits (the
    counter rolls back with a failed registration: numbers have no gaps)."""
    counter = locked_row(session, InfoRequestCounter, township_id=township_id, year=year)
    counter.last += 1
    session.flush()
    return counter.last


def facts_of(req: InfoRequest) -> rules.Facts:
    """What the request's rules need to know about it."""
    return rules.Facts(req.state, correction_asked=req.correction_asked_on is not None,
                       extended=req.extension_days > 0)


def _event(session: Session, req: InfoRequest, action: str, before: str | None, actor, day: date,
           note: str | None = None, detail: dict | None = None) -> None:
    """Append the request's history event and the audit row of one step."""
    session.add(InfoRequestEvent(township_id=req.township_id, request_id=req.id, action=action, from_state=before,
                                 to_state=req.state, day=day, actor_id=getattr(actor, "id", None), note=note))
    record(session, f"inforequest.{action}", actor=actor, township_id=req.township_id, village_id=req.village_id,
           obj=req, detail={"number": req.number, "from": before, "to": req.state, "on": day, **(detail or {})})


def _move(session: Session, req: InfoRequest, action: Action, actor, day: date, note: str | None = None,
          detail: dict | None = None, outcome: str | None = None) -> None:
    """Apply a step the rules allow (IllegalMove with their reason otherwise) and record it."""
    refuse(rules.request_refusal(facts_of(req), action, outcome))
    before, req.state = req.state, rules.FLOW.next(req.state, action)
    session.flush()
    _event(session, req, action, before, actor, day, note, detail)


def _day(on: date | None, today: date | None, earliest: date, what: str, field: str) -> date:
    """The day a step happened: given or today; never after today, never before `earliest`."""
    today = today or date.today()
    day = on or today
    if day > today:
        raise RuleError(f"{what}不能晚于今天", fields={field: "不能是将来的日期"})
    if day < earliest:
        raise RuleError(f"{what}不能早于{earliest:%Y-%m-%d}", fields={field: f"不能早于{earliest:%Y-%m-%d}"})
    return day


def _text(value: str | None, field: str, label: str, most: int = rules.TEXT_MAX) -> str:
    """A typed text, stripped; RuleError at `field` naming it and its length when it is over `most` (never cut)."""
    if problems := length_problems({field: (value, most, label)}):
        raise RuleError(problems[field], fields=problems)
    return (value or "").strip()


def receive(session: Session, *, township: Township, actor, channel: str, requester_kind: str, requester_name: str,
            contact: str, content: str, received_on: date | None = None, requester_id_no: str = "",
            address: str = "", delivery: str = "", village_id: int | None = None,
            today: date | None = None) -> InfoRequest:
    """登记: a request as received (第三十一条: the day handed in, signed for or confirmed online), numbered per
    township and year of receipt, its answer due 20 working days after that day."""
    problems: dict[str, str] = {}
    try:
        name, id_no, contact, address = rules.check_requester(requester_kind, requester_name, requester_id_no,
                                                              contact, address)
    except RuleError as exc:
        problems.update(exc.fields)
    if channel not in set(Channel):
        problems["channel"] = "请选择申请方式"
    content = (content or "").strip()
    if not content:
        problems["content"] = "请填写申请公开的政府信息（名称、文号或便于查询的其他特征描述）"
    elif len(content) > CONTENT_MAX:
        problems["content"] = f"内容过长（最多{CONTENT_MAX}字），较长的申请请附书面材料"
    if len(delivery or "") > 100:
        problems["delivery"] = "过长（最多100字）"
    today = today or date.today()
    if received_on is None:
        problems["received_on"] = "请填写收到申请的日期"
    elif received_on > today:
        problems["received_on"] = "收到日期不能晚于今天"
    if village_id is not None:
        village = session.get(Village, village_id)
        if village is None or village.township_id != township.id:
            problems["village_id"] = "请选择本乡镇的村"
    if problems:
        raise RuleError("申请登记有误：" + "；".join(problems.values()), fields=problems)
    seq = take_number(session, township.id, received_on.year)
    req = InfoRequest(township_id=township.id, village_id=village_id, year=received_on.year, seq=seq,
                      number=rules.request_number(received_on.year, seq), channel=channel,
                      requester_kind=requester_kind, requester_name=name, requester_id_no=id_no, contact=contact,
                      address=address, content=content, delivery=(delivery or "").strip(), received_on=received_on,
                      state=State.HANDLING, extension_days=0, due_on=rules.clock(received_on).due,
                      created_by_id=actor.id)
    session.add(req)
    session.flush()
    _event(session, req, "receive", None, actor, received_on,
           detail={"channel": channel, "kind": requester_kind, "requester": mask_name(name), "due": req.due_on})
    return req


def ask_correction(session: Session, req: InfoRequest, actor, note: str, on: date | None = None,
                   deadline: date | None = None, today: date | None = None) -> None:
    """告知补正 (第三十条): once, within 7 working days of receipt, saying what to make clear and by when; the answer
    clock waits until the corrected request arrives."""
    refuse(rules.request_refusal(facts_of(req), Action.ASK_CORRECTION))
    day = _day(on, today, req.received_on, "告知补正的日期", "on")
    last = rules.clock(req.received_on).correction_by
    if day > last:
        raise RuleError(f"补正应在收到申请之日起{rules.CORRECTION_NOTICE_DAYS}个工作日内一次性告知（最迟"
                        f"{last:%Y-%m-%d}），已超过，请直接答复", fields={"on": f"最迟{last:%Y-%m-%d}"})
    note = _text(note, "correction_note", "需要补正的事项")
    if not note:
        raise RuleError("请写明需要补正的事项", fields={"correction_note": "请写明需要补正的事项"})
    deadline = deadline or add_working_days(day, rules.CORRECTION_PERIOD)
    if deadline <= day:
        raise RuleError("补正期限应晚于告知日期", fields={"correction_deadline": "应晚于告知日期"})
    _move(session, req, Action.ASK_CORRECTION, actor, day, note=note, detail={"deadline": deadline})
    req.correction_asked_on, req.correction_note, req.correction_deadline = day, note, deadline


def corrected(session: Session, req: InfoRequest, actor, on: date | None = None, note: str = "",
              today: date | None = None) -> None:
    """收到补正: the answer is due 20 working days after the day the corrected request arrived (plus an extension
    already granted, which cannot be: an extension needs the clock running)."""
    day = _day(on, today, req.correction_asked_on or req.received_on, "收到补正的日期", "on")
    _move(session, req, Action.CORRECTED, actor, day, note=_text(note, "note", "补正情况", rules.NOTE_MAX) or None)
    req.corrected_on = day
    req.due_on = rules.clock(req.received_on, day, req.extension_days).due
    session.flush()


def extend(session: Session, req: InfoRequest, actor, days: int | None, reason: str, on: date | None = None,
           today: date | None = None) -> None:
    """延期答复 (第三十三条): once, at most 20 working days, with its reason, decided before the answer is due."""
    refuse(rules.request_refusal(facts_of(req), Action.EXTEND))
    problems = rules.extension_problems(days, reason)
    if problems:
        raise RuleError("；".join(problems.values()), fields=problems)
    day = _day(on, today, req.corrected_on or req.received_on, "延期决定的日期", "on")
    if day > req.due_on:
        raise RuleError(f"答复期限已于{req.due_on:%Y-%m-%d}届满，不能再延期", fields={"on": "期限已届满"})
    reason, due = (reason or "").strip(), rules.clock(req.received_on, req.corrected_on, days).due
    _move(session, req, Action.EXTEND, actor, day, note=f"延长{days}个工作日：{reason}",
          detail={"days": days, "reason": reason, "due_before": req.due_on, "due": due})
    req.extension_days, req.extension_reason, req.extended_on, req.due_on = days, reason, day, due
    session.flush()


def answer(session: Session, req: InfoRequest, actor, outcome: str, text: str, basis: str = "",
           on: date | None = None, today: date | None = None) -> None:
    """答复 with one of rules.OUTCOMES: the kind, what is given or why not, and the articles it rests on. A request
    waiting for 补正 ends only as not corrected in time, once the time given has passed."""
    refuse(rules.request_refusal(facts_of(req), Action.ANSWER, outcome))
    basis = (basis or "").strip() or rules.default_basis(outcome)
    problems = rules.answer_problems(outcome, text, basis)
    if problems:
        raise RuleError("；".join(problems.values()), fields=problems)
    day = _day(on, today, req.corrected_on or req.correction_asked_on or req.received_on, "答复日期", "on")
    if req.state == State.CORRECTION and day <= req.correction_deadline:
        raise RuleError(f"补正期限至{req.correction_deadline:%Y-%m-%d}，期限届满后才能按逾期未补正处理",
                        fields={"on": f"应晚于{req.correction_deadline:%Y-%m-%d}"})
    text = (text or "").strip()
    _move(session, req, Action.ANSWER, actor, day, note=f"{rules.OUTCOMES[outcome].label or ''}{text}"[:500],
          detail={"outcome": outcome, "late": day > req.due_on and req.state != State.CORRECTION}, outcome=outcome)
    req.answered_on, req.outcome, req.answer_text, req.answer_basis = day, outcome, text, basis
    req.answered_by_id = actor.id
    session.flush()


def lapse(session: Session, req: InfoRequest, actor, on: date | None = None, today: date | None = None) -> None:
    """The requester did not correct in the time given (第三十条): the request is taken as given up and ends as
    rules.NOT_CORRECTED (其他处理 in the annual report)."""
    deadline = req.correction_deadline
    text = (f"本机关已于{req.correction_asked_on:%Y年%m月%d日}告知申请人补正，申请人无正当理由未在补正期限"
            f"（{deadline:%Y年%m月%d日}）内补正，视为放弃申请，本机关不再处理该政府信息公开申请。"
            if deadline and req.correction_asked_on else "申请人无正当理由逾期未补正，视为放弃申请。")
    answer(session, req, actor, rules.NOT_CORRECTED, text, "", on, today)


def get_request(session: Session, township_id: int, request_id: int) -> InfoRequest | None:
    """A township's request by id (another township's request looks missing)."""
    return session.scalar(select(InfoRequest).where(InfoRequest.id == request_id,
                                                    InfoRequest.township_id == township_id))
