"""Pure rules of a case (办件): the state machine, the promised-deadline clock, numbers and masking.

States: intake 接件 → supplement 补正 → accepted 受理 → in_progress 办理 → done 办结 / rejected 不予受理·退回.
A case that was already accepted may go back to 补正 (materials found missing while handling it): its clock
pauses, and `resume` brings it back to 办理 with the due date pushed by the paused working days.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from threeassets.core.backoff import Policy, Rule
from threeassets.core.errors import IllegalMove, RuleError
from threeassets.core.parse import too_long
from threeassets.core.periods import typed
from threeassets.core.workflow import Workflow, permitted
from threeassets.windows.workdays import add_working_days, working_days_between


class State(StrEnum):
    """Where a case is."""

    INTAKE = "intake"
    SUPPLEMENT = "supplement"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REJECTED = "rejected"


class Action(StrEnum):
    """What a handler can do to a case."""

    MATERIALS = "materials"  # tick received materials / originals seen
    NOTIFY = "notify"  # 一次性告知: list every missing material, the case waits for 补正
    ACCEPT = "accept"  # 受理: the promised clock starts
    RESUME = "resume"  # 补正 received on an accepted case: the clock runs again
    START = "start"  # 开始办理
    TRANSFER = "transfer"  # 转办 to another window (the first-contact owner stays accountable)
    COMPLETE = "complete"  # 办结
    REJECT = "reject"  # 不予受理 / 退回
    RATE = "rate"  # 满意度评价 after completion


STATE_LABELS = {State.INTAKE: "接件", State.SUPPLEMENT: "待补正", State.ACCEPTED: "已受理",
                State.IN_PROGRESS: "办理中", State.DONE: "已办结", State.REJECTED: "不予受理/退回"}
ACTION_LABELS = {Action.MATERIALS: "登记材料", Action.NOTIFY: "一次性告知补正", Action.ACCEPT: "受理",
                 Action.RESUME: "补正后继续办理", Action.START: "开始办理", Action.TRANSFER: "转办",
                 Action.COMPLETE: "办结", Action.REJECT: "不予受理/退回", Action.RATE: "满意度评价",
                 "intake": "接件登记"}
SATISFACTION = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不太满意", 1: "不满意"}
OPEN_STATES = (State.INTAKE, State.SUPPLEMENT, State.ACCEPTED, State.IN_PROGRESS)
FINISHED_STATES = (State.DONE, State.REJECTED)  # 办结 or 不予受理
MISSING_MAX = 100  # one material named on a one-time notice (it joins the checklist: CaseMaterial.name)

# (state, action) → next state. Guards that need more than the state are in `move`.
TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.INTAKE, Action.MATERIALS): State.INTAKE,
    (State.INTAKE, Action.NOTIFY): State.SUPPLEMENT,
    (State.INTAKE, Action.ACCEPT): State.ACCEPTED,
    (State.INTAKE, Action.REJECT): State.REJECTED,
    (State.SUPPLEMENT, Action.MATERIALS): State.SUPPLEMENT,
    (State.SUPPLEMENT, Action.ACCEPT): State.ACCEPTED,  # only if never accepted
    (State.SUPPLEMENT, Action.RESUME): State.IN_PROGRESS,  # only if accepted before
    (State.SUPPLEMENT, Action.REJECT): State.REJECTED,
    (State.ACCEPTED, Action.NOTIFY): State.SUPPLEMENT,
    (State.ACCEPTED, Action.START): State.IN_PROGRESS,
    (State.ACCEPTED, Action.TRANSFER): State.ACCEPTED,
    (State.ACCEPTED, Action.COMPLETE): State.DONE,
    (State.ACCEPTED, Action.REJECT): State.REJECTED,
    (State.IN_PROGRESS, Action.NOTIFY): State.SUPPLEMENT,
    (State.IN_PROGRESS, Action.TRANSFER): State.IN_PROGRESS,
    (State.IN_PROGRESS, Action.COMPLETE): State.DONE,
    (State.IN_PROGRESS, Action.REJECT): State.REJECTED,
    (State.DONE, Action.RATE): State.DONE,
}


CASE_FLOW = Workflow(TRANSITIONS, "办件{state}，不能{action}", STATE_LABELS, ACTION_LABELS)


def refusal(state: str, action: str, *, accepted: bool = False) -> str | None:
    """Why a case in this state may not take the action (the table, then whether it was accepted before).
    A state or action the machine does not know is a programming error: ValueError."""
    state, action = State(state), Action(action)
    why = CASE_FLOW.why_not(state, action)
    if why is None and state == State.SUPPLEMENT and action == Action.ACCEPT and accepted:
        why = "该件已受理，补正材料收齐后请点“补正后继续办理”"
    if why is None and state == State.SUPPLEMENT and action == Action.RESUME and not accepted:
        why = "该件尚未受理，材料收齐后请点“受理”"
    return why


def move(state: str, action: str, *, accepted: bool = False) -> State:
    """The state after an action, or IllegalMove with a message a clerk understands."""
    why = refusal(state, action, accepted=accepted)
    if why is not None:
        raise IllegalMove(why)
    return State(CASE_FLOW.next(state, action))


# --- who may do what to a case: the case page offers exactly these, the services refuse with their words --------

# The case's printed papers, named as their pages (windows.notice_pdf …): each exists once the case has had the
# event that produces it.
PAPERS = ("notice_pdf", "receipt_pdf", "rejection_pdf")
CASE_ACTIONS = (*Action, *PAPERS)  # what a case page may offer: the moves, then the papers
# The permission (auth.rules.PERMISSIONS) each action needs: every move of a case and its papers are the hall's
# work. (The catalogue's pages have no states: they show their edit buttons to catalogue.edit.)
ACTION_PERMISSION: dict[str, str] = dict.fromkeys(CASE_ACTIONS, "cases.handle")


@dataclass(frozen=True)
class CaseFacts:
    """What the rules of who may do what to a case need to know about it."""

    state: str
    accepted: bool = False  # accepted once (a 补正 after that resumes rather than accepts)
    notified: bool = False  # a one-time notice (一次性告知书) was handed over
    rated: bool = False  # the applicant's satisfaction is recorded


def _paper_refusal(facts: CaseFacts, paper: str) -> str | None:
    """Why the case has no such paper to print yet."""
    if paper == "notice_pdf" and not facts.notified:
        return "该件未出具一次性告知书"
    if paper == "receipt_pdf" and not facts.accepted:
        return "该件尚未受理，没有受理回执"
    if paper == "rejection_pdf" and facts.state != State.REJECTED:
        return "该件未被不予受理（退回），没有通知书"
    return None


def case_refusal(facts: CaseFacts, action: str) -> str | None:
    """Why the case may not take the action (a move, or printing one of its PAPERS); None when the rules allow it.
    The services refuse with this sentence; the case page offers only what it allows."""
    if action in PAPERS:
        return _paper_refusal(facts, action)
    why = refusal(facts.state, action, accepted=facts.accepted)
    if why is None and action == Action.RATE and facts.rated:
        why = "满意度已登记，不能重复评价"
    return why


def case_actions(facts: CaseFacts, permissions: Collection[str]) -> list[str]:
    """The moves and papers a person holding `permissions` may take on the case, in CASE_ACTIONS order."""
    return permitted(CASE_ACTIONS, permissions, ACTION_PERMISSION, lambda a: case_refusal(facts, a))


# --- the promised-deadline clock -------------------------------------------------------------------------

def due_date(accepted_on: date, days_limit: int, paused_days: int = 0) -> date:
    """Promised completion: day 1 is the first working day after acceptance; 补正 pauses push it."""
    return add_working_days(accepted_on, days_limit + paused_days)


def paused_working_days(paused_on: date, resumed_on: date) -> int:
    """Working days a 补正 pause took: after the notice day up to and including the day materials came."""
    return working_days_between(paused_on, resumed_on)


def is_overdue(state: str, due_on: date | None, today: date) -> bool:
    """An open, running case past its promised date (a case waiting for 补正 has its clock stopped)."""
    return state in (State.ACCEPTED, State.IN_PROGRESS) and due_on is not None and today > due_on


def due_soon(state: str, due_on: date | None, today: date, within: int = 2) -> bool:
    """An open, running case due within `within` working days (and not yet overdue)."""
    if state not in (State.ACCEPTED, State.IN_PROGRESS) or due_on is None or today > due_on:
        return False
    return working_days_between(today, due_on) <= within


# --- numbers, applicants, checklists ---------------------------------------------------------------------

# Frozen: printed on case papers and typed into the public lookup as printed (tests/unit/test_frozen_formats.py).
def case_number(township_code: str, day: date, n: int) -> str:
    """<township code>-YYYYMMDD-NNNN."""
    return f"{township_code}-{day:%Y%m%d}-{n:04d}"


PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$", re.ASCII)  # ASCII digits only (never another script's)
PHONE_EXAMPLE = "如 13800001111 或 0551-66881201"


def read_phone(text: str) -> str:
    """A typed phone as the rules read it: full-width digits and hyphens half-width, spaces dropped."""
    return re.sub(r"\s", "", typed(text))


def quoted(text: str, most: int = 20) -> str:
    """Typed text as a reason quotes it: at most `most` characters, cut with “…”."""
    return text if len(text) <= most else text[:most] + "…"


def applicant_problems(name: str, phone: str, id_no: str) -> tuple[tuple[str, str, str], dict[str, str]]:
    """Cleaned (name, phone, ID) and field → reason for every bad one (ID checked with stdnum.cn.ric); a filled
    field is never called missing."""
    name, id_no = (name or "").strip(), (id_no or "").strip()
    phone = read_phone(phone)
    problems = {}
    if not name:
        problems["applicant_name"] = "请填写申请人姓名"
    elif len(name) > 50:
        problems["applicant_name"] = "姓名过长"
    if not phone:
        problems["applicant_phone"] = f"请填写联系电话：11位手机号或带区号的固定电话（{PHONE_EXAMPLE}）"
    elif not PHONE_RE.match(phone):
        problems["applicant_phone"] = (f"联系电话“{quoted(phone)}”不是11位手机号，也不是带区号的固定电话"
                                       f"（{PHONE_EXAMPLE}）")
    if id_no:
        try:
            id_no = ric.validate(id_no)
        except ValidationError:
            problems["applicant_id_no"] = "身份证号码校验未通过"
    return (name, phone, id_no), problems


def phone_tail(phone: str) -> str:
    """The last four digits of a phone number (what the public lookup asks for)."""
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: only the first character stays."""
    name = (name or "").strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


