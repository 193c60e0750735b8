"""Pure rules of a request for disclosure (依申请公开): the flow, the statutory clock and the annual-report count.

The clock follows 《中华人民共和国政府信息公开条例》(2019):
- 第三十一条: a request counts as received on the day it is handed in (当面), signed for (邮寄; an unsigned
  letter: the day receipt is confirmed with the requester) or confirmed online (网络). The clerk enters that day.
- 第三十三条: the answer is due within 20 working days of receipt; one extension, approved and told to the
  requester with its reason, of at most 20 working days.
- 第三十条: an unclear request gets one 补正 notice within 7 working days of receipt; the clock then counts from
  the day the corrected request arrives; a requester who does not correct in the time given is taken to have
  given the request up (其他处理 in the annual report).
Working days are those of windows/workdays.py (the same calendar as every other clock). As there, the day a
period starts from is not counted.

The annual report's request table (国办公开办函〔2021〕30号) counts by requester kind: 本年新收, 上年结转, the
outcome of every request answered in the year (by kind and reason), 总计, and 结转下年度继续办理; by
construction 一 + 二 = 总计 + 四 (`annual_table`).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from threeassets.core.parse import length_problems
from threeassets.core.workflow import Workflow, permitted
from threeassets.windows.workdays import add_working_days

ANSWER_DAYS = 20  # 第三十三条
EXTENSION_MAX = 20  # 第三十三条: one extension, at most 20 working days
CORRECTION_NOTICE_DAYS = 7  # 第三十条: the 补正 notice goes out within 7 working days of receipt
TEXT_MAX, BASIS_MAX, NOTE_MAX = 4000, 500, 500  # a step's long text; an answer's legal basis; a short note


class Channel(StrEnum):
    """How the request came in (第二十九条, 第三十一条)."""

    IN_PERSON = "in_person"
    POST = "post"
    ONLINE = "online"


CHANNEL_LABELS = {Channel.IN_PERSON: "当面提交", Channel.POST: "邮寄（信函）", Channel.ONLINE: "网络提交"}


class Requester(StrEnum):
    """The requester kinds of the annual report's columns."""

    PERSON = "person"
    BUSINESS = "business"
    RESEARCH = "research"
    CHARITY = "charity"
    LAW = "law"
    OTHER = "other"


REQUESTER_LABELS = {Requester.PERSON: "自然人", Requester.BUSINESS: "商业企业", Requester.RESEARCH: "科研机构",
                    Requester.CHARITY: "社会公益组织", Requester.LAW: "法律服务机构", Requester.OTHER: "其他"}


@dataclass(frozen=True)
class Outcome:
    """One answer kind and reason: a row of the annual report's 三、本年度办理结果."""

    code: str
    group_code: str  # the heading's code ("withheld"), equal to code for the two headings without reasons
    group: str  # the numbered heading: (一)予以公开 … (六)其他处理
    label: str  # the reason row under the heading ('' for the two headings without reasons)


_GROUPS = [
    ("disclosed", "（一）予以公开", []),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", []),
    ("withheld", "（三）不予公开", ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”",
                              "保护第三方合法权益", "属于三类内部事务信息", "属于四类过程性信息",
                              "属于行政执法案卷", "属于行政查询事项"]),
    ("unavailable", "（四）无法提供", ["本机关不掌握相关政府信息", "没有现成信息需要另行制作",
                                  "补正后申请内容仍不明确"]),
    ("not_handled", "（五）不予处理", ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                                  "要求行政机关确认或重新出具已获取信息"]),
    ("other", "（六）其他处理", ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"]),
]
OUTCOMES: dict[str, Outcome] = {}
for _code, _group, _reasons in _GROUPS:
    if not _reasons:
        OUTCOMES[_code] = Outcome(_code, _code, _group, "")
    for _i, _reason in enumerate(_reasons, start=1):
        OUTCOMES[f"{_code}_{_i}"] = Outcome(f"{_code}_{_i}", _code, _group, f"{_i}．{_reason}")
GROUPS = [(code, title) for code, title, _r in _GROUPS]
NOT_CORRECTED = "other_1"  # the outcome of a request whose requester did not correct it in time
UNCLEAR_AFTER_CORRECTION = "unavailable_3"


