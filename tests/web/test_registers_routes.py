"""Resources and contracts pages through the client: forms, refusals that write nothing, lists, money, PDF."""
from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from tests.web.access_contracts import DECISION, PERSON
from tests.web.conftest import count, import_job, tbody
from threeassets.contracts.models import Contract, Installment, Receipt
from threeassets.core.audit import AuditEvent
from threeassets.resources.models import Resource


def _resource(client, world, code="GD-1", area="12.50", **kw):
    data = {"code": code, "name": "村东承包地", "rtype": "耕地", "area_mu": area, "status": "unlet",
            "east": "村道", **kw}
    return client.post(f"/v/{world.a1.id}/resources/new", data=data)


def test_resource_form_list_filters_export_and_summary(as_user, world, session):
    client = as_user("accountant")
    assert _resource(client, world).status_code == 302
    assert _resource(client, world, code="LD-1", rtype="林地", area="100").status_code == 302
    page = client.get(f"/v/{world.a1.id}/resources?rtype=林地").get_data(as_text=True)
    assert "LD-1" in tbody(page) and "GD-1" not in tbody(page)
    csv = client.get(f"/v/{world.a1.id}/resources/export.csv").get_data(as_text=True)
    assert csv.startswith("\ufeff资源编码") and "GD-1,村东承包地,耕地,,12.50,村道" in csv
    summary = client.get(f"/v/{world.a1.id}/resources/summary").get_data(as_text=True)
    assert "112.50" in summary and "林地" in summary
    town = client.get(f"/t/{world.township_a.id}/resources/summary").get_data(as_text=True)
    assert "甲一村" in town and "112.50" in town and "全镇资源汇总" in town


def test_negative_area_shows_the_form_and_writes_nothing(as_user, world, session):
    client = as_user("accountant")
    before = (count(session, Resource), count(session, AuditEvent))
    resp = _resource(client, world, area="-3")
    assert resp.status_code == 422
    assert "面积必须大于0" in resp.get_data(as_text=True)
    assert (count(session, Resource), count(session, AuditEvent)) == before


def test_resource_import_page_and_errors(as_user, world, session):
    client = as_user("accountant")
    tpl = client.get(f"/v/{world.a1.id}/resources/import/template.csv")
    assert tpl.status_code == 200 and "org_code,resource_code" in tpl.get_data(as_text=True)
    bad = "org_code,resource_code,name,type,location,area_mu,east,south,west,north,certificate_no,status\n" \
          "A1,X-1,好,耕地,,1,,,,,,\nA1,X-2,坏,田地,,1,,,,,,\n"
    resp = client.post(f"/v/{world.a1.id}/resources/import", data={"file": (io.BytesIO(bad.encode()), "r.csv")},
                       content_type="multipart/form-data")
    state, page = import_job(client, resp)
    assert state["status"] == "failed" and "类型应为" in page and "<td>3</td><td>type</td>" in page
    assert count(session, Resource) == 0


def _contract_form(resource_id, **kw):
    data = {"code": "HT-1", "title": "村东耕地承包", "kind": "contracting", "party_type": "person",
            "party_name": "张三", "party_id_no": PERSON, "award_method": "negotiation",
            "signed_on": (date.today() - timedelta(days=400)).isoformat(),
            "starts_on": (date.today() - timedelta(days=400)).isoformat(),
            "ends_on": (date.today() + timedelta(days=60)).isoformat(), "total_price": "20000.00",
            "deposit": "1000.00", "frequency": "yearly", "subject_ref": f"resource:{resource_id}", **DECISION}
    data.update(kw)
    return data