# Whether a material is always needed (必交) or only in the cases its note names (视情形提交, e.g. 残疾证 "有残疾或重病
# 成员时提供"): a conditional one the clerk marks not applicable (不适用) to a case neither blocks 受理 nor goes on the
# one-time notice.
ALWAYS, CONDITIONAL = "always", "conditional"
REQUIREMENTS = {ALWAYS: "必交", CONDITIONAL: "视情形提交"}


def requirement_problem(name: str, requirement: str, condition: str) -> str | None:
    """Why a catalogue material cannot be saved with this requirement: an unknown one, or a conditional one that
    does not say when it is needed (the applicant and the clerk must be able to tell)."""
    if requirement not in REQUIREMENTS:
        return f"材料“{name}”的提交要求应为必交或视情形提交"
    if requirement == CONDITIONAL and not (condition or "").strip():
        return f"材料“{name}”视情形提交，请在说明中写明何种情形需提交"
    return None


@dataclass(frozen=True)
class Tick:
    """One checklist row as it stands: received (original seen), or, for a conditional material, not applicable."""

    name: str
    original_required: bool
    received: bool
    original_seen: bool
    conditional: bool = False
    not_applicable: bool = False


@dataclass(frozen=True)
class Mark:
    """How one material is marked at the window: received (and its original seen), not applicable to the case
    (conditional materials only), or neither — missing. `decided_by` is set when the case's source, not the
    clerk, decides whether it applies (a claim paid in cash needs no bank account): the clerk cannot change that."""

    received: bool = False
    original_seen: bool = False
    not_applicable: bool = False
    decided_by: str = ""


