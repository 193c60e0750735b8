"""Pure rules of the kiosk: the notice's state machine and who may move it, what a notice must hold, and the
keys of the anonymous use counters. No Flask, no SQLAlchemy."""
from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, timedelta
from ipaddress import ip_address, ip_network

from threeassets.core.backoff import Policy, Rule
from threeassets.core.errors import RuleError
from threeassets.core.masking import findings, refusal
from threeassets.core.periods import PeriodError, parse_day
from threeassets.core.workflow import Workflow, permitted

KINDS = {"party": "党务公开", "gov": "政务公开"}
STATES = {"draft": "草稿", "published": "已发布", "withdrawn": "已撤回"}
ACTIONS = {"edit": "修改", "publish": "发布", "withdraw": "撤回", "redraft": "重新编辑", "delete": "删除",
           "attach": "添加附件", "detach": "删除附件"}
NOTICE_FLOW = Workflow(
    {("draft", "edit"): "draft", ("draft", "attach"): "draft", ("draft", "detach"): "draft",
     ("draft", "publish"): "published", ("draft", "delete"): None,
     ("published", "withdraw"): "withdrawn", ("withdrawn", "redraft"): "draft"},
    "公告{state}，不能{action}", STATES, ACTIONS,
    {("published", "edit"): "公告已发布，不能修改；请先撤回，重新编辑后再发布",
     ("published", "attach"): "公告已发布，不能增删附件；请先撤回，重新编辑后再发布"})
NEEDS = dict.fromkeys(ACTIONS, "kiosk.edit")

TITLE_MAX, BODY_MAX = 100, 20000
MIN_DATE, MAX_DATE = date(2000, 1, 1), date(2099, 12, 31)


def notice_refusal(status: str, action: str) -> str | None:
    """Why a notice in this state refuses the action, or None."""
    return NOTICE_FLOW.why_not(status, action)


def notice_actions(status: str, permissions: Collection[str]) -> list[str]:
    """What a person holding these permissions may do to a notice in this state (what the page offers)."""
    return permitted(list(ACTIONS), permissions, NEEDS, lambda a: notice_refusal(status, a))


@dataclass(frozen=True)
class NoticeInput:
    """A notice as typed on the form."""

    kind: str
    title: str
    notice_date: str
    body: str


def _personal_numbers(name: str, label: str, text: str) -> dict[str, str]:
    """A field's reason when its text holds a number the public must not see."""
    why = refusal(label, text)
    return {name: why} if why else {}


def _date(text: str) -> tuple[date | None, dict[str, str]]:
    """The notice date as people write it (core.periods.parse_day) within the years the system keeps."""
    try:
        day = parse_day(text, "发布日期")
    except PeriodError as exc:
        return None, {"notice_date": str(exc)}
    if day is None:
        return None, {"notice_date": "请填写发布日期"}
    if not MIN_DATE <= day <= MAX_DATE:
        return None, {"notice_date": "日期应在2000年至2099年之间"}
    return day, {}


def check_notice(data: NoticeInput) -> tuple[str, str, date, str]:
    """(kind, title, date, body) of a valid notice, else RuleError with a reason per field."""
    problems: dict[str, str] = {}
    title, body = (data.title or "").strip(), (data.body or "").replace("\r\n", "\n").strip()
    if data.kind not in KINDS:
        problems["kind"] = "请选择党务公开或政务公开"
    if not title:
        problems["title"] = "请填写标题"
    elif len(title) > TITLE_MAX:
        problems["title"] = f"标题不超过{TITLE_MAX}字"
    if len(body) > BODY_MAX:
        problems["body"] = f"正文不超过{BODY_MAX}字"
    day, why = _date(data.notice_date)
    problems |= why | _personal_numbers("title", "标题", title) | _personal_numbers("body", "正文", body)
    if problems:
        raise RuleError("公告未保存：" + "；".join(problems.values()), fields=problems)
    return data.kind, title, day, body


def check_file_name(name: str) -> str:
    """A notice file's display name (already made safe), else RuleError: the name is shown on the kiosk, so it
    is held to the text's check (a scan named after its owner's ID or mobile)."""
    if problems := _personal_numbers("file", "附件文件名", name):
        raise RuleError("附件未保存：" + problems["file"], fields=problems)
    return name


