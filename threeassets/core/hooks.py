"""Hooks: how a general feature tells the specific ones that something happened, without importing them.

A lower package sends a signal (blinker, the library Flask's own signals use); a higher package connects a
receiver in its `hooks.py`. threeassets/__init__.py imports those for every feature in features.HOOKS when the
package is imported, so the receivers are connected in the web app, every command and any script alike.
Receivers run in the sender's transaction: what they write commits or rolls back with it, and an error they
raise refuses the whole action.

Each signal is sent with the record as its sender and the session (and the actor) as keywords.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# orgs → every feature that keeps per-organisation set-up (the chart of accounts, the service catalogue)
township_created = _signals.signal("township-created")  # (township, session=, actor=)
village_created = _signals.signal("village-created")  # (village, session=, actor=)

# windows → the feature whose record a case carries (a village's reimbursement claim)
case_accepted = _signals.signal("case-accepted")  # (case, session=, actor=)
case_rejected = _signals.signal("case-rejected")  # (case, session=, actor=, reason=)

# attachments → the feature whose record holds a file: a file is read with its record, never more widely.
# Receivers answer, for their own kind of record (attachment.owner_type), the permission that opens the record
# ("books.read"), or False when the record is missing or hidden from this role; None for another kind.
attachment_owner = _signals.signal("attachment-owner")  # (attachment, session=, role=) → str | False | None

# resources → the features that hold a resource (contracts): receivers answer a reason text or None
resource_held = _signals.signal("resource-held")  # (resource, session=) → "合同 C001 生效中" | None
# A register's page asks for sections other features add to it: receivers answer (template, context) or None
resource_sections = _signals.signal("resource-sections")  # (resource, session=) → (template, dict) | None

# statements → the registers and the switch-over: parts of the 会计报表附注 only they know. Receivers answer a dict
# of named parts ("assets": fixed assets by category, "cards": facts for the policy text, "switched": bool)
statement_notes = _signals.signal("statement-notes")  # (None, session=, village_ids=, ym=) → dict | None


# a feature naming a window's service item (a policy's 咨询 item) → the hall: receivers answer {code: name} of a
# township's items, so pages show names, not codes
service_items = _signals.signal("service-items")  # (township_id, session=) → dict | None

# ledger → the features that write vouchers from their own records (a claim): a voucher's page shows where it came
# from. Receivers answer {"text": "报账单 X", "url": ..., "white_lines": {line numbers}, "note": ...} or None.
voucher_source = _signals.signal("voucher-source")  # (voucher, session=) → dict | None


def answers(signal, sender, **kwargs) -> list:
    """Send a signal and keep the receivers' answers that are not None, in the order they were connected."""
    return [value for _receiver, value in signal.send(sender, **kwargs) if value is not None]

# closing → the registers whose month-end work writes the month's books (the assets' depreciation run): a month
# does not close before that work is done. Receivers answer a list of reasons (Chinese sentences) or None.
close_blockers = _signals.signal("close-blockers")  # (village_id, session=, ym=) → list[str] | None
