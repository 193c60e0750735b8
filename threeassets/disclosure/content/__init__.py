"""What a disclosure notice says: build_notice gathers its sections from the posted books (books.py) and the
registers (registers.py) into one JSON-able dict.

Everything the PDF prints is in the dict (amounts as plain strings "1234.50"), so a stored notice renders the
same years later.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from threeassets.core.money import from_fen, plain, to_chinese_upper
from threeassets.disclosure.content import registers
from threeassets.disclosure.content.books import cash, debts, distribution, flows, plan
from threeassets.disclosure.rules import Period, mask_tree, parse_period
from threeassets.orgs.settings import get_settings
from threeassets.subsidies.service import paid_in

SCHEMA = 1


def subsidies(session: Session, village_id: int, period: Period) -> dict:
    """惠农补贴: what the village's households were paid in the period, by policy (IDs masked). Subsidies are not
    the village's income: this section only shows them, it adds nothing to the books' figures."""
    parts = paid_in(session, village_id, period.start, period.end)
    total = sum((Decimal(p["total"]) for p in parts), Decimal("0.00"))
    return {"policies": parts, "total": plain(total), "households": sum(p["households"] for p in parts)}


def build_notice(session: Session, village, period: Period | str) -> dict:
    """Everything the notice prints for a village and a month or quarter, as JSON-able data (see docs)."""
    period = parse_period(period) if isinstance(period, str) else period
    settings = get_settings(session, village.township_id)
    threshold = int(Decimal(settings.disclosure_group_threshold or 0) * 100)
    data = {
        "schema": SCHEMA,
        "village": {"id": village.id, "code": village.code, "name": village.name,
                    "township": village.township.name},
        "period": {"text": period.text, "label": period.label, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "quarter": period.is_quarter},
        "generated_at": datetime.now().replace(microsecond=0).isoformat(sep=" "),
        "published_on": None,
        "supervision_phone": settings.supervision_phone or "",
        "group_threshold": plain(from_fen(threshold)),
        "cash": cash(session, village.id, period),
        "income": flows(session, village.id, period, "income", threshold),
        "expense": flows(session, village.id, period, "expense", threshold),
        "plan": plan(session, village.id, period),
        "debts": debts(session, village.id, period),
        "distribution": distribution(session, village, period),
        "other": "",
        "signoff": None,
    }
    data.update(registers.registers(session, village.id, period))
    data["subsidies"] = subsidies(session, village.id, period)
    net = Decimal(data["income"]["total"]) - Decimal(data["expense"]["total"])
    data["net"] = {"amount": plain(net), "upper": to_chinese_upper(net)}
    data = mask_tree(data)
    data["supervision_phone"] = settings.supervision_phone or ""  # the township's own number, never masked
    return data