# ---------------------------------------------------------------- the anonymous use counters

SECTIONS = {"home": "首页", "party": "党务公开", "gov": "政务公开", "village": "村务公开", "service": "办事公开",
            "policy": "惠农政策"}
# What was opened within a section; an item carrying a record names it as "<what>:<id>".
WHATS = {"home": "首页", "list": "列表", "notice": "公告", "village": "村公开榜", "guide": "服务指南",
         "case": "办件进度查询", "policy": "政策", "lists": "补贴发放名单", "household": "我家补贴查询"}
ITEM_MAX = 32


def count_key(section: str, what: str, ident: int | None = None) -> tuple[str, str]:
    """(section, item) of one counter: ("policy", "policy:12"), ("policy", "household"). Only known sections and
    kinds of page are counted, and only record ids: nothing a visitor typed can become a key."""
    if section not in SECTIONS or what not in WHATS:
        raise ValueError(f"unknown counter {section}/{what}")
    if ident is not None and (not isinstance(ident, int) or isinstance(ident, bool) or ident < 0):
        raise ValueError("a counter names a record by its id")
    item = what if ident is None else f"{what}:{ident}"
    return section, item[:ITEM_MAX]


def item_parts(item: str) -> tuple[str, int | None]:
    """A counter's item split back into (what, record id or None)."""
    what, _, ident = item.partition(":")
    return what, int(ident) if ident.isdigit() else None


def item_label(item: str, names: dict[tuple[str, int], str] | None = None) -> str:
    """A counter's item in words: 政策 · 耕地地力保护补贴, 首页."""
    what, ident = item_parts(item)
    label = WHATS.get(what, what)
    if ident is None:
        return label
    name = (names or {}).get((what, ident))
    return f"{label} · {name}" if name else f"{label} #{ident}"


# ---------------------------------------------------------------- "my household": the payments lookup

# A household's payments are found by the head's name and the last four digits of the ID: four digits are a
# small secret, so the guesses are counted (core/throttle.py, as the case lookup counts its phone tails). An
# address may miss 10 times, then waits 1 s, 2 s, 4 s … at most 15 minutes, whatever names it tries; a name
# missed more than 5 times makes every address that has missed it twice wait the name's delay. Counts drain by
# one per 10 minutes. The villager who types his own name and digits right is answered at once.
HOUSEHOLD_THROTTLE = Policy(
    address=Rule(free=10, base=timedelta(seconds=1), cap=timedelta(minutes=15), leak=timedelta(minutes=10)),
    subject=Rule(free=5, base=timedelta(seconds=1), cap=timedelta(minutes=15), leak=timedelta(minutes=10)),
    forgiven=1)
HOUSEHOLD_SCOPE = "household"
# A township's touch screen stands in the service hall: every villager using it comes from the kiosk's one address,
# so the per-address count would lock the whole hall out after ten misses by anyone. The addresses configured as
# kiosks (THREEASSETS_KIOSK_ADDRESSES) are not held to it; the per-name rule holds for them as for everyone.
NEVER = Rule(free=2**31, base=timedelta(seconds=1), cap=timedelta(seconds=1), leak=timedelta(minutes=10))


def at_kiosk(address: str | None, networks: Collection) -> bool:
    """Whether a client address is one of the configured kiosks (KIOSK_ADDRESSES: networks as config.networks
    reads them, or their text)."""
    try:
        ip = ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in (n if not isinstance(n, str) else ip_network(n, strict=False)) for n in networks)


def household_throttle(policy: Policy, kiosk: bool) -> Policy:
    """The lookup's throttle for a client: at a kiosk the per-address count never makes anyone wait (one address,
    the whole hall); the per-name rule is the same for every address."""
    return replace(policy, address=NEVER) if kiosk else policy


def household_subject(township_id: int, head_name: str) -> str:
    """The throttle's subject of a lookup: the township and the name as compared (NFKC, no spaces)."""
    name = "".join(unicodedata.normalize("NFKC", head_name or "").split())
    return f"{township_id}:{name}"


def short_number(number: str) -> str:
    """A household number as a public list shows it: as kept when it is short, else only its last four digits
    (a long number reads like an account number, and the masking checks would rightly refuse it)."""
    text = (number or "").strip()
    return text if not findings(text) else "尾号" + text[-4:]
