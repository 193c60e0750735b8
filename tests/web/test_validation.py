"""Validation through the web: bad vouchers and bad uploads answer 422 with the reason, and write nothing."""
from __future__ import annotations

import html
import io

import pytest

from tests.web.conftest import count, entry_form, import_job
from threeassets.core.db import transaction
from threeassets.ledger.models import Period, Voucher, VoucherLine
from threeassets.orgs.models import Township, Village

GOOD = ("购买办公用品", "513", "100.00", "")
CREDIT = ("购买办公用品", "101", "", "100.00")


def _post_entry(client, village, rows=None, **header):
    """Post the entry form of a village; returns (status, page text)."""
    resp = client.post(f"/v/{village.id}/vouchers/new", data=entry_form(rows=rows, **header))
    return resp.status_code, html.unescape(resp.get_data(as_text=True))


@pytest.mark.parametrize("rows, message", [
    ([GOOD, ("购买办公用品", "101", "", "90.00")], "借贷不平衡：借方合计 100.00，贷方合计 90.00"),
    ([("冲", "513", "-100.00", ""), ("冲", "101", "", "-100.00")], "第1行借方金额：金额不能为负数"),
    ([("x", "513", "100.005", ""), ("x", "101", "", "100.005")], "第1行借方金额：金额最多两位小数"),
    ([GOOD, ("x", "101", "", "abc")], "第2行贷方金额：“abc”不是有效金额"),
    ([GOOD, ("x", "999", "", "100.00")], "第2行科目：科目“999”不存在"),
    ([GOOD, ("", "101", "", "100.00")], "第2行摘要：请填写摘要"),
    ([GOOD, ("x", "", "", "100.00")], "第2行科目：请填写科目"),
    ([("x", "513", "100.00", "100.00"), CREDIT], "第1行金额：一行只能填借方或贷方之一"),
    ([GOOD, ("x", "101", "", "")], "第2行金额：请填写借方或贷方金额"),
    ([GOOD], "凭证至少需要两行分录"),
    ([("零", "513", "0", ""), ("零", "101", "", "0.00")], "请填写借方或贷方金额"),
    ([("x" * 201, "513", "100.00", ""), CREDIT], "第1行摘要：摘要最多200字"),
])
def test_bad_lines_are_refused_with_the_field_and_reason(rows, message, as_user, world, session):
    status, page = _post_entry(as_user("accountant"), world.a1, rows)
    assert status == 422
    assert "凭证未保存" in page and message in page
    assert count(session, Voucher) == 0 and count(session, VoucherLine) == 0


def test_more_than_200_lines_are_refused_not_cut(as_user, world, session):
    """Line 201 would unbalance the voucher: it must not be dropped silently."""
    rows = [("a", "513", "1.00", "")] * 100 + [("a", "101", "", "1.00")] * 100 + [("多一行", "513", "5.00", "")]
    status, page = _post_entry(as_user("accountant"), world.a1, rows)
    assert status == 422 and "一张凭证最多200行分录" in page
    assert count(session, Voucher) == 0 and count(session, VoucherLine) == 0


def test_blank_rows_do_not_count_or_cut_later_lines(as_user, world, session):
    data = entry_form(rows=[GOOD])
    data.update({f"lines-{i}-{f}": "" for i in range(1, 300) for f in ("summary", "account", "debit", "credit")})
    data.update({"lines-300-summary": "购买办公用品", "lines-300-account": "101", "lines-300-credit": "100.00"})
    assert as_user("accountant").post(f"/v/{world.a1.id}/vouchers/new", data=data).status_code == 302
    assert count(session, VoucherLine) == 2


def test_the_typed_lines_come_back_marked(as_user, world):
    status, page = _post_entry(as_user("accountant"), world.a1, [GOOD, ("x", "101", "", "100.005")])
    assert status == 422
    assert 'name="lines-1-credit" value="100.005"' in page
    assert 'is-invalid' in page.split('name="lines-1-credit"')[0].rsplit("<input", 1)[1]


def test_a_bad_account_and_a_closed_month_are_named_with_a_bad_amount_in_one_answer(as_user, world, session):
    from threeassets.closing.service import close_period
    with transaction(session):
        close_period(session, world.a1, 202405, world.user("head"))  # a month without books, asked for by name
    status, page = _post_entry(as_user("accountant"), world.a1, [("x", "不存在科目", "100.005", ""), CREDIT],
                               day="2024-05-10")
    assert status == 422 and count(session, Voucher) == 0
    assert "第1行科目：科目“不存在科目”不存在" in page and "第1行借方金额：金额最多两位小数" in page
    assert "会计期间 2024-05 已结账，不能录入或记账" in page


