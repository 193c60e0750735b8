"""Pure workflow rules of a disclosure notice: states, actions, the transition table and the form checks.

draft ─submit→ submitted ─sign_off→ signed_off ─publish→ published ─archive→ archived
  ↑ regenerate      │ send_back / withdraw ↓        │ withdraw ↓          │ supersede (a correction is published)
  └─────────────────┴───────────────────────────────┘                    └→ archived
A published (or archived) notice is never changed: `correct` leaves it as it is and starts a new version.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum

from threeassets.core.errors import RuleError
from threeassets.core.workflow import Workflow

MIN_DISPLAY_DAYS = 15  # 公示期不少于15天, counted inclusively: posted on the 1st, down on the 15th at the earliest
NAMES_MAX = 200
REMARKS_MAX = 500
OTHER_MAX = 1000
NAME_SPLIT = re.compile(r"[\s,，、;；]+")


class State(StrEnum):
    """Where a notice is in its life."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    SIGNED_OFF = "signed_off"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Action(StrEnum):
    """What someone may do to a notice."""

    REGENERATE = "regenerate"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    SIGN_OFF = "sign_off"
    SEND_BACK = "send_back"
    PUBLISH = "publish"
    ARCHIVE = "archive"
    CORRECT = "correct"
    SUPERSEDE = "supersede"


S, A = State, Action
TRANSITIONS: dict[tuple[State, Action], State] = {
    (S.DRAFT, A.REGENERATE): S.DRAFT,
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.SIGN_OFF): S.SIGNED_OFF,
    (S.SUBMITTED, A.SEND_BACK): S.DRAFT,
    (S.SUBMITTED, A.WITHDRAW): S.DRAFT,
    (S.SIGNED_OFF, A.WITHDRAW): S.DRAFT,
    (S.SIGNED_OFF, A.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, A.ARCHIVE): S.ARCHIVED,
    (S.PUBLISHED, A.SUPERSEDE): S.ARCHIVED,
    (S.ARCHIVED, A.SUPERSEDE): S.ARCHIVED,  # a correction of a notice already taken down
    # A correction starts a new version; the corrected one keeps its state until the new one is published.
    (S.PUBLISHED, A.CORRECT): S.PUBLISHED,
    (S.ARCHIVED, A.CORRECT): S.ARCHIVED,
}

# Which permission (auth.rules.PERMISSIONS) an action needs; SUPERSEDE is part of publishing the correction.
PERMISSION = {
    A.REGENERATE: "disclosure.prepare", A.SUBMIT: "disclosure.prepare", A.WITHDRAW: "disclosure.prepare",
    A.CORRECT: "disclosure.prepare", A.SIGN_OFF: "disclosure.signoff", A.SEND_BACK: "disclosure.signoff",
    A.PUBLISH: "disclosure.publish", A.ARCHIVE: "disclosure.publish", A.SUPERSEDE: "disclosure.publish",
}

STATUS_LABELS = {S.DRAFT: "草稿", S.SUBMITTED: "待理财小组审核", S.SIGNED_OFF: "已签字待公布",
                 S.PUBLISHED: "已公布", S.ARCHIVED: "已归档"}
ACTION_LABELS = {A.REGENERATE: "重新生成", A.SUBMIT: "提交民主理财小组", A.WITHDRAW: "撤回修改",
                 A.SIGN_OFF: "审核签字", A.SEND_BACK: "退回", A.PUBLISH: "公布",
                 A.ARCHIVE: "归档（撤榜）", A.CORRECT: "更正（生成新版本）", A.SUPERSEDE: "被更正版本替代"}
# What the audit rows of a notice mean, for its history on the notice page.
HISTORY_LABELS = {"disclosure.generate": "生成草稿", "disclosure.regenerate": "按账簿重新生成",
                  "disclosure.submit": "提交民主理财小组", "disclosure.withdraw": "撤回为草稿",
                  "disclosure.sign_off": "民主理财小组审核签字", "disclosure.send_back": "民主理财小组退回",
                  "disclosure.publish": "公布（PDF 存档）", "disclosure.archive": "撤榜归档",
                  "disclosure.correct": "生成更正版本", "disclosure.supersede": "被更正版本替代"}
OPEN_STATES = (S.DRAFT, S.SUBMITTED, S.SIGNED_OFF)  # at most one such version per village and period
SHOWN_STATES = (S.PUBLISHED, S.ARCHIVED)  # were published once: public, verifiable, immutable


