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
    assert f'value="{LONG}"' in forms["2024-04"] and "反结账原因最多200字（现 204 字）" in forms["2024-04"]
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
    assert "确认应收未完成" in html and "2024年2月没有30日" in html and session.scalars(due).first() is None


def test_a_refused_stock_take_adjustment_keeps_every_box_and_names_each_problem(as_user, world, session):
    c = as_user("accountant")
    c.post(f"/v/{world.a1.id}/openings", data={"start_period": "2026-01", "yd-101": "100", "yc-301": "100"})
    typed = {"kind": "asset_found", "debit": "999", "credit": "322", "amount": "12,3a", "reason": "盘盈抽水机一台"}
    resp = c.post(f"/v/{world.a1.id}/openings/adjustments", data=typed)
    html = resp.get_data(as_text=True)
    form = _form(html, "/openings/adjustments")
    assert resp.status_code == 422 and "科目 999 不是本村的末级科目" in form and "金额" in form
    for name in ("debit", "credit", "amount", "reason"):
        assert f'value="{typed[name]}"' in _box(html, name, "/openings/adjustments")
    assert '<option value="asset_found" selected>' in form
    assert "is-invalid" in _box(html, "debit", "/openings/adjustments")
    assert "is-invalid" not in _box(html, "credit", "/openings/adjustments")


