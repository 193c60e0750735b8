"""Asset register pages: validation errors on the forms, import, export, depreciation twice, disposal refusals."""
from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.web.access_assets import FULL_DECISION, _asset, _pending
from tests.web.conftest import PNG, import_job
from threeassets.assets import importer
from threeassets.assets.models import Asset, AssetChange
from threeassets.attachments.models import Attachment
from threeassets.core.csvio import read_table
from threeassets.decisions.models import DecisionRecord
from threeassets.ledger.models import Voucher

TODAY = date.today()
GOOD = {"funding": "existing", "code": "F001", "name": "水泵", "category": "机器设备", "purpose": "operating",
        "acquired_on": "2021-04-01", "original_cost": "8,000.00", "useful_life_months": "96", "salvage_rate": "5",
        "depreciate": "是", "accumulated_depreciation": "0"}


def n(session, model) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def ctx_serial():
    return {"serial": 0}


@pytest.mark.parametrize("field, value, message", [
    ("original_cost", "-100", "不能为负数"),
    ("salvage_rate", "120", "残值率应在 0 至 100"),
    ("useful_life_months", "0", "使用年限应为 1 至 1200"),
    ("acquired_on", (TODAY + timedelta(days=1)).isoformat(), "购置日期不能晚于今天"),
    ("name", "", "请填写资产名称"),
])
def test_bad_card_is_refused_with_field_errors(as_user, world, session, field, value, message):
    client = as_user("accountant")
    resp = client.post(f"/v/{world.a1.id}/assets/new", data={**GOOD, field: value})
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert "is-invalid" in resp.get_data(as_text=True)
    assert n(session, Asset) == 0 and n(session, Voucher) == 0


def test_card_added_and_listed_with_totals(as_user, world, session):
    client = as_user("accountant")
    resp = client.post(f"/v/{world.a1.id}/assets/new", data=GOOD)
    assert resp.status_code == 302
    client.post(f"/v/{world.a1.id}/assets/new", data={**GOOD, "code": "F002", "name": "活动室", "purpose": "welfare",
                                                      "original_cost": "2000"}, follow_redirects=True)
    page = client.get(f"/v/{world.a1.id}/assets?purpose=welfare").get_data(as_text=True)
    assert "活动室" in page and "水泵" not in page and "合计（1 项" in page
    page = client.get(f"/v/{world.a1.id}/assets").get_data(as_text=True)
    assert "10,000.00" in page


def test_purchase_posts_its_voucher(as_user, world, session):
    client = as_user("accountant")
    client.post(f"/v/{world.a1.id}/assets/new", data={**GOOD, "funding": "cash", "acquired_on": TODAY.isoformat()})
    assert n(session, Voucher) == 1
    assert session.scalar(select(Voucher)).kind == "asset_purchase"


def test_export_xlsx(as_user, world, session, ctx_serial):
    _asset(session, world, world.a1, ctx_serial)
    resp = as_user("accountant").get(f"/v/{world.a1.id}/assets?format=xlsx")
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    from openpyxl import load_workbook
    ws = load_workbook(io.BytesIO(resp.data)).active
    assert ws.cell(4, 2).value == "拖拉机" and ws.cell(4, 9).value == 12000