@pytest.mark.parametrize("header, message", [
    ({"day": ""}, "请填写凭证日期"),
    ({"day": "2024-02-30"}, "凭证日期“2024-02-30”不存在（2024年2月没有30日）"),
    ({"day": "明天"}, "凭证日期“明天”不是日期：请写成如 2026-10-05"),
    ({"attachments": "abc"}, "附单据张数应为整数"),
    ({"attachments": "10000"}, "附单据张数应在0至9999之间"),
])
def test_bad_header_is_refused(header, message, as_user, world, session):
    status, page = _post_entry(as_user("accountant"), world.a1, **header)
    assert status == 422 and message in page
    assert count(session, Voucher) == 0


def test_non_leaf_account_is_refused(as_user, world, records, session):
    records.sub_account(world.a1, "102", "信用社")
    status, page = _post_entry(as_user("accountant"), world.a1, [GOOD, ("x", "102", "", "100.00")])
    assert status == 422 and "第2行科目：科目“102”不是末级科目" in page
    assert count(session, Voucher) == 0


def test_forged_account_code_of_another_village_is_refused(as_user, world, records, session):
    """a2 has 10288; a1 does not: posting it under a1 must not reach a2's account."""
    records.sub_account(world.a2, "102", "别村账户")
    code = records.account(world.a2, "102").code + "01"
    assert records.account(world.a2, code) is not None and records.account(world.a1, code) is None
    status, page = _post_entry(as_user("accountant"), world.a1, [GOOD, ("x", code, "", "100.00")])
    assert status == 422 and f"第2行科目：科目“{code}”不存在" in page
    assert count(session, Voucher) == 0 and count(session, VoucherLine) == 0


def _close(session, village, ym: int) -> None:
    """Close a period directly in the database."""
    from sqlalchemy import select
    with transaction(session):
        period = session.scalar(select(Period).where(Period.village_id == village.id, Period.ym == ym))
        if period is None:
            session.add(Period(village_id=village.id, ym=ym, status="closed"))
        else:
            period.status = "closed"


def test_date_in_a_closed_period_is_refused(as_user, world, session):
    _close(session, world.a1, 202404)
    status, page = _post_entry(as_user("accountant"), world.a1, day="2024-04-30")
    assert status == 422 and "会计期间 2024-04 已结账" in page
    assert count(session, Voucher) == 0
    status, _ = _post_entry(as_user("accountant"), world.a1, day="2024-05-01")
    assert status == 302 and count(session, Voucher) == 1


def test_edit_into_a_closed_period_is_refused(as_user, world, records, session):
    v = records.voucher(world.a1)
    _close(session, world.a1, 202404)
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/vouchers/{v.id}/edit", data=entry_form(day="2024-04-03"))
    assert resp.status_code == 422 and "已结账" in resp.get_data(as_text=True)
    session.rollback()
    assert str(session.get(Voucher, v.id, populate_existing=True).voucher_date) == "2024-05-10"


def test_review_and_post_in_a_closed_period_are_refused(as_user, world, records, session):
    draft, reviewed = records.voucher(world.a1), records.voucher(world.a1, "reviewed")
    _close(session, world.a1, 202405)
    c = as_user("head")
    page = c.post(f"/v/{world.a1.id}/vouchers/{draft.id}/review", follow_redirects=True).get_data(as_text=True)
    assert "已结账" in page
    page = c.post(f"/v/{world.a1.id}/vouchers/{reviewed.id}/post", follow_redirects=True).get_data(as_text=True)
    assert "已结账" in page
    assert count(session, Voucher, status="draft") == 1 and count(session, Voucher, status="reviewed") == 1


def test_html_in_a_summary_is_stored_but_escaped(as_user, world, session):
    evil = "<script>alert(1)</script>"
    c = as_user("accountant")
    status, _ = _post_entry(c, world.a1, [(evil, "513", "1.00", ""), (evil, "101", "", "1.00")])
    assert status == 302
    assert session.query(VoucherLine).filter_by(summary=evil).count() == 2
    v = session.query(Voucher).one()
    for url in (f"/v/{world.a1.id}/vouchers/{v.id}", f"/v/{world.a1.id}/vouchers",
                f"/v/{world.a1.id}/vouchers/{v.id}/edit"):
        raw = c.get(url).get_data(as_text=True)
        assert evil not in raw, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw, url
    resp = c.post(f"/v/{world.a1.id}/vouchers/new", data=entry_form(rows=[(evil, "513", "1.00", "")]))
    assert resp.status_code == 422 and evil not in resp.get_data(as_text=True)


# Uploads ---------------------------------------------------------------------------------------------

def _orgs_upload(client, body: bytes, name: str = "orgs.csv", follow: bool = False):
    return client.post("/orgs/import", data={"file": (io.BytesIO(body), name)}, follow_redirects=follow)


def _org_counts(session):
    return count(session, Township), count(session, Village)


HEADER = "township_code,township_name,village_code,village_name\n"


