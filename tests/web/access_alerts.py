"""Access rows of the alert pages: village list, re-check and acknowledge; the township list and re-check."""
from __future__ import annotations

from datetime import date

from tests.web.access_base import PREPARERS, READERS, TOWNSHIP_READERS, T, V, r


def _alert(session, world, village, ctx) -> int:
    """An open alert of the village (a fresh one per request: acknowledging closes it)."""
    from threeassets.alerts.models import Alert
    from threeassets.core.db import transaction
    ctx["serial"] += 1
    with transaction(session):
        a = Alert(township_id=village.township_id, village_id=village.id, rule="installment_overdue",
                  severity="warning", object_type="installment", object_id=900000 + ctx["serial"], key="",
                  message="合同 HT-001 第 1 期逾期 3 天")
        session.add(a)
    alert_id = a.id
    session.expunge_all()
    return alert_id


def _note(_ctx):
    return {"note": "已电话催收", "next": f"/t/0/alerts?day={date.today()}"}


NEEDS = {"alert": _alert}
ROUTES = [
    r("alerts.index", "GET", READERS, V),
    r("alerts.rescan", "POST", PREPARERS, V),
    r("alerts.acknowledge", "POST", PREPARERS, V, "alert", "alert_id", _note),
    r("alerts_township.township_index", "GET", TOWNSHIP_READERS, T),
    r("alerts_township.township_rescan", "POST", PREPARERS, T),
]
