"""Demo data of the alerts feature: the demo township's settings, one large cash payment, then a first scan."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from threeassets.ledger import service as ledger
from threeassets.ledger.rules import LineInput
from threeassets.orgs.settings import DEFAULT_DECISION_RULES
from threeassets.settings.rules import SettingsInput
from threeassets.settings.service import save_settings

SETTINGS = SettingsInput(large_cash_threshold=Decimal("5000.00"), contract_expiry_days=90,
                         disclosure_group_threshold=Decimal("500.00"), supervision_phone="0551-12345678",
                         decision_rules=DEFAULT_DECISION_RULES)


def _posted(session, village, users, on: date, summary: str, debit: str, credit: str, amount: str) -> None:
    """One posted two-line voucher, prepared by the accountant, reviewed by the reviewer, posted by the head."""
    value = Decimal(amount)
    v = ledger.save_draft(session, village=village, actor=users["kuaiji"], voucher_date=on, attachments=1,
                          lines=[LineInput(summary, debit, debit=value), LineInput(summary, credit, credit=value)])
    ledger.review(session, voucher=v, village=village, actor=users["shenhe"])
    ledger.post(session, voucher=v, village=village, actor=users["zhuren"])


def load(session, township, villages, users, today) -> None:
    """Set the demo township's settings, pay one bill in cash above the threshold, and scan every village."""
    from threeassets.alerts.service import scan
    save_settings(session, township.id, SETTINGS, actor=users["zhuren"])
    first = villages[0]
    _posted(session, first, users, today, "从基本户提取现金备付工资", "101", "10201", "7000.00")
    _posted(session, first, users, today, "现金支付村道维修临时用工工资", "514", "101", "6800.00")
    scan(session, villages, today)
