"""Access rows of the township settings page: township staff and supervisors read it, the head saves it."""
from __future__ import annotations

from tests.web.access_base import HEADS, TOWNSHIP_READERS, T, r


def _settings(_ctx):
    return {"large_cash_threshold": "8000", "contract_expiry_days": "60", "disclosure_group_threshold": "0",
            "supervision_phone": "0551-12345678", "rule-0-min": "0", "rule-0-resolution": "1", "rule-0-notice": "1"}


ROUTES = [
    r("settings.edit", "GET", TOWNSHIP_READERS, T),
    r("settings.save", "POST", HEADS, T, data=_settings),
]
