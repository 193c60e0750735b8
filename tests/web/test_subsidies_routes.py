"""The subsidy pages through the web client: the whole staff flow (households, a list, its notice and PDF, the
bank's file and the differences), IDs masked for every reader but the two roles that may see one whole (and that
view audited), validation naming the field and the reason, CSRF, and no export or PDF carrying a whole ID."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import login
from tests.subsidy_helpers import households_csv, list_csv, past_notice, payments_csv, person_id
from tests.web.conftest import csrf_login, import_job
from threeassets.core.audit import AuditEvent
from threeassets.core.db import transaction

WHOLE_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
RARE = "𠮷"
IDS = [person_id(n) for n in (1, 2, 3)]


def _rows():
    return [["一组", "001", f"吉{RARE}祥", IDS[0], "4", "6.35", "3021"],
            ["一组", "002", "李秀英", IDS[1], "3", "4.80", "4410"],
            ["二组", "003", "王建国", IDS[2], "5", "10.00", ""]]


def _upload(data: bytes, name: str) -> dict:
    return {"file": (io.BytesIO(data), name)}


def _import_households(client, world):
    resp = client.post(f"/v/{world.a1.id}/households/import", data=_upload(households_csv(_rows()), "农户.csv"),
                       content_type="multipart/form-data")
    status, page = import_job(client, resp)
    assert status["status"] == "done", page
    return page


def _policy_id(session, world, code="SL01") -> int:
    from threeassets.subsidies.models import Policy
    return session.scalar(select(Policy.id).where(Policy.township_id == world.township_a.id, Policy.code == code))


def _new_batch(client, session, world) -> int:
    resp = client.post(f"/t/{world.township_a.id}/subsidies/new",
                       data={"policy_id": _policy_id(session, world), "year": date.today().year, "name": "第一批"})
    assert resp.status_code == 302
    return int(resp.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def flow(as_user, session, world):
    """Households imported, a list imported and put on notice, its period run out and ended, the bank's file with
    a difference imported: (client, batch id)."""
    client = as_user("accountant")
    _import_households(client, world)
    bid = _new_batch(client, session, world)
    tid = world.township_a.id
    resp = client.post(f"/t/{tid}/subsidies/{bid}/import/list", content_type="multipart/form-data",
                       data=_upload(list_csv([[IDS[0], "4", "600", "2400"], [IDS[1], "3", "600", ""],
                                              [IDS[2], "5", "600", ""]]), "名单.csv"))
    assert import_job(client, resp)[0]["status"] == "done"
    assert client.post(f"/t/{tid}/subsidies/{bid}/notice").status_code == 302
    from threeassets.subsidies.models import Batch
    with transaction(session):
        past_notice(session.get(Batch, bid))
    session.expunge_all()
    assert client.post(f"/t/{tid}/subsidies/{bid}/end").status_code == 302
    bank = payments_csv([[f"吉{RARE}祥", IDS[0][-4:], "", "2400.00", "2025-03-20", "成功", "B1"],
                         ["李秀英", "", "4410", "1700.00", "2025-03-20", "成功", "B2"],
                         ["赵六", person_id(9), "", "600", "2025-03-20", "成功", "B3"]])
    resp = client.post(f"/t/{tid}/subsidies/{bid}/import/payments", data=_upload(bank, "农商银行.csv"),
                       content_type="multipart/form-data")
    status, page = import_job(client, resp)
    assert status["status"] == "done", page
    assert "差异 3 处" in page
    return client, bid


def test_the_staff_flow_ends_on_the_list_of_differences(flow, world):
    client, bid = flow
    page = client.get(f"/t/{world.township_a.id}/subsidies/{bid}").get_data(as_text=True)
    assert "已发放" in page and "发放差异" in page
    for outcome in ("发放金额与公示不符", "不在公示名单", "未发放"):
        assert outcome in page
    assert f"吉{RARE}祥" in page
    assert not WHOLE_ID.search(page)


def test_the_notice_pdf_is_masked_and_says_total_phone_and_dates(as_user, session, world):
    from threeassets.orgs.settings import get_settings
    with transaction(session):
        s = get_settings(session, world.township_a.id)
        s.supervision_phone, s.notice_days = "0551-6688 1200", 10
        session.add(s)
    session.expunge_all()
    client = as_user("accountant")
    _import_households(client, world)
    bid = _new_batch(client, session, world)
    resp = client.post(f"/t/{world.township_a.id}/subsidies/{bid}/import/list", content_type="multipart/form-data",
                       data=_upload(list_csv([[IDS[0], "4", "600", ""], [IDS[1], "3", "600", ""]]), "名单.csv"))
    assert import_job(client, resp)[0]["status"] == "done"
    client.post(f"/t/{world.township_a.id}/subsidies/{bid}/notice")
    resp = client.get(f"/v/{world.a1.id}/subsidies/{bid}/notice.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages)
    flat = "".join(text.split())
    assert "肆仟贰佰元整" in flat and "0551-66881200" in flat and "（10天）" in flat
    start = date.today()
    assert f"{start.year}年{start.month}月{start.day}日" in flat
    assert IDS[0][:6] + "*" * 8 + IDS[0][-4:] in flat
    assert not WHOLE_ID.search(flat)


def listed(client, session, world) -> int:
    """Households imported and a draft list of one of them: its id."""
    _import_households(client, world)
    bid = _new_batch(client, session, world)
    resp = client.post(f"/t/{world.township_a.id}/subsidies/{bid}/import/list", content_type="multipart/form-data",
                       data=_upload(list_csv([[IDS[0], "4", "600", ""]]), "名单.csv"))
    assert import_job(client, resp)[0]["status"] == "done"
    return bid


def test_a_draft_list_is_not_printed_as_a_notice_nor_offered(as_user, session, world):
    client = as_user("accountant")
    bid, tid = listed(client, session, world), world.township_a.id
    pdf = f"/v/{world.a1.id}/subsidies/{bid}/notice.pdf"
    for page in (f"/t/{tid}/subsidies/{bid}", f"/v/{world.a1.id}/subsidies", f"/v/{world.a1.id}/subsidies/{bid}"):
        assert pdf not in client.get(page).get_data(as_text=True), page
    assert client.get(pdf).status_code == 404
    client.post(f"/t/{tid}/subsidies/{bid}/notice")
    assert pdf in client.get(f"/t/{tid}/subsidies/{bid}").get_data(as_text=True)
    assert client.get(pdf).status_code == 200


def test_the_village_reads_its_own_rows_masked(flow, client, world):
    _c, bid = flow
    login(client, "board")
    page = client.get(f"/v/{world.a1.id}/subsidies/{bid}").get_data(as_text=True)
    assert "李秀英" in page and IDS[1][:6] + "*" * 8 + IDS[1][-4:] in page and not WHOLE_ID.search(page)
    page = client.get(f"/v/{world.a1.id}/households").get_data(as_text=True)
    assert f"吉{RARE}祥" in page and not WHOLE_ID.search(page)
    assert client.get(f"/v/{world.a2.id}/subsidies/{bid}").status_code == 404


def test_only_the_head_and_accountant_see_a_whole_id_and_it_is_audited(flow, client, session, world):
    from threeassets.subsidies.models import Household
    hid = session.scalar(select(Household.id).where(Household.number == "002"))
    login(client, "vacct")
    page = client.get(f"/v/{world.a1.id}/households/{hid}").get_data(as_text=True)
    assert "查看完整号码" not in page and not WHOLE_ID.search(page)
    assert client.post(f"/v/{world.a1.id}/households/{hid}/reveal").status_code == 403
    login(client, "head")
    resp = client.post(f"/v/{world.a1.id}/households/{hid}/reveal", data={"reason": "核对银行卡"})
    page = resp.get_data(as_text=True)
    assert IDS[1] in page
    session.rollback()
    row = session.scalar(select(AuditEvent).where(AuditEvent.action == "subsidy.id_view"))
    assert row.actor_id == world.user("head").id and "核对银行卡" in row.detail


@pytest.mark.parametrize("form", [{}, {"reason": ""}, {"reason": " \u3000 "}])
def test_a_whole_id_is_not_shown_without_a_reason(flow, client, session, world, form):
    from threeassets.subsidies.models import Household
    hid = session.scalar(select(Household.id).where(Household.number == "002"))
    login(client, "head")
    resp = client.post(f"/v/{world.a1.id}/households/{hid}/reveal", data=form)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写查看事由" in page and 'is-invalid' in page
    assert IDS[1] not in page and not WHOLE_ID.search(page)
    session.rollback()
    assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "subsidy.id_view")) is None


def test_no_export_or_pdf_carries_a_whole_id(flow, world):
    client, bid = flow
    tid, vid = world.township_a.id, world.a1.id
    for url in (f"/v/{vid}/households?format=xlsx", f"/t/{tid}/subsidies/{bid}/differences.xlsx"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        cells = [str(c) for row in load_workbook(io.BytesIO(resp.data)).active.iter_rows(values_only=True)
                 for c in row if c is not None]
        assert cells and not [c for c in cells if WHOLE_ID.search(c)], url
        assert any("*" * 8 in c for c in cells), url
    pdf = client.get(f"/v/{vid}/subsidies/{bid}/notice.pdf").data
    assert not WHOLE_ID.search("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for url in (f"/v/{vid}/households", f"/v/{vid}/subsidies", f"/v/{vid}/subsidies/{bid}",
                f"/t/{tid}/subsidies", f"/t/{tid}/subsidies/{bid}", f"/t/{tid}/subsidies/totals"):
        page = client.get(url).get_data(as_text=True)
        assert not WHOLE_ID.search(page), url


def test_the_disclosure_notice_shows_the_payments_masked(flow, session, world):
    from threeassets.disclosure.content import build_notice
    from threeassets.disclosure.pdf import render_notice
    from threeassets.orgs.models import Village
    data = build_notice(session, session.get(Village, world.a1.id), "2025-03")
    s = data["subsidies"]
    assert (s["households"], s["total"]) == (2, "4100.00")
    assert [r["id"] for p in s["policies"] for r in p["rows"]] == [IDS[0][:6] + "*" * 8 + IDS[0][-4:],
                                                                     IDS[1][:6] + "*" * 8 + IDS[1][-4:]]
    pdf = render_notice(data, layout="a4", verify_url="https://x.example.cn/verify/ABC")
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "惠农补贴发放" in text and "大中型水库移民后期扶持" in text and not WHOLE_ID.search(text)
    assert build_notice(session, session.get(Village, world.a1.id), "2025-02")["subsidies"]["policies"] == []


def test_a_refused_household_file_names_line_column_and_reason(as_user, world, session):
    client = as_user("accountant")
    rows = _rows() + [["三组", "004", "赵六", IDS[1], "2", "1", ""]]
    resp = client.post(f"/v/{world.a1.id}/households/import", data=_upload(households_csv(rows), "农户.csv"),
                       content_type="multipart/form-data")
    status, page = import_job(client, resp)
    assert status["status"] == "failed"
    assert "与第 3 行身份证号重复" in page and "id_number" in page and "<td>5</td>" in page
    from threeassets.subsidies.models import Household
    session.rollback()
    assert session.scalars(select(Household)).all() == []


def test_the_policy_form_shows_field_and_reason(as_user, world):
    client = as_user("head")
    resp = client.post(f"/t/{world.township_a.id}/policies/new",
                       data={"code": "X1", "level": "county", "department": "", "name": "县级补贴",
                             "year_from": "2024", "rate": "1.234", "unit": "mu"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="department"' in page and "请填写主管部门" in page and "标准金额最多两位小数" in page
    assert page.count("is-invalid") >= 2


def test_a_policy_text_with_a_mobile_is_refused_naming_the_field(as_user, world, session):
    client = as_user("head")
    resp = client.post(f"/t/{world.township_a.id}/policies/new",
                       data={"code": "X2", "level": "county", "department": "农业农村", "name": "县级补贴",
                             "year_from": "2024", "eligibility": "请联系 13800001234 报名"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "补贴对象中有手机号“13800001234”" in page
    from threeassets.subsidies.models import Policy
    session.rollback()
    assert session.scalar(select(Policy.id).where(Policy.code == "X2")) is None


def test_a_policy_is_added_found_by_initials_and_retired(as_user, world, session):
    client = as_user("head")
    resp = client.post(f"/t/{world.township_a.id}/policies/new",
                       data={"code": "X1", "level": "county", "department": "农业农村", "name": "优质稻订单补贴",
                             "year_from": "2024", "rate": "30", "unit": "mu", "basis": "以当地文件为准",
                             "service_item": "subsidy"})
    assert resp.status_code == 302
    shown = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "服务大厅 · 惠农补贴咨询" in shown and "事项编码" not in shown
    page = client.get(f"/t/{world.township_a.id}/policies?q=yzd").get_data(as_text=True)
    assert "优质稻订单补贴" in page and "耕地地力保护补贴" not in page
    pid = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/t/{world.township_a.id}/policies/{pid}/retire", data={"year_to": "2025"}).status_code == 302
    page = client.get(f"/t/{world.township_a.id}/policies/{pid}").get_data(as_text=True)
    assert "已停止" in page
    form = client.get(f"/t/{world.township_a.id}/policies/new").get_data(as_text=True)
    assert '<option value="subsidy" selected>惠农补贴咨询</option>' in form  # the hall's items by name
    session.rollback()
    actions = set(session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "Policy")))
    assert {"subsidy.policy_save", "subsidy.policy_retire"} <= actions


def test_a_list_for_a_retired_or_missing_policy_is_refused_with_the_field(as_user, world):
    client = as_user("accountant")
    resp = client.post(f"/t/{world.township_a.id}/subsidies/new", data={"policy_id": "", "year": "20", "name": ""})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "请选择执行中的政策" in page and "请填写年度" in page and "请填写批次名称" in page
    resp = client.post(f"/t/{world.township_a.id}/subsidies/new", data={"policy_id": "", "year": "２０２６",
                                                                      "name": "第一批" * 30})
    page = resp.get_data(as_text=True)
    assert "请填写年度" not in page and "批次名称最多60字（现 90 字）" in page  # the year read full-width


def test_ending_a_notice_early_is_refused_in_words(as_user, session, world):
    client = as_user("accountant")
    _import_households(client, world)
    bid = _new_batch(client, session, world)
    resp = client.post(f"/t/{world.township_a.id}/subsidies/{bid}/notice")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "名单没有任何农户，不能公示" in page


def test_posts_need_the_csrf_token(csrf_client, world):
    assert csrf_login(csrf_client, "accountant").status_code == 302
    resp = csrf_client.post(f"/t/{world.township_a.id}/subsidies/new", data={"year": "2025", "name": "第一批"})
    assert resp.status_code == 400
    resp = csrf_client.post(f"/v/{world.a1.id}/households/import",
                            data=_upload(households_csv(_rows()), "农户.csv"), content_type="multipart/form-data")
    assert resp.status_code == 400


def test_the_subsidy_window_item_links_to_its_policies(as_user, session, world):
    from threeassets.windows.catalogue import item_by_code
    item_id = item_by_code(session, world.township_a.id, "subsidy").id
    page = as_user("clerk").get(f"/t/{world.township_a.id}/hall/catalogue/items/{item_id}").get_data(as_text=True)
    assert "相关惠农政策" in page and f"/t/{world.township_a.id}/policies/" in page and "耕地地力保护补贴" in page


def test_templates_download(as_user, world):
    client = as_user("accountant")
    for url in (f"/v/{world.a1.id}/households/template.xlsx", f"/t/{world.township_a.id}/subsidies/templates/list.xlsx",
                f"/t/{world.township_a.id}/subsidies/templates/payments.xlsx"):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.data[:2] == b"PK", url
    header = next(load_workbook(io.BytesIO(client.get(f"/v/{world.a1.id}/households/template.xlsx").data))
                  .active.iter_rows(values_only=True))
    assert header[:4] == ("组", "户号", "户主姓名", "身份证号")
