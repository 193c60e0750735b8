"""Alert use cases: scan villages (raise, update, resolve, re-raise), list, count and acknowledge."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from threeassets.alerts import facts, rules
from threeassets.alerts.models import Alert, AlertScan
from threeassets.core import audit
from threeassets.core.db import locked_row
from threeassets.core.pagination import any_contains
from threeassets.core.periods import ym_of
from threeassets.core.workflow import refuse
from threeassets.ledger.service import cash_deficit_months
from threeassets.orgs.models import TownshipSettings, Village
from threeassets.orgs.settings import get_settings


@dataclass
class ScanResult:
    """Totals of one scan over one or more villages."""

    villages: int = 0
    raised: int = 0
    reopened: int = 0
    resolved: int = 0
    open: int = 0

    def add(self, p: rules.Plan) -> None:
        """Count one village's plan."""
        self.villages += 1
        self.raised += len(p.new)
        self.reopened += len(p.reopen)
        self.resolved += len(p.resolve)


def findings(session: Session, village_id: int, today: date, settings: TownshipSettings) -> list[rules.Finding]:
    """Every rule's findings for one village as of a day."""
    diffs, month = facts.differences(session, village_id, today)
    return (rules.contract_expiring(facts.contracts(session, village_id, today, settings.contract_expiry_days),
                                    today, settings.contract_expiry_days)
            + rules.installment_overdue(facts.installments(session, village_id, today), today)
            + rules.assets_mismatch(village_id, diffs, month)
            + rules.cash_deficit(village_id, cash_deficit_months(session, village_id, ym_of(today)))
            + rules.large_cash(facts.cash_lines(session, village_id, today, settings.large_cash_threshold),
                               settings.large_cash_threshold)
            + rules.subsidy_unnoticed(subsidies := facts.subsidies(session, village_id))
            + rules.subsidy_mismatch(subsidies))


def _apply(session: Session, village: Village, stored: dict[tuple, Alert], plan: rules.Plan, now: datetime):
    """Write a plan: add new alerts, reopen, update and resolve stored ones."""
    by_id = {a.id: a for a in stored.values()}
    for f in plan.new:
        session.add(Alert(township_id=village.township_id, village_id=village.id, rule=f.rule,
                          severity=f.severity, object_type=f.object_type, object_id=f.object_id, key=f.key,
                          message=f.message[:400], raised_at=now))
    for alert_id, f in plan.reopen:
        a = by_id[alert_id]
        a.resolved_at = a.acknowledged_at = a.acknowledged_by_id = a.note = None
        a.raised_at, a.severity, a.message = now, f.severity, f.message[:400]
    for alert_id, f in plan.update:
        by_id[alert_id].severity, by_id[alert_id].message = f.severity, f.message[:400]
    for alert_id in plan.resolve:
        by_id[alert_id].resolved_at = now


def scan_village(session: Session, village: Village, today: date, *, settings: TownshipSettings | None = None,
                 actor=None, now: datetime | None = None) -> rules.Plan:
    """Evaluate every rule for a village and bring its stored alerts in line; audited when anything changes."""
    mark = locked_row(session, AlertScan, village_id=village.id)  # one scan of a village at a time
    settings = settings or get_settings(session, village.township_id)
    stored = {(a.rule, a.object_type, a.object_id, a.key): a
              for a in session.scalars(select(Alert).where(Alert.village_id == village.id))}
    plan = rules.plan({k: rules.Stored(a.id, a.severity, a.message, a.resolved_at is not None)
                       for k, a in stored.items()}, findings(session, village.id, today, settings))
    now = now or datetime.now()
    reopened = {i: stored_note(stored, i) for i, _f in plan.reopen}  # before _apply clears the notes
    _apply(session, village, stored, plan, now)
    mark.scanned_at, mark.as_of = now, today
    if plan.changed:
        audit.record(session, "alerts.scan", actor=actor, township_id=village.township_id, village_id=village.id,
                     detail={"as_of": today.isoformat(), "raised": [f.ident for f in plan.new],
                             "reopened": reopened, "resolved": plan.resolve})
    session.flush()
    return plan


def stored_note(stored: dict[tuple, Alert], alert_id: int) -> str | None:
    """The note of a stored alert before it is reopened (kept in the audit row)."""
    return next((a.note for a in stored.values() if a.id == alert_id), None)


def scan(session: Session, villages: list[Village], today: date, *, actor=None, progress=None) -> ScanResult:
    """Scan villages in id order (a fixed lock order); settings are read once per township, and one clock
    reading stamps the whole scan so a township's list sorts its findings by village, not by microseconds."""
    result, cache, now = ScanResult(), {}, datetime.now()
    for v in sorted(villages, key=lambda x: x.id):
        if v.township_id not in cache:
            cache[v.township_id] = get_settings(session, v.township_id)
        result.add(scan_village(session, v, today, settings=cache[v.township_id], actor=actor, now=now))
        if progress:
            progress(v)
    ids = [v.id for v in villages]
    result.open = open_count(session, village_ids=ids) if ids else 0
    return result