def test_the_csv_export_goes_back_in_through_the_import(as_user, world, session, ctx_serial):
    from threeassets.assets.importer import import_assets
    from threeassets.core.db import transaction
    aid = _asset(session, world, world.a1, ctx_serial)
    with transaction(session):
        card = session.get(Asset, aid)
        card.location, card.custodian, card.note = "村委会仓库", "王𠀀", "一事一议项目"
    resp = as_user("accountant").get(f"/v/{world.a1.id}/assets?format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv" and resp.data.startswith(b"\xef\xbb\xbf")
    text = resp.data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(importer.COLUMNS + importer.OPTIONAL)
    moved = text.replace("\nA1,", "\nA2,")  # the same cards for the village next door
    with transaction(session):
        import_assets(session, read_table(moved.encode("utf-8-sig"), "cards.csv", []), actor=world.user("accountant"))
    copy = session.scalar(select(Asset).where(Asset.village_id == world.a2.id))
    fields = ("code", "name", "category", "acquired_on", "original_cost", "useful_life_months", "salvage_rate",
              "depreciate", "accumulated_depreciation", "purpose", "location", "custodian", "status", "note")
    assert [getattr(copy, f) for f in fields] == [getattr(session.get(Asset, aid), f) for f in fields]


def test_import_template_round_trips(as_user, world, session):
    client = as_user("accountant")
    data = client.get(f"/v/{world.a1.id}/assets/import/template.xlsx").data
    table = read_table(data, "t.xlsx", [])
    assert table.rows[0][1]["org_code"] == "A1"
    resp = client.post(f"/v/{world.a1.id}/assets/import", data={"file": (io.BytesIO(data), "t.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    assert n(session, Asset) == 2 and n(session, Voucher) == 0


def test_import_errors_name_line_and_column_and_write_nothing(as_user, world, session):
    body = ("org_code,asset_code,name,category,acquired_on,original_cost,useful_life_months,salvage_rate,depreciate,"
            "accumulated_depreciation\nA1,X1,仓库,房屋,2018-05-01,5000,240,5,是,0\n"
            "A1,X2,仓库,房屋,2018-05-01,-5,0,101,是,0\nA2,X3,仓库,房屋,2018-05-01,5000,240,5,是,0\n")
    client = as_user("accountant")
    resp = client.post(f"/v/{world.a1.id}/assets/import", data={"file": (io.BytesIO(body.encode("gbk")), "a.csv")},
                       content_type="multipart/form-data")
    state, page = import_job(client, resp)
    assert state["status"] == "failed" and "导入失败，未写入任何数据" in page
    for text in ("original_cost", "useful_life_months", "salvage_rate", "只能导入本村"):
        assert text in page
    assert n(session, Asset) == 0


def test_depreciation_twice_is_refused_with_a_message(as_user, world, session, ctx_serial):
    _asset(session, world, world.a1, ctx_serial)
    client = as_user("accountant")
    period = TODAY.strftime("%Y-%m")
    assert "本月折旧合计" in client.get(f"/v/{world.a1.id}/assets/depreciation").get_data(as_text=True)
    client.post(f"/v/{world.a1.id}/assets/depreciation", data={"period": period})
    assert n(session, Voucher) == 1
    resp = client.post(f"/v/{world.a1.id}/assets/depreciation", data={"period": period}, follow_redirects=True)
    assert "每期只能计提一次" in resp.get_data(as_text=True)
    assert n(session, Voucher) == 1


def test_disposal_without_decision_record_lists_missing_steps(as_user, world, session, ctx_serial):
    aid = _asset(session, world, world.a1, ctx_serial)
    resp = as_user("accountant").post(f"/v/{world.a1.id}/assets/{aid}/dispose",
                                      data={"method": "sale", "on": TODAY.isoformat(), "proceeds": "3000",
                                            "receipt": "bank", "subject": "出售"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "缺少“四议两公开”步骤" in page and "村民（代表）会议决议" in page
    assert n(session, DecisionRecord) == 0 and n(session, Voucher) == 0 and n(session, AssetChange) == 0
    assert session.get(Asset, aid).status == "in_use"


def test_disposal_with_record_posts(as_user, world, session, ctx_serial):
    aid = _asset(session, world, world.a1, ctx_serial)
    assert "其中在册" not in as_user("accountant").get(f"/v/{world.a1.id}/assets").get_data(as_text=True)
    resp = as_user("accountant").post(f"/v/{world.a1.id}/assets/{aid}/dispose",
                                      data={"method": "sale", "on": TODAY.isoformat(), "proceeds": "3000",
                                            "receipt": "bank", **FULL_DECISION})
    assert resp.status_code == 302
    assert session.get(Asset, aid).status == "disposed"
    assert n(session, Voucher) == 3  # to clearing, proceeds, the loss (net 11,000 sold for 3,000)
    listed = as_user("accountant").get(f"/v/{world.a1.id}/assets").get_data(as_text=True)
    assert "合计（1 项" in listed and "其中在册（不含已处置，0 项" in listed  # the disposed card apart


def test_bad_disposal_fields(as_user, world, session, ctx_serial):
    aid = _asset(session, world, world.a1, ctx_serial)
    resp = as_user("accountant").post(f"/v/{world.a1.id}/assets/{aid}/dispose",
                                      data={"method": "auction", "on": "2030-01-01", "proceeds": "-1", **FULL_DECISION})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "处置日期不能晚于今天" in page and "不能为负数" in page
    assert n(session, DecisionRecord) == 0
    buyer = "某某农业开发有限公司" * 30
    resp = as_user("accountant").post(f"/v/{world.a1.id}/assets/{aid}/dispose",
                                      data={"method": "sale", "on": TODAY.isoformat(), "proceeds": "3000",
                                            "receipt": "bank", **FULL_DECISION, "counterparty": buyer})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "受让方最多100字（现 300 字）" in page and buyer in page  # never cut silently
    assert n(session, Voucher) == 0 and session.get(Asset, aid).status == "in_use"


def test_a_disposal_names_its_fields_its_decision_record_and_a_closed_month_in_one_answer(
        as_user, world, session, ctx_serial):
    from threeassets.closing.service import close_period
    from threeassets.core.db import transaction
    with transaction(session):  # a month without books, asked for by name (before the card: no depreciation due)
        close_period(session, world.a1, 202405, world.user("head"))
    aid = _asset(session, world, world.a1, ctx_serial)
    resp = as_user("accountant").post(f"/v/{world.a1.id}/assets/{aid}/dispose",
                                      data={"method": "sale", "on": "2024-05-20", "proceeds": "3000",
                                            "receipt": "bank", "subject": "出售", "counterparty": "某" * 101})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "受让方最多100字（现 101 字）" in page and "缺少“四议两公开”步骤" in page
    assert "会计期间 2024-05 已结账，不能录入或记账" in page
    assert n(session, DecisionRecord) == 0 and n(session, Voucher) == 0 and n(session, AssetChange) == 0
    resp = as_user("accountant").post(f"/v/{world.a1.id}/assets/{aid}/dispose",
                                      data={"method": "write_off", "on": "2024-04-20", "proceeds": "0",
                                            "receipt": "bank", **FULL_DECISION})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "会计期间 2024-04 早于已结账的 2024-05" in page
    assert "处置未办理：会计期间 2024-04 早于已结账的 2024-05" in page  # the month alone: said in the banner too
    assert n(session, Voucher) == 0 and session.get(Asset, aid).status == "in_use"


def test_transfer_and_revalue_forms(as_user, world, session, ctx_serial):
    aid = _asset(session, world, world.a1, ctx_serial)
    client = as_user("accountant")
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/transfer", data={"on": TODAY.isoformat(), "status": "in_use",
                                                                       "purpose": "operating", "location": "",
                                                                       "custodian": ""})
    assert resp.status_code == 422 and "没有任何变动" in resp.get_data(as_text=True)
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/revalue", data={"on": TODAY.isoformat(), "appraised": "abc"})
    assert resp.status_code == 422 and "不是有效金额" in resp.get_data(as_text=True)
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/revalue", data={"on": TODAY.isoformat(),
                                                                      "appraised": "13000.00"})
    assert resp.status_code == 302 and n(session, Voucher) == 1
    assert session.get(Asset, aid).original_cost == Decimal("14000.00")  # net 13000 + accumulated 1000


def test_over_long_text_on_the_card_pages_is_named_never_cut(as_user, world, session, ctx_serial):
    aid = _asset(session, world, world.a1, ctx_serial)
    client = as_user("accountant")
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/transfer", data={
        "on": TODAY.isoformat(), "status": "in_use", "purpose": "operating", "location": "库" * 201,
        "custodian": "𠀀" * 51})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "存放地点最多200字（现 201 字）" in page and "保管人最多50字（现 51 字）" in page
    assert session.get(Asset, aid).location == "" and n(session, AssetChange) == 0
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/attachments", follow_redirects=True,
                       data={"files": (io.BytesIO(PNG), "photo.png"), "note": "说" * 201},
                       content_type="multipart/form-data")
    assert "附件未上传：附件说明最多200字（现 201 字）" in resp.get_data(as_text=True) and n(session, Attachment) == 0
    cid = _pending(session, world, world.a1, ctx_serial)
    resp = as_user("head").post(f"/v/{world.a1.id}/assets/changes/{cid}/reject", data={"note": "退" * 201},
                                follow_redirects=True)
    assert "未退回：退回说明最多200字（现 201 字）" in resp.get_data(as_text=True)
    assert session.get(AssetChange, cid).status == "pending"


