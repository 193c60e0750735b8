"""Conditional materials (视情形提交) through the pages: the catalogue form sets them, the guides show them, intake
and the case page mark them received / 不适用 / missing, the receipt prints what was not needed; another township's
case is 404."""
from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from tests.web.conftest import count
from threeassets.windows.models import Case, CaseEvent, CaseMaterial, Material, ServiceItem

DISABILITY = "残疾证、病历等证明"  # 低保's sixth material: 有残疾或重病成员时提供


def _item(session, world, code="dibao", township=None) -> ServiceItem:
    session.rollback()
    item = session.scalar(select(ServiceItem).where(ServiceItem.township_id == (township or world.township_a).id,
                                                    ServiceItem.code == code))
    session.expunge_all()
    return item


def _dibao(item, then="accept", disability="na", **kw) -> dict:
    """The 低保 intake form: the five always-required papers received with originals seen, the sixth as given."""
    data = {"item_id": str(item.id), "applicant_name": "韩桂芝", "applicant_phone": "13955116789",
            "applicant_id_no": "", "village_id": "", "subject": "申请最低生活保障", "then": then,
            "recv-6": disability}
    for s in range(1, 6):
        data[f"recv-{s}"] = data[f"orig-{s}"] = "y"
    return data | kw


def _materials(session, item_id) -> list[tuple[str, str, str]]:
    """(name, requirement, note) of an item's materials as stored."""
    session.rollback()
    return [tuple(r) for r in session.execute(select(Material.name, Material.requirement, Material.note)
                                              .where(Material.item_id == item_id).order_by(Material.seq))]


def pdf_text(resp) -> str:
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages).split())


def _rows(session, case_id) -> dict:
    """A case's checklist as stored: name → (id, received, not_applicable) rows."""
    session.rollback()
    return {r.name: r for r in session.execute(select(CaseMaterial.name, CaseMaterial.id, CaseMaterial.received,
                                                      CaseMaterial.not_applicable)
                                               .where(CaseMaterial.case_id == case_id))}


def test_intake_offers_received_not_applicable_or_missing_for_a_conditional_material(as_user, world, session):
    item = _item(session, world)
    page = as_user("clerk").get(f"/t/{world.township_a.id}/hall/intake?item={item.id}").get_data(as_text=True)
    assert "视情形" in page and "有残疾或重病成员时提供" in page
    for value, label in (("y", "已收到"), ("na", "不适用"), ("", "未收到")):
        assert f'type="radio" name="recv-6" value="{value}" aria-label="{label} {DISABILITY}"' in page
    assert 'type="checkbox" name="recv-2" aria-label="已收到 户口簿"' in page  # 必交: received or not
    assert 'name="recv-2" value="na"' not in page


def test_a_case_with_a_material_not_applicable_is_accepted_and_its_receipt_says_so(as_user, world, session):
    c = as_user("clerk")
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_dibao(_item(session, world)))
    assert resp.status_code == 302
    case = session.scalar(select(Case))
    assert case.state == "accepted"
    case_id = case.id
    rows = _rows(session, case_id)
    assert rows[DISABILITY].not_applicable and not rows[DISABILITY].received
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "材料齐全" in page and '<span class="windows-na-tag">不适用</span>' not in page  # the clerk decided it
    assert f'name="recv-{rows[DISABILITY].id}" value="na"' in page  # shown as marked (read-only once accepted)
    assert f"不适用：{DISABILITY}" in page  # on the timeline
    body = pdf_text(c.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/receipt.pdf"))
    received, excused = body.split("本件不需提交的材料", 1)
    assert DISABILITY not in received.split("已收材料", 1)[1]
    assert DISABILITY in excused and "有残疾或重病成员时提供；本件不属于此情形" in excused


def test_an_always_required_material_marked_not_applicable_is_refused(as_user, world, session):
    c = as_user("clerk")
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_dibao(_item(session, world), **{"recv-2": "na"}))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "“户口簿”为必交材料，不能标为不适用" in page and 'value="韩桂芝"' in page
    assert f'name="recv-6" value="na" aria-label="不适用 {DISABILITY}" checked' in page  # the marks are kept
    assert count(session, Case) == 0


def test_a_conditional_material_left_missing_blocks_acceptance(as_user, world, session):
    c = as_user("clerk")
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_dibao(_item(session, world), disability=""))
    assert resp.status_code == 422
    assert f"材料不齐全，不能受理，请出具一次性告知书：{DISABILITY}" in resp.get_data(as_text=True)
    assert count(session, Case) == 0