class State(StrEnum):
    """Where a request is."""

    HANDLING = "handling"  # received, the answer clock running
    CORRECTION = "correction"  # 补正 asked: the clock waits for the corrected request
    ANSWERED = "answered"


class Action(StrEnum):
    """What the window does to a request."""

    ASK_CORRECTION = "ask_correction"  # 告知补正 (once)
    CORRECTED = "corrected"  # the corrected request arrived: the clock counts again from that day
    EXTEND = "extend"  # 延期答复 (once, with a reason)
    ANSWER = "answer"  # 答复, of one of OUTCOMES


STATE_LABELS = {State.HANDLING: "办理中", State.CORRECTION: "待补正", State.ANSWERED: "已答复"}
ACTION_LABELS = {Action.ASK_CORRECTION: "告知补正", Action.CORRECTED: "收到补正", Action.EXTEND: "延期答复",
                 Action.ANSWER: "答复"}
TRANSITIONS = {
    (State.HANDLING, Action.ASK_CORRECTION): State.CORRECTION,
    (State.HANDLING, Action.EXTEND): State.HANDLING,
    (State.HANDLING, Action.ANSWER): State.ANSWERED,
    (State.CORRECTION, Action.CORRECTED): State.HANDLING,
    (State.CORRECTION, Action.ANSWER): State.ANSWERED,  # only: not corrected in time (NOT_CORRECTED)
}
FLOW = Workflow(TRANSITIONS, "申请{state}，不能{action}", STATE_LABELS, ACTION_LABELS)


@dataclass(frozen=True)
class Facts:
    """What the flow's guards need beyond the state."""

    state: str
    correction_asked: bool = False
    extended: bool = False


def refusal(facts: Facts, action: str, outcome: str | None = None) -> str | None:
    """Why a request may not take an action now (None: it may)."""
    why = FLOW.why_not(State(facts.state), Action(action))
    if why is not None:
        return why
    if action == Action.ASK_CORRECTION and facts.correction_asked:
        return "补正只能告知一次（条例第三十条：一次性告知）"
    if action == Action.EXTEND and facts.extended:
        return "答复期限只能延长一次（条例第三十三条）"
    if action == Action.ANSWER:
        if outcome not in OUTCOMES:
            return "请选择答复类型"
        if facts.state == State.CORRECTION and outcome != NOT_CORRECTED:
            return "待补正的申请只能以“申请人无正当理由逾期不补正”结束；收到补正请先登记“收到补正”"
        if outcome == UNCLEAR_AFTER_CORRECTION and not facts.correction_asked:
            return "“补正后申请内容仍不明确”只适用于已告知补正的申请"
    return None


@dataclass(frozen=True)
class Clock:
    """The dates of a request's clock."""

    starts: date  # the day the answer period counts from: receipt, or the corrected request's arrival
    due: date
    correction_by: date  # the last day a 补正 notice may go out


def clock(received: date, corrected: date | None = None, extension_days: int = 0) -> Clock:
    """The answer's due date: 20 working days after receipt (or after the corrected request arrived), plus an
    extension of at most 20; and the last day for a 补正 notice."""
    if not 0 <= extension_days <= EXTENSION_MAX:
        raise ValueError("extension out of range")
    starts = corrected or received
    return Clock(starts, add_working_days(starts, ANSWER_DAYS + extension_days),
                 add_working_days(received, CORRECTION_NOTICE_DAYS))


@dataclass(frozen=True)
class Counted:
    """What the annual table needs of one request."""

    requester: str
    received: date
    answered: date | None
    outcome: str | None


COLUMNS = [*Requester, "total"]


