"""Switch-over pages: upload → preview → confirm, bad files, unmapped lists, the township mapping page."""
import html
import io
import re
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select

from tests.web.conftest import csrf_login, csrf_token
from threeassets.closing.service import close_period
from threeassets.core.db import transaction
from threeassets.ledger.models import Voucher
from threeassets.ledger.openings.models import OpeningAdjustment, OpeningBalance
from threeassets.switchover.models import ChartMapping

HEADER = "account_code,account_name,debit_balance,credit_balance\n"
TB = HEADER + "101,现金,300.00,\n112,应收款,200.00,\n112001,张三,200.00,\n202,应付款,,100.00\n301,资本,,400.00\n"


def _upload(client, village_id, text, encoding="utf-8", name="tb.csv"):
    data = text if isinstance(text, bytes) else text.encode(encoding)
    return client.post(f"/v/{village_id}/switchover", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


def _vouchers(session):
    """Vouchers and opening balance rows written (a switch writes openings, never a voucher)."""
    session.rollback()
    return session.scalar(select(func.count()).select_from(Voucher)) + session.scalar(
        select(func.count()).select_from(OpeningBalance))


def test_upload_preview_confirm(as_user, world, session):
    c = as_user("accountant")
    resp = _upload(c, world.a1.id, TB, encoding="gbk")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "确认转换并建账" in page
    rows = page.split('id="switch-rows"', 1)[1].split("</table>", 1)[0]
    assert "211 应付款" not in rows and "<td>211</td><td>应付款" in page and "新增明细" in rows
    assert _vouchers(session) == 0
    tb = page.split('name="tb" value="', 1)[1].split('"', 1)[0]
    resp = c.post(f"/v/{world.a1.id}/switchover/confirm", data={"filename": "tb.csv", "tb": tb.replace("&#34;", '"')})
    assert resp.status_code == 302
    written = _vouchers(session)
    assert written > 0 and session.scalar(select(func.count()).select_from(Voucher)) == 0
    done = c.get(f"/v/{world.a1.id}/switchover").get_data(as_text=True)
    assert "本村已完成转换" in done and "from=2024-01&amp;to=2024-01" in done
    if "statements.village_balance_sheet" in c.application.view_functions:
        assert "期初资产负债表" in done and "balance-sheet?period=2024-01" in done
    tb_page = c.get(f"/v/{world.a1.id}/reports/trial-balance?from=2024-01&to=2024-01").get_data(as_text=True)
    assert "张三" in tb_page
    again = c.post(f"/v/{world.a1.id}/switchover/confirm", data={"filename": "tb.csv", "tb": TB})
    page = again.get_data(as_text=True)  # refused over the preview of what was sent, the reason said once
    assert again.status_code == 422 and page.count("不能重复转换") == 1 and "转换预览" in page
    assert _vouchers(session) == written


def test_xlsx_upload(as_user, world):
    wb = Workbook()
    for row in [line.split(",") for line in TB.strip().splitlines()]:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    resp = _upload(as_user("accountant"), world.a1.id, buf.getvalue(), name="tb.xlsx")
    assert resp.status_code == 200 and "确认转换并建账" in resp.get_data(as_text=True)


def test_unmapped_accounts_are_listed(as_user, world, session):
    resp = _upload(as_user("accountant"), world.a1.id, TB + "191,其他资产,0,\n")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "转换已停止" in page and "第7行 191 其他资产" in page
    assert "确认转换并建账" not in page


def test_bad_files_give_line_and_column(as_user, world, session):
    c = as_user("accountant")
    unbalanced = _upload(c, world.a1.id, TB.replace("300.00", "300.01"))
    assert unbalanced.status_code == 422 and "借贷不平衡" in unbalanced.get_data(as_text=True)
    decimals = _upload(c, world.a1.id, TB.replace("300.00", "300.001"))
    assert "<td>2</td><td>debit_balance</td><td>金额最多两位小数</td>" in decimals.get_data(as_text=True)
    unknown = _upload(c, world.a1.id, TB + "1x1,坏编码,0,\n")
    assert "<td>account_code</td>" in unknown.get_data(as_text=True) and unknown.status_code == 422
    missing = _upload(c, world.a1.id, "code,name\n101,现金\n")
    assert missing.status_code == 422 and "缺少此列" in missing.get_data(as_text=True)
    assert _upload(c, world.a1.id, TB, name="tb.txt").status_code == 302
    assert _vouchers(session) == 0


def test_tampered_confirmation_is_checked_again(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/switchover/confirm", data={"filename": "tb.csv", "tb": TB + "999,x,5,\n"})
    assert resp.status_code == 422 and _vouchers(session) == 0


def test_village_with_january_postings_is_refused_up_front(as_user, world, records):
    records.voucher(world.a1, "posted", day=date(2024, 1, 9))
    page = as_user("accountant").get(f"/v/{world.a1.id}/switchover").get_data(as_text=True)
    assert "2024年1月或以前已有记账凭证" in page


def _upload_button(page: str) -> str:
    """The index page's upload button tag."""
    return page.split("检查并预览期初余额", 1)[0].rsplit("<button", 1)[1]


def test_upload_is_offered_only_while_the_village_may_switch(as_user, world, records):
    client = as_user("accountant")
    page = client.get(f"/v/{world.a1.id}/switchover").get_data(as_text=True)
    assert "switch-refusal" not in page and "disabled" not in _upload_button(page)
    records.voucher(world.a1, "posted", day=date(2024, 1, 9))
    page = client.get(f"/v/{world.a1.id}/switchover").get_data(as_text=True)
    assert "switch-refusal" in page and "disabled" in _upload_button(page)


def test_template(as_user, world):
    resp = as_user("head").get(f"/v/{world.a1.id}/switchover/template.csv")
    assert resp.data.decode("utf-8-sig").startswith(HEADER)


def _mapping_form(client, township_id):
    """The mapping page's current selections as form data."""
    page = client.get(f"/t/{township_id}/switchover/mapping").get_data(as_text=True)
    data = {}
    for chunk in page.split('<tr data-code="')[1:]:
        code = chunk.split('"', 1)[0]
        selected = chunk.split("selected>", 1)[0].rsplit('value="', 1)[1].split('"', 1)[0]
        data[f"new-{code}"] = selected
    return data, page


def test_mapping_page_defaults_save_and_reset(as_user, world, session):
    c = as_user("accountant")
    data, page = _mapping_form(c, world.township_a.id)
    assert "当前使用默认对应关系" in page and data["new-153"] == "154" and data["new-241"] == "241"
    data.update({"new-212": "211", "extra-old-0": "13102", "extra-new-0": "13203", "extra-note-0": "产役畜"})
    assert c.post(f"/t/{world.township_a.id}/switchover/mapping", data=data).status_code == 302
    session.rollback()
    saved = dict(session.execute(select(ChartMapping.old_code, ChartMapping.new_code)).all())
    assert saved["212"] == "211" and saved["13102"] == "13203" and len(saved) == len(data) - 2
    data2, page2 = _mapping_form(c, world.township_a.id)
    assert "当前使用本乡镇保存的对应关系" in page2 and data2["new-13102"] == "13203"
    bad = c.post(f"/t/{world.township_a.id}/switchover/mapping", data=dict(data2, **{"new-101": "999"}))
    assert bad.status_code == 422 and "999 不是2023年制度的科目" in bad.get_data(as_text=True)
    assert c.post(f"/t/{world.township_a.id}/switchover/mapping", data={"action": "reset"}).status_code == 302
    session.rollback()
    assert session.scalar(select(func.count()).select_from(ChartMapping)) == 0


def test_township_mapping_applies_to_its_villages_only(as_user, world):
    c = as_user("head")
    data, _page = _mapping_form(c, world.township_a.id)
    c.post(f"/t/{world.township_a.id}/switchover/mapping", data=dict(data, **{"new-202": ""}))
    page = _upload(c, world.a1.id, TB).get_data(as_text=True)
    assert "第5行 202 应付款" in page
    other = as_user("head_b")
    assert "确认转换并建账" in _upload(other, world.b1.id, TB).get_data(as_text=True)


# ---------------------------------------------------------------- stock-take adjustments on the preview

FOUND = {"adj-kind-0": "asset_found", "adj-debit-0": "151", "adj-credit-0": "311", "adj-amount-0": "1,000",
         "adj-reason-0": "盘盈水泵一台（盘点表第3页）"}


def _carried(page: str) -> dict:
    """The hidden fields of the preview's form (the trial balance, its name, the adjustments previewed)."""
    return {name: html.unescape(value) for name, value in
            re.findall(r'<input type="hidden" name="(filename|tb|adj-seen)" value="([^"]*)"', page)}


def _stored(session) -> tuple[int, int]:
    session.rollback()
    return tuple(session.scalar(select(func.count()).select_from(m)) for m in (OpeningBalance, OpeningAdjustment))


def _preview(client, village_id, adjustments=None, *, csrf=None):
    first = _upload(client, village_id, TB).get_data(as_text=True)
    data = dict(_carried(first), **(adjustments or {}))
    if csrf:
        data["csrf_token"] = csrf
    return client.post(f"/v/{village_id}/switchover/preview", data=data)


def test_adjustments_are_previewed_in_three_columns_confirmed_and_listed(as_user, world, session):
    c = as_user("accountant")
    resp = _preview(c, world.a1.id, FOUND)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "adjustment-errors" not in page and _stored(session) == (0, 0)
    assert 'value="151"' in page and 'value="1,000.00"' in page and 'name="adj-debit-3"' in page  # 3 blank rows
    row = page.split('<tr data-code="151"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"amount[^>]*>([\d,.]*)</td>", row) == ["", "", "1,000.00", "", "1,000.00", ""]
    foot = page.split('id="opening-lines"', 1)[1].split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert re.findall(r">([\d,.]+)</td>", foot) == ["500.00", "500.00", "1,000.00", "1,000.00", "1,500.00",
                                                    "1,500.00"]
    assert page.index('id="repreview"') < page.index('id="confirm-switch"')  # Enter re-previews, never confirms
    done = c.post(f"/v/{world.a1.id}/switchover/confirm", data=dict(_carried(page), **FOUND))
    assert done.status_code == 302 and _stored(session)[1] == 1
    index = c.get(f"/v/{world.a1.id}/switchover").get_data(as_text=True)
    listed = index.split('id="adjustment-list"', 1)[1].split("</table>", 1)[0]
    assert "盘盈资产入账" in listed and "151 固定资产" in listed and "311 公积公益金" in listed
    assert "1,000.00" in listed and FOUND["adj-reason-0"] in listed and "accountant" in listed
    assert "含清产核资调整 1 笔" in index and "adjustments-more" in index and "adjustments-locked" not in index
    tb_page = c.get(f"/v/{world.a1.id}/reports/trial-balance?from=2024-01&to=2024-01").get_data(as_text=True)
    assert "1,000.00" in tb_page.split('data-code="151"', 1)[1].split("</tr>", 1)[0]
    with transaction(session):
        close_period(session, world.a1, 202401, world.user("accountant"))
    index = c.get(f"/v/{world.a1.id}/switchover").get_data(as_text=True)
    assert "adjustments-locked" in index and "adjustments-more" not in index


def test_an_invalid_adjustment_is_shown_with_its_reason_and_never_confirmed(as_user, world, session):
    c = as_user("accountant")
    bad = dict(FOUND, **{"adj-debit-0": "112", "adj-reason-0": ""})
    resp = _preview(c, world.a1.id, bad)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "adjustment-errors" in page
    row = page.split('data-row="0"', 1)[1].split("</tr>", 1)[0]
    assert 'value="112"' in row and row.count("is-invalid") == 2
    assert "科目 112 不是转换后的末级科目" in row and "请写明调整原因" in row
    assert "1,000.00" not in page.split('id="opening-lines"', 1)[1]  # a wrong row is not added in
    again = c.post(f"/v/{world.a1.id}/switchover/confirm", data=dict(_carried(page), **bad))
    assert again.status_code == 422 and "科目 112 不是转换后的末级科目" in again.get_data(as_text=True)
    assert _stored(session) == (0, 0)


def test_adjustments_changed_since_the_preview_are_shown_before_they_are_confirmed(as_user, world, session):
    c = as_user("accountant")
    page = _upload(c, world.a1.id, TB).get_data(as_text=True)
    resp = c.post(f"/v/{world.a1.id}/switchover/confirm", data=dict(_carried(page), **FOUND))
    shown = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "adjustment-notice" in shown and "1,500.00" in shown
    assert _stored(session) == (0, 0)
    assert c.post(f"/v/{world.a1.id}/switchover/confirm", data=dict(_carried(shown), **FOUND)).status_code == 302
    assert _stored(session)[1] == 1


def test_the_preview_form_carries_the_csrf_token(csrf_client, world):
    assert csrf_login(csrf_client, "accountant").status_code == 302
    token = csrf_token(csrf_client, f"/v/{world.a1.id}/switchover")
    page = csrf_client.post(f"/v/{world.a1.id}/switchover", content_type="multipart/form-data",
                            data={"file": (io.BytesIO(TB.encode()), "tb.csv"), "csrf_token": token})
    form = page.get_data(as_text=True).split('id="switch-form"', 1)[1]
    assert 'name="csrf_token"' in form
    carried = dict(_carried(form), **FOUND)
    refused = csrf_client.post(f"/v/{world.a1.id}/switchover/preview", data=carried)
    assert refused.status_code == 400
    ok = csrf_client.post(f"/v/{world.a1.id}/switchover/preview", data=dict(carried, csrf_token=token))
    assert ok.status_code == 200 and "1,500.00" in ok.get_data(as_text=True)