def test_attachments_accept_images_and_refuse_text(as_user, world, session, ctx_serial):
    aid = _asset(session, world, world.a1, ctx_serial)
    client = as_user("accountant")
    client.post(f"/v/{world.a1.id}/assets/{aid}/attachments", data={"files": (io.BytesIO(PNG), "photo.png")},
                content_type="multipart/form-data")
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/attachments", follow_redirects=True,
                       data={"files": (io.BytesIO(b"hello"), "x.txt")}, content_type="multipart/form-data")
    assert "附件未上传" in resp.get_data(as_text=True)
    assert n(session, Attachment) == 1
    page = client.get(f"/v/{world.a1.id}/assets/{aid}").get_data(as_text=True)
    assert "photo.png" in page


def test_card_of_another_village_is_404(as_user, world, session, ctx_serial):
    aid = _asset(session, world, world.a2, ctx_serial)
    client = as_user("head")
    for path in ("", "/edit", "/transfer", "/revalue", "/dispose"):
        assert client.get(f"/v/{world.a1.id}/assets/{aid}{path}").status_code == 404
    assert client.post(f"/v/{world.a1.id}/assets/{aid}/dispose", data=FULL_DECISION).status_code == 404
    assert session.get(Asset, aid).status == "in_use"


# ---------------------------------------------------------------- the pages offer what the rules allow

CARD_BUTTONS = ("/edit\"", "/transfer\"", "/revalue\"", "/dispose\"")


