"""Saving a township's settings (TownshipSettings), audited with the values before and after."""
from __future__ import annotations

import json

from sqlalchemy.orm import Session

from threeassets.core import audit
from threeassets.orgs.models import TownshipSettings
from threeassets.orgs.settings import decision_rules, get_settings
from threeassets.settings.rules import SettingsInput

FIELDS = ("large_cash_threshold", "contract_expiry_days", "disclosure_group_threshold", "supervision_phone",
          "notice_days", "cash_deficit", "future_dates")


def snapshot(row: TownshipSettings) -> dict:
    """The settings as plain values (for the audit row and the form)."""
    out = {f: getattr(row, f) for f in FIELDS}
    out["decision_rules"] = decision_rules(row)
    return out


def save_settings(session: Session, township_id: int, values: SettingsInput, *, actor) -> TownshipSettings:
    """Store validated settings for a township (creating its row on first save); audited."""
    row = get_settings(session, township_id)
    before = snapshot(row)
    for f in FIELDS:
        setattr(row, f, getattr(values, f))
    row.decision_rules = json.dumps(values.decision_rules, ensure_ascii=False)
    session.add(row)
    after = snapshot(row)
    changed = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    audit.record(session, "settings.update", actor=actor, township_id=township_id, obj=row,
                 detail={"changed": changed})
    session.flush()
    return row