def test_contract_flow_through_the_pages(as_user, world, session):
    client = as_user("accountant")
    _resource(client, world)
    rid = session.scalar(select(Resource.id))
    vid = world.a1.id
    before = (count(session, Contract), count(session, AuditEvent))
    resp = client.post(f"/v/{vid}/contracts/new", data=_contract_form(rid, party_id_no=PERSON[:-1] + "5"))
    assert resp.status_code == 422 and "校验位错误" in resp.get_data(as_text=True)
    assert (count(session, Contract), count(session, AuditEvent)) == before
    resp = client.post(f"/v/{vid}/contracts/new", data=_contract_form(rid))
    assert resp.status_code == 302, resp.get_data(as_text=True).split('role="alert">')[1][:200]
    cid = session.scalar(select(Contract.id))
    assert client.post(f"/v/{vid}/contracts/{cid}/activate").status_code == 302
    assert session.get(Resource, rid).status == "let" and session.get(Contract, cid).status == "active"
    show = client.get(f"/v/{vid}/contracts/{cid}").get_data(as_text=True)
    assert "逾期" in show and "贰万元整" in show
    rec = client.get(f"/v/{vid}/contracts/receivables").get_data(as_text=True)
    assert "HT-1" in rec and "天" in rec
    assert "HT-1" in client.get(f"/v/{vid}/contracts/expiring").get_data(as_text=True)
    assert "HT-1" in client.get(f"/t/{world.township_a.id}/contracts/expiring").get_data(as_text=True)
    assert "HT-1" in client.get(f"/t/{world.township_a.id}/contracts/overdue").get_data(as_text=True)
    assert client.post(f"/v/{vid}/contracts/accrue", data={"on": date.today().isoformat()}).status_code == 302
    first = session.scalar(select(Installment).where(Installment.contract_id == cid, Installment.seq == 1))
    assert first.status == "due"
    resp = client.post(f"/v/{vid}/contracts/{cid}/receipt", data={"inst": first.id, "on": date.today().isoformat(),
                                                                 "amount": "99999", "method": "bank"})
    assert resp.status_code == 422 and count(session, Receipt) == 0
    for typed, why in (("", "请填写日期"), ("2026-02-30", "2026年2月没有30日")):  # said as it is, not "format"
        resp = client.post(f"/v/{vid}/contracts/{cid}/receipt", data={"inst": first.id, "on": typed,
                                                                     "amount": "4000", "method": "bank"})
        assert resp.status_code == 422 and why in resp.get_data(as_text=True)
    resp = client.post(f"/v/{vid}/contracts/{cid}/receipt", data={"inst": first.id, "on": date.today().isoformat(),
                                                                 "amount": "4000", "method": "bank"})
    assert resp.status_code == 302
    assert session.get(Installment, first.id).status == "partial"
    pdf = client.get(f"/v/{vid}/contracts/{cid}/summary.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"


def test_village_users_read_but_cannot_change(as_user, world, session, client):
    from tests.conftest import login
    acct = as_user("accountant")
    _resource(acct, world)
    rid = session.scalar(select(Resource.id))
    login(client, "vacct")
    assert client.get(f"/v/{world.a1.id}/resources/{rid}").status_code == 200
    assert client.post(f"/v/{world.a1.id}/contracts/new", data=_contract_form(rid)).status_code == 403
    assert client.get(f"/v/{world.a1.id}/contracts").status_code == 200


# ---------------------------------------------------------------- the contract pages offer what the rules allow

def _offered(page: str, cid: int) -> set[str]:
    """The contract actions a contract page links or posts to."""
    found = {a for a in ("edit", "activate", "delete", "renew", "end", "terminate", "schedule")
             if f"/contracts/{cid}/{a}\"" in page}
    return found | {k for k in ("deposit", "refund") if f"/contracts/{cid}/deposit?kind={k}\"" in page}


def test_a_draft_offers_its_moves_and_keeps_a_deposit_until_refunded(as_user, client, world, session):
    acct = as_user("accountant")
    _resource(acct, world)
    vid, rid = world.a1.id, session.scalar(select(Resource.id))
    assert acct.post(f"/v/{vid}/contracts/new", data=_contract_form(rid)).status_code == 302
    cid = session.scalar(select(Contract.id))
    show = f"/v/{vid}/contracts/{cid}"
    assert _offered(acct.get(show).get_data(as_text=True), cid) == {"edit", "activate", "delete", "schedule",
                                                                     "deposit"}
    acct.post(f"{show}/deposit", data={"kind": "deposit", "on": date.today().isoformat(), "amount": "1000.00",
                                       "method": "bank"})
    assert _offered(acct.get(show).get_data(as_text=True), cid) == {"edit", "activate", "schedule", "refund"}
    page = acct.post(f"{show}/delete", follow_redirects=True).get_data(as_text=True)
    assert "已收履约保证金的合同不能删除，请先退还保证金" in page and count(session, Contract) == 1
    client.post("/logout")
    assert _offered(as_user("board").get(show).get_data(as_text=True), cid) == set()


def test_a_contract_is_renewed_once_on_every_page(as_user, world, session):
    client = as_user("accountant")
    _resource(client, world)
    vid, rid = world.a1.id, session.scalar(select(Resource.id))
    client.post(f"/v/{vid}/contracts/new", data=_contract_form(rid))
    cid = session.scalar(select(Contract.id))
    client.post(f"/v/{vid}/contracts/{cid}/activate")
    offered = {"renew", "terminate", "deposit"}  # the deposit of 1,000 is still to be taken
    assert _offered(client.get(f"/v/{vid}/contracts/{cid}").get_data(as_text=True), cid) == offered
    assert f"/contracts/{cid}/renew\"" in client.get(f"/v/{vid}/contracts/expiring").get_data(as_text=True)
    renewal = _contract_form(rid, code="HT-2", starts_on=(date.today() + timedelta(days=61)).isoformat(),
                             ends_on=(date.today() + timedelta(days=800)).isoformat())
    assert client.post(f"/v/{vid}/contracts/{cid}/renew", data=renewal).status_code == 302
    assert _offered(client.get(f"/v/{vid}/contracts/{cid}").get_data(as_text=True), cid) == offered - {"renew"}
    for lst in (f"/v/{vid}/contracts/expiring", f"/t/{world.township_a.id}/contracts/expiring"):
        page = client.get(lst).get_data(as_text=True)
        assert "HT-1" in page and f"/contracts/{cid}/renew\"" not in page
    resp = client.post(f"/v/{vid}/contracts/{cid}/renew", data={**renewal, "code": "HT-3"})
    page = resp.get_data(as_text=True)  # a second tab's renewal: refused, what it typed shown back
    assert resp.status_code == 409 and "该合同已有续签合同，不能重复续签" in page and count(session, Contract) == 2
    assert 'value="HT-3"' in page
    assert "保存为草稿</button>" not in page and f'href="/v/{vid}/contracts/{cid}">查看合同 HT-1<' in page


def test_the_receivables_reconciliation_page(as_user, world):
    page = as_user("board").get(f"/v/{world.a1.id}/contracts/receivables/reconcile?period=2024-05")
    assert page.status_code == 200 and "应收款对账" in page.get_data(as_text=True)
    bad = as_user("board").get(f"/v/{world.a1.id}/contracts/receivables/reconcile?period=2024-13")
    assert bad.status_code == 200 and "不是年月" in bad.get_data(as_text=True)
