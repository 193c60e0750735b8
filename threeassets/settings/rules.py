"""Pure validation of the township settings form: thresholds, lead days, phone and 四议两公开 rule rows."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from threeassets.core.money import parse_amount
from threeassets.core.parse import to_int
from threeassets.decisions.rules import STEP_ORDER, STEPS

MAX_EXPIRY_DAYS = 730
NOTICE_DAYS = (1, 60)  # a subsidy list's notice period (公示), in days; blank keeps the default
DEFAULT_NOTICE_DAYS = 7  # a two-year warning is already longer than most leases' renewal talks
PHONE_RE = re.compile(r"^[0-9０-９+\-－—() （）转,，、/]+$")
CORE_STEP = "resolution"  # every row needs the villagers' (representatives') resolution: the heart of 四议


@dataclass
class SettingsInput:
    """The settings as typed, parsed (None where a field did not parse)."""

    large_cash_threshold: Decimal | None = None
    contract_expiry_days: int | None = None
    disclosure_group_threshold: Decimal | None = None
    supervision_phone: str = ""
    notice_days: int | None = DEFAULT_NOTICE_DAYS
    cash_deficit: str = "warn"
    future_dates: str = "warn"
    decision_rules: list[dict] = field(default_factory=list)


def _amount(text: str | None, name: str, problems: dict, *, positive: bool) -> Decimal | None:
    """A yuan amount from the form; records a problem when missing, malformed, negative (or zero)."""
    try:
        value = parse_amount(text, allow_negative=True)
    except ValueError as exc:
        problems[name] = str(exc)
        return None
    if value is None:
        problems[name] = "必填"
    elif value < 0:
        problems[name] = "不能为负数"
    elif positive and value == 0:
        problems[name] = "应大于 0"
    else:
        return value
    return None


def _days(text: str | None, problems: dict) -> int | None:
    """The contract expiry lead days: a whole number from 1 to MAX_EXPIRY_DAYS."""
    text = (text or "").strip()
    days = to_int(text, lo=1, hi=MAX_EXPIRY_DAYS)
    if days is None:
        problems["contract_expiry_days"] = f"应为 1 至 {MAX_EXPIRY_DAYS} 之间的整数天数"
    return days


def _notice_days(text: str | None, problems: dict) -> int | None:
    """The notice period of subsidy lists: whole days from 1 to 60; blank is the default of 7."""
    text = (text or "").strip()
    if not text:
        return DEFAULT_NOTICE_DAYS
    days = to_int(text, lo=NOTICE_DAYS[0], hi=NOTICE_DAYS[1])
    if days is None:
        problems["notice_days"] = f"应为 {NOTICE_DAYS[0]} 至 {NOTICE_DAYS[1]} 之间的整数天数"
    return days


def _phone(text: str | None, problems: dict) -> str:
    """The supervision phone: empty, or digits with the usual separators (at least five digits)."""
    text = (text or "").strip()
    digits = sum(ch.isdigit() for ch in text)
    if text and (len(text) > 40 or not PHONE_RE.match(text) or digits < 5):
        problems["supervision_phone"] = "请填写电话号码，如 0551-12345678（可写多个，用顿号分隔）"
    return text


def rule_rows(form: Mapping[str, str]) -> list[tuple[int, str, list[str]]]:
    """(row index, amount text, checked steps) of every rule row the form sent, blank rows dropped."""
    indexes = sorted({int(m.group(1)) for k in form if (m := re.match(r"^rule-(\d+)-", k))})
    rows = []
    for i in indexes:
        text = (form.get(f"rule-{i}-min") or "").strip()
        steps = [s for s in STEP_ORDER if form.get(f"rule-{i}-{s}")]
        if text or steps:
            rows.append((i, text, steps))
    return rows


def _rule_problem(text: str, steps: list[str]) -> tuple[Decimal | None, str | None]:
    """One row's floor amount, or the reason it is wrong."""
    if not text:
        return None, "请填写起点金额"
    try:
        floor = parse_amount(text, allow_negative=True)
    except ValueError as exc:
        return None, str(exc)
    if floor < 0:
        return None, "起点金额不能为负数"
    if not steps:
        return None, "请至少勾选一个步骤"
    if CORE_STEP not in steps:
        return None, f"每一档都须包含“{STEPS[CORE_STEP][0]}”"
    return floor, None


def parse_rules(form: Mapping[str, str], problems: dict) -> list[dict]:
    """The 四议两公开 rows as stored (sorted by floor); problems under rule-<i> or rules."""
    parsed: list[tuple[Decimal, list[str], int]] = []
    for i, text, steps in rule_rows(form):
        floor, why = _rule_problem(text, steps)
        if why:
            problems[f"rule-{i}"] = why
        elif any(floor == f for f, _s, _i in parsed):
            problems[f"rule-{i}"] = "起点金额与另一档重复"
        else:
            parsed.append((floor, steps, i))
    parsed.sort(key=lambda r: r[0])
    if not problems and (not parsed or parsed[0][0] != 0):
        problems["rules"] = "须有一档起点金额为 0（任何金额都适用的最低要求）"
    for (_lf, lower, _li), (_f, steps, i) in zip(parsed, parsed[1:], strict=False):
        lacking = [STEPS[s][0] for s in lower if s not in steps]
        if lacking and f"rule-{i}" not in problems:
            problems[f"rule-{i}"] = f"金额更高的一档不能少于较低一档的步骤（缺{'、'.join(lacking)}）"
    return [{"min_amount": f"{floor:.2f}", "steps": steps} for floor, steps, _i in parsed]


CONTROL_VALUES = ("warn", "refuse")


def _control(text: str | None, name: str, problems: dict) -> str:
    """A book control's choice: warn (the default when missing) or refuse."""
    value = (text or "warn").strip()
    if value not in CONTROL_VALUES:
        problems[name] = "请选择“提醒”或“禁止”"
        return "warn"
    return value


def parse_settings(form: Mapping[str, str]) -> tuple[SettingsInput, dict[str, str]]:
    """Parse the whole settings form: (values, {field: reason}); values are only whole when problems is empty."""
    problems: dict[str, str] = {}
    values = SettingsInput(
        large_cash_threshold=_amount(form.get("large_cash_threshold"), "large_cash_threshold", problems,
                                     positive=True),
        contract_expiry_days=_days(form.get("contract_expiry_days"), problems),
        disclosure_group_threshold=_amount(form.get("disclosure_group_threshold"), "disclosure_group_threshold",
                                           problems, positive=False),
        supervision_phone=_phone(form.get("supervision_phone"), problems),
        notice_days=_notice_days(form.get("notice_days"), problems),
        cash_deficit=_control(form.get("cash_deficit"), "cash_deficit", problems),
        future_dates=_control(form.get("future_dates"), "future_dates", problems),
        decision_rules=parse_rules(form, problems))
    return values, problems