def mark_refusal(name: str, *, conditional: bool, mark: Mark, decided_by: str = "",
                 was_not_applicable: bool = False) -> str | None:
    """Why a material may not be marked so: received and not applicable at once, an always-required (必交)
    material not applicable, or a change of what the case's source decided (`decided_by`)."""
    if mark.received and mark.not_applicable:
        return f"“{name}”不能既登记已收到又标为不适用"
    if mark.not_applicable and not conditional:
        return f"“{name}”为必交材料，不能标为不适用"
    if decided_by and mark.not_applicable != was_not_applicable:
        return (f"“{name}”本件不需提交（{decided_by}），不能改为需要" if was_not_applicable
                else f"“{name}”本件需要提交（{decided_by}），不能标为不适用")
    return None


def excused_reason(applies_when: str, decided_by: str = "") -> str:
    """Why a material marked not applicable is not needed, in words an applicant reads on the receipt: the case
    it is needed in, and what says this case is not one (the case's source, or the window's check)."""
    return "；".join(filter(None, [(applies_when or "").strip(), decided_by or "本件不属于此情形"]))


def intake_choice_problem(then: str, missing: list[str]) -> dict[str, str]:
    """Field → reason when what the clerk chose to do on intake does not fit the checklist: accepting while
    something is missing (that calls for a one-time notice), or a notice when nothing is."""
    if then == "accept" and (why := incomplete(missing)):
        return {"materials": why}
    if then == "notify" and not missing:
        return {"materials": "材料已齐全，无需补正，请直接受理"}
    return {}


