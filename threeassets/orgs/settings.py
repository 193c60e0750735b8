"""A township's settings with defaults: read-only helpers (the settings page writes TownshipSettings)."""
from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy.orm import Session

from threeassets.orgs.models import TownshipSettings

# Default 四议两公开 requirements by amount (yuan): small decisions need the resolution and its notice,
# larger ones every step. A township edits this on its settings page.
DEFAULT_DECISION_RULES = [
    {"min_amount": "0.00", "steps": ["resolution", "notice"]},
    {"min_amount": "10000.00", "steps": ["proposal", "committees", "resolution", "notice"]},
    {"min_amount": "50000.00", "steps": ["proposal", "committees", "members", "resolution", "notice",
                                         "result_notice"]},
]


CONTROLS = {"warn": "提醒（照常保存、记账）", "refuse": "禁止"}  # what a book control does


def get_settings(session: Session, township_id: int) -> TownshipSettings:
    """The township's settings row, or an unsaved one holding the defaults."""
    row = session.get(TownshipSettings, township_id)
    if row is None:
        row = TownshipSettings(township_id=township_id, large_cash_threshold=Decimal("5000.00"),
                               contract_expiry_days=90, disclosure_group_threshold=Decimal("0.00"),
                               decision_rules="", supervision_phone="", notice_days=7, cash_deficit="warn",
                               future_dates="warn")
    return row


def decision_rules(settings: TownshipSettings) -> list[dict]:
    """The township's decision rules as a list (the defaults when none are saved)."""
    return json.loads(settings.decision_rules) if settings.decision_rules else DEFAULT_DECISION_RULES
