"""Pure rules of the 四议两公开 decision record: the steps, which an amount needs, and what a record lacks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# step key → (label, the record fields that prove it)
STEPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "proposal": ("党支部提议", ("proposal_on",)),
    "committees": ("“两委”会议商议", ("committees_on",)),
    "members": ("党员大会审议", ("members_on",)),
    "resolution": ("村民（代表）会议决议", ("resolution_on", "votes_for", "attendees")),
    "notice": ("决议公开", ("notice_from", "notice_to")),
    "result_notice": ("实施结果公开", ("result_notice_on",)),
}
STEP_ORDER = list(STEPS)


@dataclass(frozen=True)
class DecisionInput:
    """The fields of a decision record as entered (None = step not taken)."""

    subject: str
    proposal_on: date | None = None
    committees_on: date | None = None
    members_on: date | None = None
    resolution_on: date | None = None
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    attendees: int | None = None
    notice_from: date | None = None
    notice_to: date | None = None
    result_notice_on: date | None = None
    remarks: str | None = None


def required_steps(amount: Decimal, rules: list[dict]) -> list[str]:
    """The steps a decision about this amount needs: the rule with the highest min_amount not above it."""
    best, best_min = [], Decimal("-1")
    for rule in rules:
        floor = Decimal(str(rule["min_amount"]))
        if floor <= amount and floor > best_min:
            best, best_min = list(rule["steps"]), floor
    return [s for s in STEP_ORDER if s in best]


def missing_steps(record, steps: list[str]) -> list[str]:
    """Labels of the required steps the record (any object with the fields, or None) does not show."""
    if record is None:
        return [STEPS[s][0] for s in steps]
    return [STEPS[s][0] for s in steps if any(getattr(record, f, None) in (None, "") for f in STEPS[s][1])]


def record_problems(rec: DecisionInput) -> list[tuple[str, str]]:
    """(field, reason) for an inconsistent record: votes over attendance, no majority, dates out of order."""
    out: list[tuple[str, str]] = []
    if not rec.subject or not rec.subject.strip():
        out.append(("subject", "请填写决策事项"))
    votes = [v for v in (rec.votes_for, rec.votes_against, rec.votes_abstain) if v is not None]
    if any(v < 0 for v in votes):
        out.append(("votes_for", "票数不能为负"))
    if rec.attendees is not None and sum(votes) > rec.attendees:
        out.append(("attendees", "赞成、反对、弃权票之和超过到会人数"))
    if rec.votes_for is not None and rec.attendees and rec.votes_for * 2 <= rec.attendees:
        out.append(("votes_for", "赞成票未超过到会人数的一半，决议未通过"))
    order = [("proposal_on", rec.proposal_on), ("committees_on", rec.committees_on),
             ("members_on", rec.members_on), ("resolution_on", rec.resolution_on),
             ("notice_from", rec.notice_from)]
    seen = [(f, d) for f, d in order if d is not None]
    for (_, earlier), (field, later) in zip(seen, seen[1:], strict=False):
        if later < earlier:
            out.append((field, "日期早于上一步骤"))
    if rec.notice_from and rec.notice_to and rec.notice_to < rec.notice_from:
        out.append(("notice_to", "公示结束日期早于开始日期"))
    return out