def test_the_case_page_marks_a_material_not_applicable_and_the_notice_leaves_it_out(as_user, world, session):
    c = as_user("clerk")
    resp = c.post(f"/t/{world.township_a.id}/hall/intake",
                  data=_dibao(_item(session, world), "register", disability="", **{"recv-2": ""}))
    case_id = session.scalar(select(Case.id))
    rows = _rows(session, case_id)
    page = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert "尚缺 2 项" in page and "受理并出具回执" in page and "disabled" in page.split("受理并出具回执")[0][-80:]
    marks = {f"recv-{m.id}": "y" for m in rows.values()} | {f"orig-{m.id}": "y" for m in rows.values()}
    base = f"/t/{world.township_a.id}/hall/cases/{case_id}"
    resp = c.post(f"{base}/materials", data=marks | {f"recv-{rows['户口簿'].id}": "",
                                                     f"recv-{rows[DISABILITY].id}": "na"}, follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "材料登记已保存" in page and "尚缺 1 项" in page
    assert _rows(session, case_id)[DISABILITY].not_applicable
    notice = page.split("一次性告知补正</summary>", 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="missing" value="户口簿">' in notice and DISABILITY not in notice
    resp = c.post(f"{base}/notify", data={"missing": ["户口簿", DISABILITY]}, follow_redirects=True)
    assert f"本件不适用的材料不能列入一次性告知书：{DISABILITY}" in resp.get_data(as_text=True)
    resp = c.post(f"{base}/notify", data={"missing": ["户口簿"]}, follow_redirects=True)
    assert "已出具一次性告知书" in resp.get_data(as_text=True)
    body = pdf_text(c.get(f"{base}/notice.pdf")).split("需补正的材料", 1)[1]
    assert "户口簿" in body and "残疾证" not in body
    session.rollback()
    events = session.scalars(select(CaseEvent.note).where(CaseEvent.case_id == case_id, CaseEvent.action ==
                                                          "materials")).all()
    assert events == [f"尚缺：户口簿；不适用：{DISABILITY}"]


def test_another_townships_case_is_404_and_untouched(as_user, world, session):
    c = as_user("clerk")
    resp = c.post(f"/t/{world.township_a.id}/hall/intake", data=_dibao(_item(session, world), "register"))
    case_id = session.scalar(select(Case.id))
    rows = _rows(session, case_id)
    head_b = as_user("head_b")
    for township in (world.township_b.id,):
        resp = head_b.post(f"/t/{township}/hall/cases/{case_id}/materials",
                           data={f"recv-{rows[DISABILITY].id}": "y"})
        assert resp.status_code == 404
        assert head_b.get(f"/t/{township}/hall/cases/{case_id}").status_code == 404
    assert head_b.post(f"/t/{world.township_a.id}/hall/cases/{case_id}/materials",
                       data={f"recv-{rows[DISABILITY].id}": "y"}).status_code == 404  # not his township
    assert _rows(session, case_id)[DISABILITY].not_applicable


def test_the_head_sets_a_materials_requirement_on_the_catalogue_form(as_user, world, session):
    item = _item(session, world, "relief")
    c = as_user("head")
    url = f"/t/{world.township_a.id}/hall/catalogue/items/{item.id}/edit"
    page = c.get(url).get_data(as_text=True)
    assert 'name="m_requirement"' in page and '<option value="conditional">视情形提交</option>' in page
    data = {"code": "relief", "name": "临时救助申请", "window_id": str(item.window_id), "days_limit": "10",
            "fee": "0", "legal_basis": "《社会救助暂行办法》", "steps": "受理", "active": "y",
            "m_name": ["临时救助申请书", "<b>残疾证</b>", ""], "m_copies": ["1", "1", "1"],
            "m_original": ["1", "0", "0"], "m_note": ["", "", ""],
            "m_requirement": ["always", "conditional", "always"]}
    resp = c.post(url, data=data)
    assert resp.status_code == 422
    assert "材料“&lt;b&gt;残疾证&lt;/b&gt;”视情形提交，请在说明中写明何种情形需提交" in resp.get_data(as_text=True)
    assert _materials(session, item.id)[0][0] == "临时救助申请书"
    data["m_note"] = ["", "有残疾成员时<提供>", ""]
    resp = c.post(url, data=data)
    assert resp.status_code == 302
    assert _materials(session, item.id) == [
        ("临时救助申请书", "always", ""), ("<b>残疾证</b>", "conditional", "有残疾成员时<提供>")]
    guide = c.get(resp.headers["Location"]).get_data(as_text=True)
    assert '&lt;b&gt;残疾证&lt;/b&gt; <span class="badge windows-cond">视情形</span>' in guide
    assert "视情形提交：有残疾成员时&lt;提供&gt;" in guide and "<b>残疾证" not in guide
    listing = c.get(f"/t/{world.township_a.id}/hall/catalogue").get_data(as_text=True)
    assert 'title="视情形提交：有残疾成员时&lt;提供&gt;">视情形</span>' in listing
    edit = c.get(url).get_data(as_text=True)
    assert '<option value="conditional" selected>视情形提交</option>' in edit
    kiosk = c.get(f"/public/t/{world.township_a.code}/services/{item.id}").get_data(as_text=True)
    assert '&lt;b&gt;残疾证&lt;/b&gt; <span class="kiosk-cond">视情形</span>' in kiosk
    assert "有残疾成员时&lt;提供&gt;（不属于这种情形的不用带）" in kiosk and "只有符合所写情形时才需要带" in kiosk


def test_a_form_from_an_older_page_without_the_requirement_keeps_every_row(as_user, world, session):
    item = _item(session, world, "relief")
    c = as_user("head")
    data = {"code": "relief", "name": "临时救助申请", "window_id": str(item.window_id), "days_limit": "10",
            "fee": "0", "legal_basis": "", "steps": "", "active": "y", "m_name": ["申请书", "身份证"],
            "m_copies": ["1", "1"], "m_original": ["1", "1"], "m_note": ["", ""]}
    assert c.post(f"/t/{world.township_a.id}/hall/catalogue/items/{item.id}/edit", data=data).status_code == 302
    assert _materials(session, item.id) == [("申请书", "always", ""), ("身份证", "always", "")]


def test_a_cash_claims_case_shows_the_bank_details_not_needed_and_can_be_accepted(as_user, world, session):
    from tests.web.access_claims import make_claim
    from threeassets.claims.models import Claim
    from threeassets.core.db import transaction
    claim_id, _ = make_claim(session, world, world.a1)
    with transaction(session):
        claim = session.get(Claim, claim_id)
        claim.pay_method, claim.payee_account = "cash", ""
    c = as_user("vacct")
    assert c.post(f"/v/{world.a1.id}/claims/{claim_id}/submit").status_code == 302
    c = as_user("clerk")
    resp = c.post(f"/v/{world.a1.id}/claims/{claim_id}/receive", data={"back": "inbox"})
    assert resp.status_code == 302
    case_id = session.scalar(select(Case.id).where(Case.claim_id == claim_id))
    rows = _rows(session, case_id)
    bank = rows["收款方银行账户信息"]
    assert bank.not_applicable
    base = f"/t/{world.township_a.id}/hall/cases/{case_id}"
    page = c.get(base).get_data(as_text=True)
    assert '<span class="windows-na-tag">不适用</span><div class="small text-muted">报账单为现金支付</div>' in page
    assert f'name="recv-{bank.id}"' not in page  # the claim decided: nothing for the clerk to tick
    marks = {f"recv-{r.id}": "y" for name, r in rows.items() if name != "收款方银行账户信息"}
    marks |= {f"orig-{r.id}": "y" for r in rows.values()}
    assert c.post(f"{base}/materials", data=marks).status_code == 302
    resp = c.post(f"{base}/accept", follow_redirects=True)
    assert "已受理" in resp.get_data(as_text=True)
    session.rollback()
    assert session.get(Claim, claim_id).status == "accepted"
    assert _rows(session, case_id)["收款方银行账户信息"].not_applicable
    body = pdf_text(c.get(f"{base}/receipt.pdf")).split("本件不需提交的材料", 1)[1]
    assert "收款方银行账户信息" in body and "转账支付时提供；报账单为现金支付" in body


def test_a_required_material_marked_not_applicable_is_named_with_the_applicants_problems(as_user, world, session):
    resp = as_user("clerk").post(f"/t/{world.township_a.id}/hall/intake",
                                 data=_dibao(_item(session, world), **{"recv-2": "na"}, applicant_phone="１２"))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and count(session, Case) == 0
    assert "联系电话“12”不是11位手机号" in page  # full-width digits read half-width, in the same answer as
    assert "“户口簿”为必交材料，不能标为不适用" in page.split('id="materials-why"', 1)[1]  # the checklist's, under it
    assert 'name="recv-6" value="na" aria-label="不适用 残疾证、病历等证明" checked' in page  # marks kept as given