def test_a_refused_sub_account_keeps_what_was_typed_and_says_why_in_chinese(as_user, world, session):
    from threeassets.ledger.models import Account
    pid = session.scalar(select(Account.id).where(Account.village_id == world.a1.id, Account.code == "112"))
    resp = as_user("accountant").post(f"/v/{world.a1.id}/accounts",
                                      data={"parent_id": pid, "suffix": "1", "name": "张三丰"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "下级编码应为2～4位数字" in html and "Field" not in html
    assert 'value="张三丰"' in _box(html, "name", "/accounts") and 'value="1"' in _box(html, "suffix", "/accounts")
    assert f'<option value="{pid}" selected>' in _form(html, "/accounts")




def _on_notice(client, session, world) -> int:
    """A subsidy list of the township put on notice today: its id."""
    from tests.web.test_subsidies_routes import listed
    bid = listed(client, session, world)
    assert client.post(f"/t/{world.township_a.id}/subsidies/{bid}/notice").status_code == 302
    return bid


def test_a_refused_objection_comes_back_whole(as_user, world, session):
    from threeassets.subsidies.models import Objection
    c = as_user("accountant")
    bid = _on_notice(c, session, world)
    content = "王某反映其家庭承包地面积登记有误，\n应为4.5亩" + "。" * 300
    typed = {"raised_on": "2020-01-01", "village_id": str(world.a1.id), "raised_by": "王某", "content": content,
             "outcome": "已核实"}
    resp = c.post(f"/t/{world.township_a.id}/subsidies/{bid}/objections", data=typed)
    html = resp.get_data(as_text=True)
    form = _form(html, "/objections")
    assert resp.status_code == 422 and "提出日期应在公示开始之后、今天之前" in form
    assert f">{content}</textarea>" in form and ">已核实</textarea>" in form
    assert 'value="王某"' in _box(html, "raised_by", "/objections") and 'value="2020-01-01"' in form
    assert f'<option value="{world.a1.id}" selected>' in form
    assert count(session, Objection) == 0
    resp = c.post(f"/t/{world.township_a.id}/subsidies/{bid}/objections", data=typed | {"raised_by": "王" * 51,
                                                                                         "raised_on": ""})
    assert resp.status_code == 422 and "提出人最多50字（现 51 字）" in resp.get_data(as_text=True)


def test_a_refused_withdrawal_and_retirement_keep_what_was_typed(as_user, world, session):
    from tests.web.test_subsidies_routes import _policy_id
    c = as_user("accountant")
    bid = _on_notice(c, session, world)
    resp = c.post(f"/t/{world.township_a.id}/subsidies/{bid}/withdraw", data={"reason": LONG})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and f'value="{LONG}"' in _box(html, "reason", "/withdraw")
    assert "撤回原因最多200字（现 204 字）" in _form(html, "/withdraw")
    from threeassets.subsidies.models import Batch, Policy
    session.expire_all()
    assert session.get(Batch, bid).state == "noticing"
    pid = _policy_id(session, world)
    resp = as_user("head").post(f"/t/{world.township_a.id}/policies/{pid}/retire", data={"year_to": "二〇二五"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'value="二〇二五"' in _box(html, "year_to", "/retire")
    assert "执行至年度“二〇二五”应为1949至2100年间的年份" in html
    assert session.get(Policy, pid).status == "active" and session.get(Policy, pid).year_to is None


def test_a_reversal_with_a_blank_date_is_asked_for_one(as_user, world, records, session):
    v = records.voucher(world.a1, "posted")
    resp = as_user("accountant").post(f"/v/{world.a1.id}/vouchers/{v.id}/reverse", data={"on": "　 "})
    assert resp.status_code == 422 and "请填写冲销日期" in _form(resp.get_data(as_text=True), "/reverse")
    assert session.scalar(select(Voucher).where(Voucher.reverses_id == v.id)) is None


def test_an_edit_of_a_voucher_reviewed_meanwhile_shows_what_was_typed(as_user, world, records, session):
    v = records.voucher(world.a1)
    base = f"/v/{world.a1.id}/vouchers/{v.id}"
    assert as_user("reviewer").post(f"{base}/review").status_code == 302
    form = {"voucher_date": v.voucher_date.isoformat(), "attachments": "1",
            "lines-0-summary": "购买办公用品（改）", "lines-0-account": "513", "lines-0-debit": "120.00",
            "lines-1-summary": "购买办公用品（改）", "lines-1-account": "101", "lines-1-credit": "120.00"}
    resp = as_user("accountant").post(f"{base}/edit", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "凭证未保存：" in html and "凭证已审核，不能修改" in html
    assert "尚未保存" in html and 'id="save-new"' not in html and 'id="save"' not in html  # saving again cannot help
    assert f'href="{base}">查看这张凭证<' in html
    assert 'value="购买办公用品（改）"' in html and 'value="120.00"' in html
    assert session.get(Voucher, v.id).total == v.total and session.get(Voucher, v.id).status == "reviewed"


def _late_first_check(monkeypatch, module, name: str) -> None:
    """The route's own state check of an edit answers "still editable" once, as it did before another page moved
    the record on: the service's refusal in the write is then what the route meets (the race it must handle)."""
    real, calls = getattr(module, name), []

    def once_allowed(*args, **kwargs):
        calls.append(args)
        return None if len(calls) == 1 else real(*args, **kwargs)
    monkeypatch.setattr(module, name, once_allowed)


def test_a_voucher_reviewed_between_the_check_and_the_write_comes_back_as_moved_on(as_user, world, records,
                                                                                 session, monkeypatch):
    from threeassets.ledger.routes import vouchers as route
    v = records.voucher(world.a1)
    base = f"/v/{world.a1.id}/vouchers/{v.id}"
    assert as_user("reviewer").post(f"{base}/review").status_code == 302
    _late_first_check(monkeypatch, route, "voucher_refusal")
    form = {"voucher_date": v.voucher_date.isoformat(), "attachments": "1",
            "lines-0-summary": "改", "lines-0-account": "513", "lines-0-debit": "120.00",
            "lines-1-summary": "改", "lines-1-account": "101", "lines-1-credit": "120.00"}
    resp = as_user("accountant").post(f"{base}/edit", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and 'id="save-new"' not in html and "尚未保存" in html
    assert session.get(Voucher, v.id).status == "reviewed" and session.get(Voucher, v.id).total == v.total


def test_a_claim_submitted_between_the_check_and_the_write_comes_back_as_moved_on(client, world, session,
                                                                                monkeypatch):
    from tests.conftest import login
    from tests.web.access_claims import claim_form, make_claim
    from threeassets.claims.models import Claim
    from threeassets.claims.routes import claims as route
    claim_id = make_claim(session, world, world.a1, submit=True)[0]
    _late_first_check(monkeypatch, route, "claim_refusal")
    login(client, "vacct")
    resp = client.post(f"/v/{world.a1.id}/claims/{claim_id}/edit", data=claim_form(payee="另一个收款人"),
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and 'value="另一个收款人"' in html and "尚未保存" in html
    assert "保存草稿</button>" not in html and session.get(Claim, claim_id).payee != "另一个收款人"


def _edit_contract(as_user, world, session, ctx: dict, effective: bool, change: dict):
    """Save the edit form of a draft contract with a change, the contract made effective first or not."""
    from tests.web.access_contracts import _edit
    cid = _contract(session, world, world.a1, ctx, activate=effective)
    resp = as_user("accountant").post(f"/v/{world.a1.id}/contracts/{cid}/edit", data=_edit(ctx) | change)
    return cid, resp.status_code, resp.get_data(as_text=True)


def test_an_edit_of_a_contract_made_effective_meanwhile_offers_the_contract(as_user, world, session):
    ctx = {"serial": 0}
    cid, status, html = _edit_contract(as_user, world, session, ctx, True, {"party_name": "李四（改）"})
    assert status == 409 and 'value="李四（改）"' in html and "尚未保存" in html
    assert "保存为草稿</button>" not in html and f'href="/v/{world.a1.id}/contracts/{cid}">查看合同 ' in html
    assert session.get(Contract, cid).party_name == "张三"
    _, status, html = _edit_contract(as_user, world, session, ctx, False, {"ends_on": "2024-02-30"})
    assert status == 422 and "保存为草稿</button>" in html and "尚未保存" not in html  # a draft's own problem


def test_a_refused_schedule_shows_its_rows_as_typed_each_problem_at_its_row(as_user, world, session):
    cid = _contract(session, world, world.a1, {"serial": 0}, activate=False)
    before = [(i.due_on, i.amount) for i in session.get(Contract, cid).installments]
    c = as_user("accountant")
    form = {"due_on": ["2024-02-30", "2025-01-31", ""], "amount": ["30000", "3万", ""]}
    resp = c.post(f"/v/{world.a1.id}/contracts/{cid}/schedule", data=form)
    html = resp.get_data(as_text=True)
    grid = _form(html, "/schedule")
    assert resp.status_code == 422 and "第1行到期日“2024-02-30”不存在（2024年2月没有30日）" in grid
    assert 'value="2024-02-30"' in grid and 'value="3万"' in grid and "第2行金额：" in grid
    row2 = grid.split("<tr>")[3]  # header, row 1, row 2: the amount's reason is at the amount, the date unmarked
    cells = row2.split("</td>")
    assert "第2行金额：" in cells[2] and "is-invalid" in cells[2] and "is-invalid" not in cells[1]
    form = {"due_on": ["2024-12-31", "2025-12-31"], "amount": ["100.00", "200.00"]}  # not the contract's total
    resp = c.post(f"/v/{world.a1.id}/contracts/{cid}/schedule", data=form)
    grid = _form(resp.get_data(as_text=True), "/schedule")
    assert resp.status_code == 422 and 'value="2025-12-31"' in grid and 'value="200.00"' in grid
    session.expire_all()
    assert [(i.due_on, i.amount) for i in session.get(Contract, cid).installments] == before


def test_typed_markup_comes_back_as_text(as_user, world, records, session):
    v = records.voucher(world.a1)
    evil = '"><script>alert(1)</script>' + "长" * 200
    html = as_user("reviewer").post(f"/v/{world.a1.id}/vouchers/{v.id}/send-back",
                                    data={"reason": evil}).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    c = as_user("accountant")
    bid = _on_notice(c, session, world)
    html = c.post(f"/t/{world.township_a.id}/subsidies/{bid}/objections",
                  data={"raised_on": "", "raised_by": "王某", "content": "</textarea><b>x</b>"}).get_data(as_text=True)
    assert "&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>" in html and "<b>x</b>" not in html


def test_another_villages_record_is_404_on_every_refusal_path(as_user, world, records, session):
    v = records.voucher(world.a2, "posted")
    cid = _contract(session, world, world.a2, {"serial": 0}, activate=True)
    vc = as_user("vacct")  # a village's user is refused another village outright
    assert vc.post(f"/v/{world.a2.id}/vouchers/{v.id}/reverse", data={"on": "2024-02-30"}).status_code in (403, 404)
    # the township's staff: another village's record under this village's address is 404
    for role, path, data in (("accountant", f"/v/{world.a1.id}/vouchers/{v.id}/reverse", {"on": "2024-02-30"}),
                             ("reviewer", f"/v/{world.a1.id}/vouchers/{v.id}/send-back", {"reason": LONG}),
                             ("accountant", f"/v/{world.a1.id}/contracts/{cid}/terminate", {"on": "x", "reason": LONG}),
                             ("accountant", f"/v/{world.a1.id}/contracts/{cid}/schedule", {"due_on": "x",
                                                                                            "amount": "y"})):
        assert as_user(role).post(path, data=data).status_code == 404, path
