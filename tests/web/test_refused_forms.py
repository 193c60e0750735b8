"""A small form refused on a page of several (退回, 红字冲销, 反结账, 解除, 确认到期应收) comes back on that page
at once (422) with what was typed in its box and the reason at its field; nothing is written, and a date that
cannot be read is refused, never taken as today."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from tests.web.access_contracts import _contract
from tests.web.conftest import count
from threeassets.contracts.models import Contract, Installment
from threeassets.core.audit import AuditEvent
from threeassets.ledger.models import Period, Voucher

LONG = "第二行科目应记入银行存款" * 17  # 204 characters: over every limit of 200 here


def _form(html: str, action: str) -> str:
    """The form whose action ends with `action`."""
    return re.search(rf'<form[^>]*action="[^"]*{action}".*?</form>', html, re.S).group(0)


def _box(html: str, name: str, action: str) -> str:
    """The input `name` inside the form whose action ends with `action`."""
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', _form(html, action)).group(0)


def test_a_refused_send_back_keeps_its_reason_at_its_box(as_user, world, records, session):
    v = records.voucher(world.a1)
    c, before = as_user("reviewer"), count(session, AuditEvent)
    resp = c.post(f"/v/{world.a1.id}/vouchers/{v.id}/send-back", data={"reason": LONG})
    html = resp.get_data(as_text=True)
    box = _box(html, "reason", "/send-back")
    assert resp.status_code == 422 and f'value="{LONG}"' in box and "is-invalid" in box
    assert "退回理由最多200字（现 204 字）" in _form(html, "/send-back")
    assert count(session, AuditEvent) == before
    resp = c.post(f"/v/{world.a1.id}/vouchers/{v.id}/send-back", data={"reason": " "})
    assert resp.status_code == 422 and "请写明退回理由" in resp.get_data(as_text=True)
    page = c.get(f"/v/{world.a1.id}/vouchers/{v.id}").get_data(as_text=True)
    assert 'value=""' in _box(page, "reason", "/send-back")  # drawn afresh, the box is empty


def test_a_reversal_on_a_day_that_does_not_exist_says_so_at_its_box(as_user, world, records, session):
    v = records.voucher(world.a1, "posted")
    resp = as_user("accountant").post(f"/v/{world.a1.id}/vouchers/{v.id}/reverse", data={"on": "2024-02-30"})
    html = resp.get_data(as_text=True)
    box = _box(html, "on", "/reverse")
    assert resp.status_code == 422 and 'value="2024-02-30"' in box and "is-invalid" in box
    assert "2024年2月没有30日" in html
    assert session.scalar(select(Voucher).where(Voucher.reverses_id == v.id)) is None


def test_a_refused_reopen_keeps_its_reason_in_its_months_box_only(as_user, world, records, session):
    records.voucher(world.a1, "posted", date(2024, 4, 10))
    as_user("accountant").post(f"/v/{world.a1.id}/closing/close", data={"period": "2024-04"})
    as_user("accountant").post(f"/v/{world.a1.id}/closing/close", data={"period": "2024-05"})
    resp = as_user("head").post(f"/v/{world.a1.id}/closing/reopen", data={"period": "2024-04", "reason": LONG})
    html = resp.get_data(as_text=True)
    forms = {m.group(1): m.group(0) for m in re.finditer(
        r'<form[^>]*reopen-form">.*?name="period" value="([\d-]+)".*?</form>', html, re.S)}
    assert resp.status_code == 422 and set(forms) == {"2024-04", "2024-05"}
    assert f'value="{LONG}"' in forms["2024-04"] and "最多200字（现 204 字）" in forms["2024-04"]
    assert LONG not in forms["2024-05"] and "is-invalid" not in forms["2024-05"]
    period = session.scalar(select(Period).where(Period.village_id == world.a1.id, Period.ym == 202404))
    assert period.status == "closed"


def test_a_termination_on_an_unreadable_date_is_refused_not_dated_today(as_user, world, session):
    cid = _contract(session, world, world.a1, {"serial": 0}, activate=True)
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/contracts/{cid}/terminate", data={"on": "2024-13-01", "reason": "承包方弃耕"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and session.get(Contract, cid).status == "active"
    assert '<details class="mt-4 contract-terminate" open>' in html
    assert 'value="2024-13-01"' in _box(html, "on", "/terminate")
    assert 'value="承包方弃耕"' in _box(html, "reason", "/terminate")
    assert "解除日期“2024-13-01”不是日期" in html
    resp = c.post(f"/v/{world.a1.id}/contracts/{cid}/terminate", data={"on": date.today().isoformat(), "reason": LONG})
    assert resp.status_code == 422 and "解除原因最多200字（现 204 字）" in resp.get_data(as_text=True)
    assert session.get(Contract, cid).status == "active"


def test_a_due_run_on_an_unreadable_date_accrues_nothing(as_user, world, session):
    _contract(session, world, world.a1, {"serial": 0}, activate=True)
    due = select(Installment).where(Installment.village_id == world.a1.id, Installment.status == "due")
    resp = as_user("accountant").post(f"/v/{world.a1.id}/contracts/accrue", data={"on": "2024年2月30日"})
    html = resp.get_data(as_text=True)
    box = _box(html, "on", "/accrue")
    assert resp.status_code == 422 and 'value="2024年2月30日"' in box and "is-invalid" in box
    assert "确认应收未完成" in html and session.scalars(due).first() is None
