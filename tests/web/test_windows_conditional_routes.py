"""Conditional materials (视情形提交) through the pages: the catalogue form sets them, the guides show them."""
from __future__ import annotations

from sqlalchemy import select

from threeassets.windows.models import Material, ServiceItem


def _item(session, world, code="dibao", township=None) -> ServiceItem:
    session.rollback()
    item = session.scalar(select(ServiceItem).where(ServiceItem.township_id == (township or world.township_a).id,
                                                    ServiceItem.code == code))
    session.expunge_all()
    return item


def _materials(session, item_id) -> list[tuple[str, str, str]]:
    """(name, requirement, note) of an item's materials as stored."""
    session.rollback()
    return [tuple(r) for r in session.execute(select(Material.name, Material.requirement, Material.note)
                                              .where(Material.item_id == item_id).order_by(Material.seq))]


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