def annual_table(year: int, requests: Iterable[Counted]) -> dict[str, dict[str, int]]:
    """The annual report's request table: row → column → count. Rows: "new" (一, received in the year),
    "carried_in" (二, received before it and not answered before it), every outcome code, each group code
    (its subtotal), "total" (三(七) 总计: answered in the year) and "carried_out" (四, not answered by its end).
    A request answered before it was received, or with no outcome, is a ValueError (bad data, not a count)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = ["new", "carried_in", *OUTCOMES, *(g for g, _t in GROUPS if g not in OUTCOMES), "total", "carried_out"]
    table = {row: dict.fromkeys(COLUMNS, 0) for row in rows}

    def add(row: str, kind: str) -> None:
        table[row][kind] += 1
        table[row]["total"] += 1
    for r in requests:
        if r.answered is not None and (r.answered < r.received or r.outcome not in OUTCOMES):
            raise ValueError(f"request received {r.received} answered {r.answered} with {r.outcome!r}")
        if r.received > last or (r.answered is not None and r.answered < first):
            continue  # not this year's business
        add("new" if r.received >= first else "carried_in", r.requester)
        if r.answered is not None and r.answered <= last:
            outcome = OUTCOMES[r.outcome]
            add(outcome.code, r.requester)
            if outcome.group_code != outcome.code:
                add(outcome.group_code, r.requester)
            add("total", r.requester)
        else:
            add("carried_out", r.requester)
    return table


# --- what a request's answer must say, and who may do what to a request ------------------------------------------

CORRECTION_PERIOD = 15  # working days the requester is given to correct (第三十条 says "合理期限"; the notice names it)
LAW = "《中华人民共和国政府信息公开条例》"
# The article a kind of answer rests on, printed on the answer and editable by the clerk; '' where the clerk must
# write it (the case decides which article applies).
BASIS: dict[str, str] = {
    "disclosed": "第三十六条第（一）项、第（二）项",
    "partial": "第三十七条",
    "withheld_1": "第十四条", "withheld_2": "第十四条", "withheld_3": "第十四条", "withheld_4": "第十五条",
    "withheld_5": "第十六条第一款", "withheld_6": "第十六条第二款", "withheld_7": "第十六条第二款",
    "withheld_8": "第三十六条第（七）项",
    "unavailable_1": "第三十六条第（四）项、第（五）项", "unavailable_2": "第三十八条", "unavailable_3": "第三十条",
    "not_handled_1": "第三十九条第一款", "not_handled_2": "第三十六条第（六）项", "not_handled_3": "第三十九条第二款",
    "not_handled_4": "第三十五条", "not_handled_5": "",
    "other_1": "第三十条", "other_2": "第四十二条", "other_3": "",
}
# Answers that refuse the requester something must give the reason (第三十六条第（三）项, 第三十七条) and its legal
# basis, and tell the requester of the right to 行政复议/行政诉讼 (第五十一条).
ADVERSE_GROUPS = {"partial", "withheld", "unavailable", "not_handled", "other"}


def adverse(outcome: str) -> bool:
    """Whether an answer of this kind refuses the requester something (a reason, a basis and the remedies)."""
    return OUTCOMES[outcome].group_code in ADVERSE_GROUPS


def default_basis(outcome: str | None) -> str:
    """The legal basis printed for an answer of this kind when the clerk writes none ('' where he must)."""
    article = BASIS.get(outcome or "", "")
    return LAW + article if article else ""


def answer_problems(outcome: str | None, text: str, basis: str) -> dict[str, str]:
    """What an answer lacks, by form field: an adverse answer needs its reason and its legal basis; a disclosure
    says how the information is provided (the text may be brief). {} when the answer may be given."""
    problems = {}
    if outcome not in OUTCOMES:
        return {"outcome": "请选择答复类型"}
    if not (text or "").strip():
        problems["answer_text"] = ("请写明不予公开（不能提供、不予处理）的理由" if adverse(outcome)
                                   else "请写明公开的内容及提供方式")
    if adverse(outcome) and not (basis or "").strip():
        problems["answer_basis"] = "请写明法律依据（条例条款）"
    return problems | length_problems({"answer_text": (text, TEXT_MAX, "答复内容"),
                                       "answer_basis": (basis, BASIS_MAX, "法律依据")})



def extension_problems(days: int | None, reason: str) -> dict[str, str]:
    """An extension needs 1..EXTENSION_MAX working days and its reason (第三十三条)."""
    problems = {}
    if days is None or not 1 <= days <= EXTENSION_MAX:
        problems["extension_days"] = f"延长期限应为1至{EXTENSION_MAX}个工作日"
    if not (reason or "").strip():
        problems["extension_reason"] = "请写明延期理由"
    return problems | length_problems({"extension_reason": (reason, TEXT_MAX, "延期理由")})


# The request's printed papers, named as their pages: each exists once the request has had the event producing it.
PAPERS = ("answer_pdf", "correction_pdf", "extension_pdf")
REQUEST_ACTIONS = (*Action, *PAPERS)
ACTION_PERMISSION: dict[str, str] = {**dict.fromkeys(Action, "inforequests.handle"),
                                     **dict.fromkeys(PAPERS, "inforequests.read")}


def request_refusal(facts: Facts, action: str, outcome: str | None = None) -> str | None:
    """Why the request may not take an action or print one of its PAPERS now; None when it may."""
    if action == "answer_pdf":
        return None if facts.state == State.ANSWERED else "申请尚未答复，没有答复书"
    if action == "correction_pdf":
        return None if facts.correction_asked else "该申请未告知补正"
    if action == "extension_pdf":
        return None if facts.extended else "该申请未延期答复"
    if action == Action.ANSWER and outcome is None:  # offered: an answer of some kind, chosen on the form
        outcome = NOT_CORRECTED if facts.state == State.CORRECTION else "disclosed"
    why = refusal(facts, action, outcome)
    if why is None and action == Action.ANSWER and outcome == NOT_CORRECTED and facts.state != State.CORRECTION:
        return "只有告知补正后逾期未补正的申请才能按“逾期不补正”结束"
    return why


def request_actions(facts: Facts, permissions) -> list[str]:
    """The moves and papers a person holding `permissions` may take on the request, in REQUEST_ACTIONS order."""
    return permitted(REQUEST_ACTIONS, permissions, ACTION_PERMISSION, lambda a: request_refusal(facts, a))


def request_number(year: int, n: int) -> str:
    """依申〔2026〕第3号: the n-th request a township registered in the year."""
    return f"依申〔{year}〕第{n}号"


def overdue(state: str, due: date | None, today: date) -> bool:
    """A request whose answer clock runs (not waiting for 补正, not answered) and whose due date has passed."""
    return state == State.HANDLING and due is not None and today > due


def _typed(text: str | None) -> str:
    """A code as typed: full-width letters and digits read as half-width, spaces dropped, upper case."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def check_requester(kind: str, name: str, id_no: str, contact: str, address: str = "") -> tuple[str, str, str, str]:
    """The requester as stored (name, ID or code, contact, address); RuleError naming every bad field. A person's
    ID number is checked with stdnum.cn.ric, an organisation's 统一社会信用代码 with stdnum.cn.uscc (第二十九条: the
    request names the requester and how to reach him; the ID is the 身份证明 he shows)."""
    from stdnum.cn import ric, uscc
    from stdnum.exceptions import ValidationError

    from threeassets.core.errors import RuleError
    name, contact, address = (name or "").strip(), (contact or "").strip(), (address or "").strip()
    id_no = _typed(id_no)
    problems = {}
    if kind not in set(Requester):
        problems["requester_kind"] = "请选择申请人类型"
    if not name:
        problems["requester_name"] = "请填写申请人姓名或名称"
    elif len(name) > 100:
        problems["requester_name"] = "姓名或名称过长（最多100字）"
    if id_no:
        try:
            id_no = ric.validate(id_no) if kind == Requester.PERSON else uscc.validate(id_no)
        except ValidationError:
            problems["requester_id_no"] = ("身份证号码校验未通过" if kind == Requester.PERSON
                                           else "统一社会信用代码校验未通过")
    if not contact:
        problems["contact"] = "请填写联系电话或其他联系方式"
    elif len(contact) > 100:
        problems["contact"] = "联系方式过长（最多100字）"
    if len(address) > 200:
        problems["address"] = "通信地址过长（最多200字）"
    if problems:
        raise RuleError("申请人信息有误：" + "；".join(problems.values()), fields=problems)
    return name, id_no, contact, address


GROUP_SHORT = {"disclosed": "予以公开", "partial": "部分公开", "withheld": "不予公开", "unavailable": "无法提供",
               "not_handled": "不予处理", "other": "其他处理"}


def outcome_text(code: str | None) -> str:
    """An answer kind in a few words: 不予公开：保护第三方合法权益 ('' for none)."""
    outcome = OUTCOMES.get(code or "")
    if outcome is None:
        return ""
    return GROUP_SHORT[outcome.group_code] + ("：" + outcome.label.split("．", 1)[-1] if outcome.label else "")