@pytest.mark.parametrize("body, cells", [
    (HEADER + "TC,丙镇,C1,丙一村\nTC,,C2,丙二村\n", ["orgs.csv", "3", "township_name", "不能为空"]),
    (HEADER + "TC,丙镇,C1,丙一村\nTD,丁镇,C1,丙一村\n", ["village_code", "村编码 C1 在文件中属于两个乡镇"]),
    (HEADER + "TC,丙镇,C1,丙一村\nTB,乙镇,A1,甲一村\n", ["3", "village_code", "村 A1 已属于其他乡镇"]),
    ("township_code,village_code\nTC,C1\n", ["township_name", "缺少此列"]),
    (HEADER + "TC,丙镇,C1,丙一村,多余\n", ["列数(5)多于表头(4)"]),
    ("", ["文件为空"]),
])
def test_bad_orgs_file_is_refused_and_nothing_is_written(body, cells, as_user, world, session):
    before = _org_counts(session)
    client = as_user("admin")
    state, page = import_job(client, _orgs_upload(client, body.encode()))
    assert state["status"] == "failed" and "导入失败，未写入任何数据" in page
    for cell in cells:
        assert f"<td>{cell}" in page, cell
    assert _org_counts(session) == before


def test_undecodable_or_corrupt_files_are_refused(as_user, world, session):
    c = as_user("admin")
    before = _org_counts(session)
    state, page = import_job(c, _orgs_upload(c, b"\xff\xfe\x00\x81\x00garbage", "orgs.csv"))
    assert state["status"] == "failed" and "文件编码无法识别" in page
    state, page = import_job(c, _orgs_upload(c, b"PK\x03\x04 this is no workbook", "orgs.xlsx"))
    assert state["status"] == "failed" and "XLSX 文件已损坏" in page
    assert _org_counts(session) == before


def test_wrong_file_type_is_refused(as_user, world, session):
    before = _org_counts(session)
    resp = _orgs_upload(as_user("admin"), (HEADER + "TC,丙镇,C1,丙一村\n").encode(), "orgs.txt", follow=True)
    assert "只接受 CSV 或 XLSX 文件" in resp.get_data(as_text=True)
    resp = _orgs_upload(as_user("admin"), b"", "", follow=True)
    assert "请选择文件" in resp.get_data(as_text=True)
    assert _org_counts(session) == before


def test_upload_over_the_size_limit_is_413(app, as_user, world, session):
    before = _org_counts(session)
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 16 * 1024 * 1024
    body = (HEADER + "TC,丙镇,C1,丙一村\n").encode() + b"#" * limit
    resp = _orgs_upload(as_user("admin"), body)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 413 and "上传的文件过大" in page and "不能超过 <strong>8 MB</strong>" in page
    assert _org_counts(session) == before


def test_xlsx_orgs_file_is_read(as_user, world, session):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(HEADER.strip().split(","))
    wb.active.append(["TC", "丙镇", "C1", "丙一村"])
    buf = io.BytesIO()
    wb.save(buf)
    client = as_user("admin")
    state, page = import_job(client, _orgs_upload(client, buf.getvalue(), "orgs.xlsx"))
    assert state["status"] == "done" and "导入完成：1 个乡镇，1 个村" in page
    assert count(session, Village, code="C1") == 1


VHEAD = "org_code,date,voucher_ref,summary,account_code,debit,credit\n"


@pytest.mark.parametrize("body, cells", [
    (VHEAD + "B1,2024-05-03,R1,越权,513,10.00,\nB1,2024-05-03,R1,越权,101,,10.00\n", ["不属于本乡镇或不存在"]),
    (VHEAD + "A1,2024-05-03,R1,不平,513,10.00,\nA1,2024-05-03,R1,不平,101,,9.00\n", ["v.csv"]),
    (VHEAD + "A1,2024-05-03,R1,小数,513,10.001,\nA1,2024-05-03,R1,小数,101,,10.001\n", ["v.csv", "2"]),
])
def test_bad_voucher_import_writes_nothing(body, cells, as_user, world, session):
    client = as_user("accountant")
    resp = client.post(f"/t/{world.township_a.id}/import/vouchers", data={"file": (io.BytesIO(body.encode()), "v.csv")})
    state, page = import_job(client, resp)
    assert state["status"] == "failed" and "导入失败，未写入任何数据" in page
    for cell in cells:
        assert cell in page
    assert count(session, Voucher) == 0 and count(session, VoucherLine) == 0


def test_voucher_import_wrong_type_is_422(as_user, world, session):
    resp = as_user("accountant").post(f"/t/{world.township_a.id}/import/vouchers",
                                      data={"file": (io.BytesIO(b"x"), "v.pdf")})
    assert resp.status_code == 422 and "只接受 CSV 或 XLSX 文件" in resp.get_data(as_text=True)
    assert count(session, Voucher) == 0


def test_unbalanced_message_is_reported_once(as_user, world):
    c = as_user("accountant")
    rows = [("购买办公用品", "513", "100.00", ""), ("购买办公用品", "101", "", "90.00")]
    resp = c.post(f"/v/{world.a1.id}/vouchers/new", data=entry_form(rows=rows))
    assert resp.status_code == 422
    assert resp.get_data(as_text=True).count("借贷不平衡") == 1
