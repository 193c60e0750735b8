"""Pure rules of a disclosure notice: its workflow (states, actions, the transition table, the form checks) and
what it says (disclosure periods, masking of personal numbers, section words). No database, no request here.

draft ─submit→ submitted ─sign_off→ signed_off ─publish→ published ─archive→ archived
  ↑ regenerate      │ send_back / withdraw ↓        │ withdraw ↓          │ supersede (a correction is published)
  └─────────────────┴───────────────────────────────┘                    └→ archived
A published (or archived) notice is never changed: `correct` leaves it as it is and starts a new version.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from threeassets.core.errors import RuleError
from threeassets.core.masking import mask_id, mask_text
from threeassets.core.workflow import Workflow, permitted

# ---------------------------------------------------------------- the workflow

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


@dataclass(frozen=True)
class NoticeFacts:
    """What the rules of who may do what to a notice need to know about it, on the day they are asked."""

    status: str
    today: date
    display_until: date | None = None  # the end of its display period, once published
    superseded: bool = False  # a published correction replaced it
    pending_version: int | None = None  # the version of its period still being prepared (draft to signed off)


def notice_refusal(facts: NoticeFacts, action: str, actor_id: int | None) -> str | None:
    """Why this person may not take the action on the notice (its state, the display period, a newer version);
    None when the rules allow it. The services refuse with this sentence; the pages offer only what it allows.
    No rule of a notice turns on who asks (a board signs its own village's notices: signer_refusal); actor_id
    keeps the shape every feature's rule has."""
    if why := NOTICE_FLOW.why_not(facts.status, action):
        return why
    if action == A.ARCHIVE and facts.display_until is not None and facts.today <= facts.display_until:
        return f"公示期至 {facts.display_until.isoformat()}，期满后才能撤榜归档"  # comes off the board when 公示期满
    if action == A.CORRECT and facts.superseded:
        return "该公开榜已被更正版本替代，请在最新版本上办理更正"
    if action == A.CORRECT and facts.pending_version is not None:
        return f"该期已有未公布的第{facts.pending_version}版，请在该版本上继续办理"
    return None


def notice_actions(facts: NoticeFacts, actor_id: int | None, permissions: Collection[str]) -> list[Action]:
    """The actions a person holding `permissions` may take on the notice, in the table's order."""
    return permitted(allowed_actions(facts.status), permissions, PERMISSION,
                     lambda a: notice_refusal(facts, a, actor_id))


def notice_refusals(facts: NoticeFacts, actor_id: int | None, permissions: Collection[str]) -> dict[Action, str]:
    """Why actions the person's permissions and the notice's state would allow are refused now (its display period
    still running, a newer version): the page says so instead of offering them."""
    out = {}
    for action in allowed_actions(facts.status):
        if PERMISSION[action] in permissions and (why := notice_refusal(facts, action, actor_id)):
            out[action] = why
    return out


def signer_refusal(role: str | None, actor_village_id: int | None, village_id: int) -> str | None:
    """Only a 民主理财小组 member of the notice's own village signs or sends back (the pages' scope agrees)."""
    if role != "village_board" or actor_village_id != village_id:
        return "只有本村民主理财小组成员可以审核签字"
    return None


def split_names(text: str | None) -> list[str]:
    """The signers' names from a free text separated by spaces, commas or 、."""
    return [n for n in NAME_SPLIT.split((text or "").strip()) if n]


def signers(names: str | None) -> tuple[str, str | None]:
    """The signers' names joined with 、, and why they will not do (none given, too long), or None."""
    joined = "、".join(split_names(names))
    if not joined:
        return joined, "请填写签字的民主理财小组成员姓名"
    return joined, (f"姓名合计最多{NAMES_MAX}字" if len(joined) > NAMES_MAX else None)


def check_signoff(names: str | None, on: date | None, submitted_on: date | None, today: date) -> str:
    """Validate a sign-off; returns the names joined with 、 or raises RuleError naming the fields."""
    joined, why = signers(names)
    problems = {"names": why} if why else {}
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


def check_period_started(start: date, today: date) -> None:
    """A notice is generated for a period that has begun (a future month has no books yet)."""
    if start > today:
        raise RuleError("不能为尚未开始的期间生成公开榜", fields={"period": "期间尚未开始"})


def check_after_start(start_ym: int, end_ym: int, village_start: int | None) -> None:
    """A notice covers months the village keeps on the system: none before its start (期初余额) month. Before it
    there are no vouchers, only the opening figures, which a notice would show as that month's money."""
    if village_start is not None and start_ym < village_start:
        label = f"{village_start // 100}年{village_start % 100}月"
        raise RuleError(f"本村于 {label} 建账，公开期间应从 {label} 起（此前的收支已计入期初余额）",
                        fields={"period": f"应从 {label} 起"})


def pdf_name(village_code: str, village_name: str, period_text: str) -> str:
    """<village code>-<village name>-<period>.pdf, with characters a file system refuses replaced."""
    stem = f"{village_code}-{village_name}-{period_text}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem) + ".pdf"


# ---------------------------------------------------------------- what a notice says

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")
QUARTER_WORDS = "一二三四"
MIN_YEAR, MAX_YEAR = 2000, 2100

AMOUNT_RE = re.compile(r"^-?\d+\.\d{2}$")


@dataclass(frozen=True)
class Period:
    """A disclosure period: one month ("2026-10") or one quarter ("2026-Q3")."""

    text: str
    label: str
    start_ym: int
    end_ym: int
    start: date
    end: date

    @property
    def is_quarter(self) -> bool:
        """Whether the period spans a quarter rather than one month."""
        return self.start_ym != self.end_ym

    @property
    def year(self) -> int:
        """The calendar year of the period."""
        return self.start_ym // 100

    @property
    def months(self) -> list[int]:
        """The period's months as YYYYMM integers."""
        return list(range(self.start_ym, self.end_ym + 1))


def _period(text: str, year: int, first: int, last: int, label: str) -> Period:
    """Build a Period of months first..last of a year."""
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(text, label, year * 100 + first, year * 100 + last, date(year, first, 1), end)


def parse_period(text) -> Period:
    """Parse "YYYY-MM" or "YYYY-Qn" into a Period; RuleError on anything else."""
    s = str(text or "").strip()
    month, quarter = MONTH_RE.match(s), QUARTER_RE.match(s)
    if not (month or quarter):
        raise RuleError(f"公开期间“{s}”格式不对，应为 2026-10（月）或 2026-Q3（季度）", fields={"period": "格式不对"})
    year = int((month or quarter).group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleError(f"公开期间年份应在{MIN_YEAR}至{MAX_YEAR}之间", fields={"period": "年份超出范围"})
    if quarter:
        q = int(quarter.group(2))
        return _period(f"{year}-Q{q}", year, 3 * q - 2, 3 * q, f"{year}年第{QUARTER_WORDS[q - 1]}季度")
    m = int(month.group(2))
    if not 1 <= m <= 12:
        raise RuleError(f"公开期间月份“{m}”不对，应为1至12", fields={"period": "月份不对"})
    return _period(f"{year}-{m:02d}", year, m, m, f"{year}年{m}月")


def unfinished_warning(period: Period, today: date, closed_months: Collection[int]) -> str | None:
    """Why a notice's figures may still change (the period is not over, or not all its months are closed): said
    before it goes to the oversight group, which signs what it sees. None when the books of the period are final."""
    if period.end >= today:
        return (f"{period.label}尚未结束（截至{period.end.isoformat()}），本月后续记账会改变公开数字；"
                f"一般在月末结账后再提交审核。")
    still_open = [m for m in period.months if m not in closed_months]
    if still_open:
        months = "、".join(f"{m // 100}年{m % 100}月" for m in still_open)
        return f"{months}尚未结账，公开数字还可能因补记、更正而改变；建议结账后再提交审核。"
    return None


def mask_tree(value):
    """Mask every text in a JSON-like tree (dicts, lists, strings); amount strings ("1234.50") are left alone."""
    if isinstance(value, dict):
        return {k: mask_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_tree(v) for v in value]
    if isinstance(value, str) and not AMOUNT_RE.match(value):
        return mask_text(value)
    return value


def party_id_shown(party_type: str, id_no: str) -> str:
    """A contract party's number as printed: a person's ID masked, an organisation's public credit code kept."""
    return mask_id(id_no) if party_type == "person" else (id_no or "")


def grouped_label(section: str, count: int) -> str:
    """The line that stands for the small items of one account: 其他小额支出（12笔）."""
    word = "收入" if section == "income" else "支出"
    return f"其他小额{word}（{count}笔）"


def overdue(due_to_date, received_to_date):
    """What a contract party still owes on instalments fallen due (never negative: prepayment is not a debt)."""
    gap = due_to_date - received_to_date
    return gap if gap > 0 else gap * 0