def incomplete(missing: list[str]) -> str | None:
    """Why a case may not be accepted (or go on after 补正) yet: materials still missing, which calls for a
    one-time notice; None when the checklist is complete. The service refuses with it, the case page disables
    its button with it."""
    return "材料不齐全，不能受理，请出具一次性告知书：" + "、".join(missing) if missing else None


def missing_materials(ticks: list[Tick]) -> list[str]:
    """Every material that blocks 受理 and goes on the one-time notice: not received, or its original required but
    not seen — except a conditional material marked not applicable to the case (an always-required one is never
    excused)."""
    out = []
    for t in ticks:
        if t.conditional and t.not_applicable:
            continue
        if not t.received:
            out.append(t.name)
        elif t.original_required and not t.original_seen:
            out.append(f"{t.name}（须核验原件）")
    return out


def notice_problem(ticks: list[Tick], listed: list[str]) -> str | None:
    """Why a one-time notice may not list `listed`: it must name every material the checklist still lacks (a row
    whose original is unseen may be named with or without “（须核验原件）”), since nothing outside it may be asked
    for later, and it may not name a material marked not applicable to the case. Materials received may be listed
    (found wanting after acceptance), and so may anything outside the checklist."""
    named = set(listed)
    excused = [t.name for t in ticks if t.conditional and t.not_applicable
               and named & {t.name, f"{t.name}（须核验原件）"}]
    if excused:
        return "本件不适用的材料不能列入一次性告知书：" + "、".join(excused)
    left_out = [m for t in ticks for m in missing_materials([t]) if not named & {m, t.name}]
    if left_out:
        return "一次性告知书须一次列明全部尚缺材料，还缺：" + "、".join(left_out)
    return None


def clean_missing(items: list[str]) -> list[str]:
    """A notice's list: stripped, blanks and repeats dropped, order kept; an empty list, or an item over
    MISSING_MAX characters (named with its length, never cut), is refused."""
    out: list[str] = []
    for x in items:
        x = (x or "").strip()
        if x and x not in out:
            out.append(x)
    if not out:
        raise RuleError("一次性告知书至少要列明一项需补正的材料", fields={"missing": "请列明需补正的材料"})
    if long := [why for x in out if (why := too_long(x, MISSING_MAX, f"补正材料“{quoted(x)}”"))]:
        raise RuleError("；".join(long), fields={"missing": "；".join(long)})
    return out


# Failed public lookups (core/backoff.py). An address may miss 10 times (a kiosk serves many people), then waits
# 1 s, 2 s, 4 s … at most 15 minutes, whatever numbers it tries. A case number missed more than 5 times makes each
# address that has missed it twice wait 1 s, 2 s … (doubling with the number's count), at most 15 minutes; the
# applicant at another address is never held back. Counts drain by one per 10 minutes.
LOOKUP_THROTTLE = Policy(
    address=Rule(free=10, base=timedelta(seconds=1), cap=timedelta(minutes=15), leak=timedelta(minutes=10)),
    subject=Rule(free=5, base=timedelta(seconds=1), cap=timedelta(minutes=15), leak=timedelta(minutes=10)),
    forgiven=1)
