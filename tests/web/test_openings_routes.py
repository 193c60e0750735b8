"""期初余额 pages: the grid saves and re-shows problems by cell, the template downloads with the figures, the
upload takes this village's rows only; readers see no inputs."""
from __future__ import annotations

import io
from decimal import Decimal as D

from openpyxl import load_workbook

from tests.web.conftest import import_job
from threeassets.ledger.openings import service as openings


def _figures(session, village):
    session.rollback()
    return openings.figures_of(session, village.id)


def test_grid_saves_figures_and_new_sub_accounts(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/openings", data={
        "start_period": "2026-07", "yd-101": "１,０００.００", "yc-301": "1300", "td-102": "50", "tc-501": "50",
        "code-x0": "112001", "name-x0": "张三", "yd-x0": "300"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    got = _figures(session, world.a1)
    assert got["101"].year_debit == D("1000.00") and got["112001"].year_debit == D("300")
    assert got["102"].ytd_debit == D("50") and openings.start_of(session, world.a1.id).balanced
    page = c.get(f"/v/{world.a1.id}/openings").get_data(as_text=True)
    assert "试算平衡" in page and "2026年7月" in page and 'value="1,000.00"' in page and "张三" in page
    assert 'src="/static/js/openings.js"' in page


def test_a_bad_cell_is_marked_and_nothing_is_saved(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/openings", data={"start_period": "2026-01", "yd-101": "1.005",
                                                      "yc-301": "<b>x</b>"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "金额最多两位小数" in page and 'value="1.005"' in page
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert _figures(session, world.a1) == {}


def test_service_refusals_are_shown_on_their_cells(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/openings", data={"start_period": "2026-01", "yd-101": "1", "yc-101": "1",
                                                      "code-x0": "999", "yd-x0": "1"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "只填借方或贷方" in page and "999" in page and "is-invalid" in page
    resp = c.post(f"/v/{world.a1.id}/openings", data={"start_period": "2026-13"})
    assert resp.status_code == 422 and "不是年月" in resp.get_data(as_text=True)
    assert _figures(session, world.a1) == {}


def test_unbalanced_openings_save_with_a_warning(as_user, world, session):
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/openings", data={"start_period": "2026-01", "yd-101": "10"},
                  follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "试算不平衡，调平前不能记账" in page and "年初余额不平衡" in page and "差额 10.00" in page


def test_template_carries_the_figures_and_uploads_back(as_user, world, session):
    c = as_user("accountant")
    c.post(f"/v/{world.a1.id}/openings", data={"start_period": "2026-03", "yd-101": "80", "yc-301": "80"})
    resp = c.get(f"/v/{world.a1.id}/openings/template?format=xlsx")
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("org_code", "start_period", "account_code")
    cash = next(r for r in rows if r[2] == "101")
    assert cash[0] == "A1" and cash[1] == "2026-03" and cash[4] == 80
    csv = c.get(f"/v/{world.a1.id}/openings/template?format=csv").get_data(as_text=True)
    assert csv.startswith("\ufefforg_code,") and "A1,2026-03,101," in csv

    body = ("org_code,start_period,account_code,account_name,year_opening_debit,year_opening_credit,ytd_debit,"
            "ytd_credit\nA1,2026-03,101,,90,,,\nA1,2026-03,301,,,90,,\n")
    resp = c.post(f"/v/{world.a1.id}/openings/import", data={"file": (io.BytesIO(body.encode("gbk")), "o.csv")},
                  content_type="multipart/form-data")
    status, page = import_job(c, resp)  # a background job, run in the request by the tests
    assert "已导入期初余额：2 个科目" in page, status
    assert _figures(session, world.a1)["101"].year_debit == D("90")


def test_the_upload_takes_this_villages_rows_only(as_user, world, session):
    body = ("org_code,start_period,account_code,account_name,year_opening_debit,year_opening_credit,ytd_debit,"
            "ytd_credit\nA2,2026-01,101,,90,,,\n")
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/openings/import", data={"file": (io.BytesIO(body.encode()), "o.csv")},
                  content_type="multipart/form-data")
    _status, page = import_job(c, resp)
    assert "本页只能导入本村（A1）" in page and "o.csv" in page
    assert _figures(session, world.a2) == {}


def test_readers_see_the_grid_without_inputs(as_user, world):
    page = as_user("board").get(f"/v/{world.a1.id}/openings").get_data(as_text=True)
    assert "disabled" in page and "保存期初余额" not in page and "导入文件" not in page


def test_a_stock_take_adjustment_from_the_page(as_user, world, session):
    c = as_user("accountant")
    c.post(f"/v/{world.a1.id}/openings", data={"start_period": "2026-01", "yd-101": "100", "yc-301": "100"})
    resp = c.post(f"/v/{world.a1.id}/openings/adjustments", data={
        "kind": "asset_found", "debit": "151", "credit": "322", "amount": "２,０００",
        "reason": "<b>盘盈</b>抽水机一台"},
        follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "清产核资调整已登记" in page and "&lt;b&gt;盘盈&lt;/b&gt;抽水机一台" in page and "2,000.00" in page
    assert _figures(session, world.a1)["151"].year_debit == D("2000")
    resp = c.post(f"/v/{world.a1.id}/openings/adjustments", data={"kind": "other", "debit": "999", "credit": "322",
                                                                   "amount": "1", "reason": ""},
                  follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "科目 999 不是本村的末级科目" in page and "请写明调整原因" in page