def _card_page(client, world, aid) -> str:
    return client.get(f"/v/{world.a1.id}/assets/{aid}").get_data(as_text=True)


def test_a_live_card_offers_its_changes_to_the_keepers_only(as_user, client, world, session, ctx_serial):
    aid = _asset(session, world, world.a1, ctx_serial)
    page = _card_page(as_user("accountant"), world, aid)
    assert all(f"/assets/{aid}{b}" in page for b in CARD_BUTTONS)
    assert f"/assets/{aid}/edit\"" in client.get(f"/v/{world.a1.id}/assets").get_data(as_text=True)
    client.post("/logout")
    page = _card_page(as_user("board"), world, aid)
    assert not any(f"/assets/{aid}{b}" in page for b in CARD_BUTTONS)


def test_a_disposed_card_offers_nothing_and_refuses_an_edit(as_user, world, session, ctx_serial):
    from tests.web.access_assets import _edit
    aid = _asset(session, world, world.a1, ctx_serial)
    client = as_user("accountant")
    client.post(f"/v/{world.a1.id}/assets/{aid}/dispose", data={"method": "write_off", "on": TODAY.isoformat(),
                                                                "proceeds": "0", "receipt": "bank", **FULL_DECISION})
    assert session.get(Asset, aid).status == "disposed"
    page = _card_page(client, world, aid)
    assert not any(f"/assets/{aid}{b}" in page for b in CARD_BUTTONS)
    assert f"/assets/{aid}/edit\"" not in client.get(f"/v/{world.a1.id}/assets").get_data(as_text=True)
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/edit", data=_edit(ctx_serial))
    page = resp.get_data(as_text=True)  # a form opened before the disposal: what was typed, and the card
    assert resp.status_code == 409 and "资产已处置，不能修改" in page and 'value="改名水泵"' in page
    assert "保存</button>" not in page and f'href="/v/{world.a1.id}/assets/{aid}">查看资产卡片<' in page
    assert session.get(Asset, aid).name != "改名水泵"
    resp = client.post(f"/v/{world.a1.id}/assets/{aid}/edit", data={**_edit(ctx_serial), "name": ""})
    assert resp.status_code == 409 and "保存</button>" not in resp.get_data(as_text=True)  # the state, before a typo
    resp = client.get(f"/v/{world.a1.id}/assets/{aid}/edit")  # no form for a disposed card: back to it
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/assets/{aid}")
    assert "资产已处置，不能修改" in client.get(resp.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("action, button", [("transfer", "登记变动"), ("revalue", "调整并生成凭证"),
                                            ("dispose", "提交处置")])
def test_a_disposed_cards_other_forms_are_not_offered_and_a_late_one_keeps_what_was_typed(
        as_user, world, session, ctx_serial, action, button):
    from tests.web import access_assets
    aid = _asset(session, world, world.a1, ctx_serial)
    client = as_user("accountant")
    base = f"/v/{world.a1.id}/assets/{aid}"
    page = client.get(f"{base}/{action}").get_data(as_text=True)
    assert f"{button}</button>" in page  # a live card: the form and its button
    client.post(f"{base}/dispose", data={"method": "write_off", "on": TODAY.isoformat(), "proceeds": "0",
                                         "receipt": "bank", **FULL_DECISION})
    assert session.get(Asset, aid).status == "disposed"
    resp = client.get(f"{base}/{action}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(base)
    assert "资产已处置" in client.get(resp.headers["Location"]).get_data(as_text=True)
    typed = getattr(access_assets, f"_{action}")(ctx_serial) | {"note": "开会定的<b>备注</b>"}
    before = n(session, AssetChange)
    resp = client.post(f"{base}/{action}", data=typed)  # sent from a page opened before the disposal
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "资产已处置" in page and f"{button}</button>" not in page
    assert "尚未保存" in page and f'href="{base}">查看资产卡片<' in page
    assert "开会定的&lt;b&gt;备注&lt;/b&gt;" in page and n(session, AssetChange) == before


def test_a_pending_disposal_is_decided_by_the_head_and_not_entered_twice(as_user, client, world, session,
                                                                          ctx_serial):
    from tests.web.access_assets import _pending
    cid = _pending(session, world, world.a1, ctx_serial)
    aid = session.get(AssetChange, cid).asset_id
    page = _card_page(as_user("accountant"), world, aid)
    assert "待中心主任审批" in page and f"/assets/{aid}/dispose\"" not in page
    assert f"/changes/{cid}/approve" not in page and f"/changes/{cid}/reject" not in page
    assert f"/assets/{aid}/edit\"" in page and f"/assets/{aid}/transfer\"" in page
    client.post("/logout")
    page = _card_page(as_user("head"), world, aid)
    assert f"/changes/{cid}/approve" in page and f"/changes/{cid}/reject" in page