def stale(session: Session, villages: list[Village], max_age: timedelta, today: date) -> list[Village]:
    """The villages never scanned, scanned for an earlier day, or scanned longer ago than max_age."""
    ids = [v.id for v in villages]
    marks = {m.village_id: m for m in session.scalars(select(AlertScan).where(AlertScan.village_id.in_(ids)))}
    cutoff = datetime.now() - max_age
    return [v for v in villages if v.id not in marks or marks[v.id].scanned_at is None
            or marks[v.id].scanned_at < cutoff or marks[v.id].as_of != today]


def last_scan(session: Session, village_ids: list[int]) -> datetime | None:
    """When the least recently scanned of these villages was scanned (None: one never was)."""
    rows = session.scalars(select(AlertScan.scanned_at).where(AlertScan.village_id.in_(village_ids))).all()
    if len(rows) < len(set(village_ids)) or any(r is None for r in rows):
        return None
    return min(rows) if rows else None


def _scope(stmt, township_id: int | None, village_ids: list[int] | None):
    """Restrict a statement to a township or to villages."""
    if township_id is not None:
        stmt = stmt.where(Alert.township_id == township_id)
    if village_ids is not None:
        stmt = stmt.where(Alert.village_id.in_(village_ids))
    return stmt


def _state(stmt, state: str):
    """Restrict a statement to a state: open, acknowledged, resolved (anything else: all)."""
    if state == rules.OPEN:
        return stmt.where(Alert.resolved_at.is_(None), Alert.acknowledged_at.is_(None))
    if state == rules.ACKNOWLEDGED:
        return stmt.where(Alert.resolved_at.is_(None), Alert.acknowledged_at.is_not(None))
    if state == rules.RESOLVED:
        return stmt.where(Alert.resolved_at.is_not(None))
    return stmt


def listing(*, township_id: int | None = None, village_ids: list[int] | None = None, rule: str | None = None,
            state: str = rules.OPEN, q: str | None = None):
    """The select of a list page: severe first, newest first."""
    severity = case({k: v for k, v in rules.SEVERITY_ORDER.items()}, value=Alert.severity, else_=9)
    stmt = _state(_scope(select(Alert), township_id, village_ids), state)
    if rule:
        stmt = stmt.where(Alert.rule == rule)
    if q:
        stmt = stmt.where(any_contains((Alert.message, Alert.note), q))
    return stmt.order_by(severity, Alert.raised_at.desc(), Alert.village_id, Alert.rule, Alert.id)


def counts_by_rule(session: Session, *, township_id: int | None = None, village_ids: list[int] | None = None,
                   state: str = rules.OPEN) -> dict[str, int]:
    """rule → number of alerts in a state (every rule listed, zeros included)."""
    stmt = _state(_scope(select(Alert.rule, func.count()), township_id, village_ids), state).group_by(Alert.rule)
    found = dict(session.execute(stmt).all())
    return {r: found.get(r, 0) for r in rules.RULE_LABELS}


def open_count(session: Session, *, township_id: int | None = None, village_ids: list[int] | None = None) -> int:
    """Open (unresolved, unacknowledged) alerts of a township or of villages."""
    stmt = _state(_scope(select(func.count()).select_from(Alert), township_id, village_ids), rules.OPEN)
    return session.scalar(stmt) or 0


# The menu badges' counts, asked on every page: statements built once per process (index: ix_alert_township_open
# for a township, the (village_id, rule, …) unique index for a village).
_OPEN_IN = {scope: _state(select(func.count()).select_from(Alert).where(column == bindparam("org")), rules.OPEN)
            for scope, column in (("township", Alert.township_id), ("village", Alert.village_id))}


def badge_count(session: Session, scope: str, org_id: int) -> int:
    """Open alerts of one township (scope "township") or one village ("village"), as the menu badge shows them."""
    return session.scalar(_OPEN_IN[scope], {"org": org_id}) or 0


def state_of(alert: Alert) -> str:
    """A stored alert's state (open, acknowledged, resolved), as the alert rules name it."""
    return rules.state_of(alert.resolved_at is not None, alert.acknowledged_at is not None)


def acknowledge(session: Session, alert: Alert, *, actor, note: str | None) -> Alert:
    """Acknowledge an open alert with a note (it leaves the open list); audited."""
    text = rules.check_note(note)
    refuse(rules.alert_refusal(state_of(alert), "acknowledge"))
    alert.acknowledged_at, alert.acknowledged_by_id, alert.note = datetime.now(), actor.id, text
    audit.record(session, "alerts.acknowledge", actor=actor, township_id=alert.township_id,
                 village_id=alert.village_id, obj=alert, detail={"rule": alert.rule, "note": text})
    session.flush()
    return alert