NOTICE_FLOW = Workflow(TRANSITIONS, "“{state}”状态的公开榜不能{action}", STATUS_LABELS, ACTION_LABELS)
next_state = NOTICE_FLOW.next  # the state after an action, or IllegalMove when the current state does not allow it


def allowed_actions(state: str) -> list[Action]:
    """The actions a user may take on a notice in this state (SUPERSEDE happens only through publishing)."""
    return [Action(a) for a in NOTICE_FLOW.actions(state) if a != A.SUPERSEDE]


def is_public(state: str) -> bool:
    """Whether a notice in this state was published, so the public may see and verify it."""
    return state in SHOWN_STATES


def split_names(text: str | None) -> list[str]:
    """The signers' names from a free text separated by spaces, commas or 、."""
    return [n for n in NAME_SPLIT.split((text or "").strip()) if n]


def check_signoff(names: str | None, on: date | None, submitted_on: date | None, today: date) -> str:
    """Validate a sign-off; returns the names joined with 、 or raises RuleError naming the fields."""
    problems = {}
    people = split_names(names)
    joined = "、".join(people)
    if not people:
        problems["names"] = "请填写签字的民主理财小组成员姓名"
    elif len(joined) > NAMES_MAX:
        problems["names"] = f"姓名合计最多{NAMES_MAX}字"
    if on is None:
        problems["signoff_on"] = "请填写签字日期"
    elif on > today:
        problems["signoff_on"] = "签字日期不能晚于今天"
    elif submitted_on is not None and on < submitted_on:
        problems["signoff_on"] = f"签字日期不能早于提交审核日期 {submitted_on.isoformat()}"
    if problems:
        raise RuleError("签字未保存：" + "；".join(problems.values()), fields=problems)
    return joined


def check_remarks(text: str | None, required: bool) -> str:
    """Remarks of a sign-off (optional) or a send-back (required: the agency must know what to fix)."""
    text = (text or "").strip()
    if required and not text:
        raise RuleError("退回时请写明需要修改的内容", fields={"remarks": "请填写退回意见"})
    if len(text) > REMARKS_MAX:
        raise RuleError(f"意见最多{REMARKS_MAX}字", fields={"remarks": f"最多{REMARKS_MAX}字"})
    return text


def check_other(text: str | None) -> str:
    """The 其他事项 free text of a draft (may be empty)."""
    text = (text or "").strip()
    if len(text) > OTHER_MAX:
        raise RuleError(f"其他事项最多{OTHER_MAX}字", fields={"other": f"最多{OTHER_MAX}字"})
    return text


def display_days(posted_on: date, until: date) -> int:
    """Days on the notice board, counting the posting day and the last day."""
    return (until - posted_on).days + 1


def default_display_until(posted_on: date) -> date:
    """The earliest allowed end of the display period for a posting date."""
    return posted_on + timedelta(days=MIN_DISPLAY_DAYS - 1)


def check_publication(posted_on: date | None, until: date | None, signoff_on: date | None) -> None:
    """A posting date on or after the sign-off and a display period of at least MIN_DISPLAY_DAYS days."""
    problems = {}
    if posted_on is None:
        problems["posted_on"] = "请填写张贴公布日期"
    elif signoff_on is not None and posted_on < signoff_on:
        problems["posted_on"] = f"公布日期不能早于签字日期 {signoff_on.isoformat()}"
    if until is None:
        problems["display_until"] = "请填写公示截止日期"
    elif posted_on is not None and display_days(posted_on, until) < MIN_DISPLAY_DAYS:
        problems["display_until"] = (f"公示期不少于{MIN_DISPLAY_DAYS}天（现为{display_days(posted_on, until)}天），"
                                     f"截止日最早为 {default_display_until(posted_on).isoformat()}")
    if problems:
        raise RuleError("未公布：" + "；".join(problems.values()), fields=problems)


def check_archive(display_until: date | None, today: date) -> None:
    """A notice comes off the board only after its display period (公示期满)."""
    if display_until is not None and today <= display_until:
        raise RuleError(f"公示期至 {display_until.isoformat()}，期满后才能撤榜归档")


def check_period_started(start: date, today: date) -> None:
    """A notice is generated for a period that has begun (a future month has no books yet)."""
    if start > today:
        raise RuleError("不能为尚未开始的期间生成公开榜", fields={"period": "期间尚未开始"})


def pdf_name(village_code: str, village_name: str, period_text: str) -> str:
    """<village code>-<village name>-<period>.pdf, with characters a file system refuses replaced."""
    stem = f"{village_code}-{village_name}-{period_text}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem) + ".pdf"
