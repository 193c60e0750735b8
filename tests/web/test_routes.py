"""Each route with the right role and scope: the status and the effect it should have."""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tests.conftest import PASSWORD, login
from tests.web.conftest import count, entry_form, tbody
from threeassets.auth.models import User
from threeassets.core.audit import AuditEvent
from threeassets.ledger.models import Account, Voucher
from threeassets.orgs.models import Village


def _fresh(session, model, row_id):
    """Reload a row from the database (None when deleted)."""
    session.rollback()
    return session.get(model, row_id, populate_existing=True)


def test_voucher_list_shows_and_filters(as_user, world, records):
    records.voucher(world.a1, "posted", summary="买化肥")
    records.voucher(world.a1, "draft", summary="修水渠")
    c = as_user("board")
    page = c.get(f"/v/{world.a1.id}/vouchers").get_data(as_text=True)
    assert "买化肥" in page and "修水渠" in page and "记-0001" in page
    page = c.get(f"/v/{world.a1.id}/vouchers?status=draft").get_data(as_text=True)
    assert "修水渠" in page and "买化肥" not in page
    page = c.get(f"/v/{world.a1.id}/vouchers?q=化肥&ym=2024-05").get_data(as_text=True)
    assert "买化肥" in page and "修水渠" not in page


def test_new_voucher_is_saved_as_draft(as_user, world, session):
    c = as_user("accountant")
    assert "记 账 凭 证" in c.get(f"/v/{world.a1.id}/vouchers/new").get_data(as_text=True)
    resp = c.post(f"/v/{world.a1.id}/vouchers/new", data=entry_form())
    assert resp.status_code == 302
    v = session.scalar(select(Voucher).where(Voucher.village_id == world.a1.id))
    assert resp.headers["Location"].endswith(f"/v/{world.a1.id}/vouchers/{v.id}")
    assert v.status == "draft" and v.total == Decimal("100.00") and v.attachments == 1 and v.number is None
    assert [(ln.account.code, ln.debit, ln.credit) for ln in v.lines] == [
        ("513", Decimal("100.00"), Decimal("0.00")), ("101", Decimal("0.00"), Decimal("100.00"))]
    assert count(session, AuditEvent, action="voucher.create", object_id=v.id) == 1


def test_save_and_new_returns_to_entry_with_the_same_date(as_user, world):
    resp = as_user("accountant").post(f"/v/{world.a1.id}/vouchers/new", data={**entry_form(), "next": "new"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/vouchers/new?date=2024-05-10")


def test_edit_changes_a_draft(as_user, world, records, session):
    v = records.voucher(world.a1)
    c = as_user("accountant2")
    assert "购买办公用品" in c.get(f"/v/{world.a1.id}/vouchers/{v.id}/edit").get_data(as_text=True)
    rows = [("付电费", "513", "250.50", ""), ("付电费", "102", "", "250.50")]
    resp = c.post(f"/v/{world.a1.id}/vouchers/{v.id}/edit", data=entry_form(day="2024-05-12", rows=rows))
    assert resp.status_code == 302
    v = _fresh(session, Voucher, v.id)
    assert v.total == Decimal("250.50") and str(v.voucher_date) == "2024-05-12"
    assert [ln.summary for ln in v.lines] == ["付电费", "付电费"]


def test_edit_of_a_posted_voucher_is_refused(as_user, world, records, session):
    v = records.voucher(world.a1, "posted")
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/vouchers/{v.id}/edit", data=entry_form(rows=[
        ("改", "513", "1.00", ""), ("改", "101", "", "1.00")]))
    assert resp.status_code == 409 and "未保存：" in resp.get_data(as_text=True)  # what was typed is shown back
    assert _fresh(session, Voucher, v.id).total == Decimal("100.00")
    resp = c.get(f"/v/{world.a1.id}/vouchers/{v.id}/edit")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/vouchers/{v.id}")


def test_show_renders_the_voucher(as_user, world, records):
    v = records.voucher(world.a1, "posted", summary="收租金")
    page = as_user("vacct").get(f"/v/{world.a1.id}/vouchers/{v.id}").get_data(as_text=True)
    assert "收租金" in page and "记-0001" in page and "壹佰元整" in page and "附单据 1 张" in page


def test_review_unreview_post(as_user, world, records, session):
    v = records.voucher(world.a1)
    base = f"/v/{world.a1.id}/vouchers/{v.id}"
    c = as_user("reviewer")
    assert c.post(f"{base}/review").status_code == 302
    v = _fresh(session, Voucher, v.id)
    assert v.status == "reviewed" and v.reviewer_id == world.user("reviewer").id
    assert c.post(f"{base}/unreview").status_code == 302
    assert _fresh(session, Voucher, v.id).status == "draft"
    c.post(f"{base}/review")
    login(c, "accountant2")
    assert c.post(f"{base}/post").status_code == 302
    v = _fresh(session, Voucher, v.id)
    assert v.status == "posted" and v.number == 1 and len(v.hash) == 64 and v.chain_seq == 1
    assert "记-0001" in c.get(base, follow_redirects=True).get_data(as_text=True)


def test_preparer_cannot_review_own_voucher(as_user, world, session):
    c = as_user("head")
    c.post(f"/v/{world.a1.id}/vouchers/new", data=entry_form())
    vid = session.scalar(select(Voucher.id).where(Voucher.village_id == world.a1.id))
    page = c.post(f"/v/{world.a1.id}/vouchers/{vid}/review", follow_redirects=True).get_data(as_text=True)
    assert "审核人不能是制单人" in page
    assert _fresh(session, Voucher, vid).status == "draft"


def test_posting_a_draft_is_refused(as_user, world, records, session):
    v = records.voucher(world.a1)
    page = as_user("accountant").post(f"/v/{world.a1.id}/vouchers/{v.id}/post",
                                      follow_redirects=True).get_data(as_text=True)
    assert "不能记账" in page and _fresh(session, Voucher, v.id).number is None


def test_delete_removes_a_draft_but_not_a_posted_voucher(as_user, world, records, session):
    draft, posted = records.voucher(world.a1), records.voucher(world.a1, "posted")
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/vouchers/{draft.id}/delete")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/v/{world.a1.id}/vouchers")
    assert _fresh(session, Voucher, draft.id) is None
    c.post(f"/v/{world.a1.id}/vouchers/{posted.id}/delete")
    assert _fresh(session, Voucher, posted.id).status == "posted"


def test_reverse_creates_a_red_draft(as_user, world, records, session):
    v = records.voucher(world.a1, "posted")
    resp = as_user("accountant").post(f"/v/{world.a1.id}/vouchers/{v.id}/reverse", data={"on": "2024-05-31"})
    red = session.scalar(select(Voucher).where(Voucher.reverses_id == v.id))
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/vouchers/{red.id}")
    assert red.status == "draft" and red.total == Decimal("-100.00")
    assert [ln.debit for ln in red.lines] == [Decimal("-100.00"), Decimal("0.00")]
    as_user("accountant").post(f"/v/{world.a1.id}/vouchers/{v.id}/reverse", data={"on": "2024-05-31"})
    assert count(session, Voucher, reverses_id=v.id) == 1


def test_voucher_pdf(as_user, world, records):
    v = records.voucher(world.a1, "posted")
    resp = as_user("supervisor").get(f"/v/{world.a1.id}/vouchers/{v.id}/pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data.startswith(b"%PDF")
    text = _pdf_text(resp.data)
    assert all(f"{who}：" in text for who in ("会计主管", "记账", "出纳", "审核", "制单")) and "草稿" not in text
    draft = records.voucher(world.a1)
    text = _pdf_text(as_user("supervisor").get(f"/v/{world.a1.id}/vouchers/{draft.id}/pdf").data)
    assert "草稿" in text and "未记账" in text


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_accounts_page_and_json(as_user, world, records):
    records.sub_account(world.a1, "102", "农商行")
    c = as_user("accountant")
    page = c.get(f"/v/{world.a1.id}/accounts").get_data(as_text=True)
    assert "银行存款" in page and "农商行" in page
    leaves = {a["code"]: a for a in c.get(f"/v/{world.a1.id}/accounts.json").get_json()}
    assert "10201" in leaves and "102" not in leaves
    assert leaves["101"]["py"] == "kcxj" and leaves["10201"]["name"] == "银行存款—农商行"


def test_add_and_delete_sub_account(as_user, world, records, session):
    parent = records.account(world.a1, "102")
    c = as_user("accountant")
    resp = c.post(f"/v/{world.a1.id}/accounts", data={"parent_id": parent.id, "suffix": "01", "name": "信用社"})
    assert resp.status_code == 302
    sub = session.scalar(select(Account).where(Account.village_id == world.a1.id, Account.code == "10201"))
    assert sub.full_name == "银行存款—信用社" and _fresh(session, Account, parent.id).is_leaf is False
    assert c.post(f"/v/{world.a1.id}/accounts/{sub.id}/delete").status_code == 302
    assert _fresh(session, Account, sub.id) is None
    assert _fresh(session, Account, parent.id).is_leaf is True


def test_first_level_account_cannot_be_deleted(as_user, world, records, session):
    acc = records.account(world.a1, "101")
    page = as_user("accountant").post(f"/v/{world.a1.id}/accounts/{acc.id}/delete",
                                      follow_redirects=True).get_data(as_text=True)
    assert "不能删除" in page and _fresh(session, Account, acc.id) is not None


def test_village_trial_balance_page_and_csv(as_user, world, records):
    records.voucher(world.a1, "posted", amount="1234.56")
    c = as_user("board")
    url = f"/v/{world.a1.id}/reports/trial-balance?from=2024-05&to=2024-05"
    assert "1,234.56" in c.get(url).get_data(as_text=True)
    resp = c.get(url + "&format=csv")
    assert resp.mimetype == "text/csv" and resp.data.startswith("\ufeff".encode())
    rows = {r["account_code"]: r for r in csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig")))}
    assert rows["513"]["period_debit"] == "1234.56" and rows["101"]["closing_credit"] == "1234.56"
    assert c.get(url + "&format=xlsx").data[:2] == b"PK"
    assert c.get(url + "&format=pdf").data.startswith(b"%PDF")


def test_township_trial_balance_adds_its_villages_only(as_user, world, records):
    records.voucher(world.a1, "posted", amount="100.00")
    records.voucher(world.a2, "posted", amount="23.45")
    records.voucher(world.b1, "posted", amount="9999.00")
    resp = as_user("reviewer").get(f"/t/{world.township_a.id}/reports/trial-balance?from=2024-05&to=2024-05"
                                   "&format=csv")
    rows = {r["account_code"]: r for r in csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig")))}
    assert rows["513"]["period_debit"] == "123.45"


def test_account_ledger_runs_the_balance(as_user, world, records):
    records.voucher(world.a1, "posted", summary="第一笔", amount="10.00")
    records.voucher(world.a1, "posted", summary="第二笔", amount="5.00")
    c = as_user("vacct")
    page = c.get(f"/v/{world.a1.id}/reports/ledger?account=513&from=2024-05&to=2024-05").get_data(as_text=True)
    assert page.index("第一笔") < page.index("第二笔") and "15.00" in page
    acc = records.account(world.a1, "513")
    assert "第一笔" in c.get(f"/v/{world.a1.id}/reports/ledger?account_id={acc.id}&from=2024-05&to=2024-05"
                             ).get_data(as_text=True)


def test_user_list_new_and_edit(as_user, world, session):
    c = as_user("head")
    assert "accountant2" in c.get("/users").get_data(as_text=True)
    assert "accountant2" in c.get("/users?q=accountant2").get_data(as_text=True)
    resp = c.post("/users/new", data={"username": "zhang", "display_name": "张会计", "role": "agency_accountant",
                                      "township_id": str(world.township_a.id), "village_id": "",
                                      "password": "pass-1234", "active": "y"})
    assert resp.status_code == 302
    user = session.scalar(select(User).where(User.username == "zhang"))
    assert user.township_id == world.township_a.id and user.role == "agency_accountant"
    resp = c.post(f"/users/{user.id}", data={"display_name": "张三", "role": "reviewer",
                                             "township_id": str(world.township_a.id), "village_id": "",
                                             "active": "y"})
    assert resp.status_code == 302
    user = _fresh(session, User, user.id)
    assert user.display_name == "张三" and user.role == "reviewer"
    assert count(session, AuditEvent, action="user.update", object_id=user.id) == 1


def test_audit_page_lists_events(as_user, world, records):
    records.voucher(world.a1)
    rows = tbody(as_user("head").get("/audit?action=voucher").get_data(as_text=True))
    assert "录入凭证" in rows and "新增用户" not in rows
    assert "voucher.create" not in rows  # the page speaks Chinese: codes stay in the stored rows


def test_orgs_page_adds_a_village_with_its_chart(as_user, world, session):
    c = as_user("admin")
    assert "甲镇" in c.get("/orgs/").get_data(as_text=True)
    resp = c.post("/orgs/", data={"township_code": "TC", "township_name": "丙镇", "village_code": "C1",
                                  "village_name": "丙一村", "credit_code": ""})
    assert resp.status_code == 302
    village = session.scalar(select(Village).where(Village.code == "C1"))
    assert village.township.name == "丙镇" and count(session, Account, village_id=village.id) >= 42


def test_orgs_import_creates_and_renames(as_user, world, session):
    body = "township_code,township_name,village_code,village_name\nTA,甲镇,A1,甲一村新名\nTA,甲镇,A9,甲九村\n"
    resp = as_user("admin").post("/orgs/import", data={"file": (io.BytesIO(body.encode("gb18030")), "orgs.csv")})
    assert resp.status_code == 302
    assert _fresh(session, Village, world.a1.id).name == "甲一村新名"
    assert session.scalar(select(Village).where(Village.code == "A9")).township_id == world.township_a.id


def test_password_change(as_user, world, client):
    c = as_user("vacct")
    assert c.get("/password").status_code == 200
    resp = c.post("/password", data={"current": PASSWORD, "password": "new-pass-456", "confirm": "new-pass-456"})
    assert resp.status_code == 302
    assert c.get("/").status_code in (200, 302) and "/login" not in c.get("/").headers.get("Location", "")
    client.post("/logout")
    assert login(client, "vacct").status_code == 401
    assert login(client, "vacct", "new-pass-456").status_code == 302


def test_weak_password_is_refused(as_user, world):
    page = as_user("vacct").post("/password", data={"current": PASSWORD, "password": "12345678", "confirm": "12345678"})
    assert page.status_code == 200 and "密码须同时包含字母和数字" in page.get_data(as_text=True)


def test_logout_ends_the_session(as_user, session, world):
    c = as_user("clerk")
    resp = c.post("/logout")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login")
    assert "/login" in c.get("/").headers["Location"]
    assert count(session, AuditEvent, action="logout", actor_id=world.user("clerk").id) == 1


def test_voucher_import_page_template_and_upload(as_user, world, session):
    c = as_user("accountant")
    base = f"/t/{world.township_a.id}/import/vouchers"
    assert c.get(base).status_code == 200
    template = c.get(base + "/template.csv")
    assert template.mimetype == "text/csv" and template.data.decode("utf-8-sig").startswith("org_code,date")
    body = ("org_code,date,voucher_ref,summary,account_code,debit,credit\n"
            "A2,2024-03-02,X1,收承包费,102,500.00,\nA2,2024-03-02,X1,收承包费,501,,500.00\n")
    resp = c.post(base, data={"file": (io.BytesIO(body.encode()), "v.csv"), "post": "y"})
    assert resp.status_code == 302
    v = session.scalar(select(Voucher).where(Voucher.village_id == world.a2.id))
    assert v.status == "posted" and v.number == 1 and v.total == Decimal("500.00")


def test_a_reviewer_sends_a_draft_back_with_a_reason_the_preparer_sees_until_he_edits(as_user, world, records):
    v = records.voucher(world.a1)
    base = f"/v/{world.a1.id}/vouchers/{v.id}"
    c = as_user("reviewer")
    page = c.post(f"{base}/send-back", data={"reason": "  "}, follow_redirects=True).get_data(as_text=True)
    assert "请写明退回理由" in page and 'id="sent-back"' not in page
    page = c.post(f"{base}/send-back", data={"reason": "第2行应记入10201"}, follow_redirects=True)
    page = page.get_data(as_text=True)
    assert "已退回制单人" in page and "审核退回（reviewer" in page and "第2行应记入10201" in page
    c = as_user("accountant")
    listing = c.get(f"/v/{world.a1.id}/vouchers").get_data(as_text=True)
    assert ">已退回</span>" in listing and 'title="第2行应记入10201"' in listing
    form = {"voucher_date": v.voucher_date.isoformat(), "attachments": "1",
            "lines-0-summary": "购买办公用品", "lines-0-account": "513", "lines-0-debit": "100.00",
            "lines-1-summary": "购买办公用品", "lines-1-account": "101", "lines-1-credit": "100.00"}
    assert c.post(f"{base}/edit", data=form).status_code == 302
    assert 'id="sent-back"' not in c.get(base).get_data(as_text=True)  # answered by the edit


def test_the_entry_page_shows_the_number_the_next_posting_of_its_month_takes(as_user, world, records):
    records.voucher(world.a1, "posted", day=date(2024, 5, 3))
    c = as_user("accountant")
    page = c.get(f"/v/{world.a1.id}/vouchers/new?date=2024-05-20").get_data(as_text=True)
    assert "<strong>记-0002</strong>（预计，记账时按顺序确定）" in page and 'data-ym="2024-05"' in page
    page = c.get(f"/v/{world.a1.id}/vouchers/new?date=2024-06-01").get_data(as_text=True)
    assert "<strong>记-0001</strong>" in page
    page = c.get(f"/v/{world.a1.id}/vouchers/new?date=not-a-day").get_data(as_text=True)
    assert "凭证号：记账时确定" in page


def test_the_ledger_prints_month_and_year_totals_and_downloads(as_user, world, records):
    from openpyxl import load_workbook
    records.voucher(world.a1, "posted", day=date(2024, 3, 5), summary="三月", amount="40.00")
    records.voucher(world.a1, "posted", day=date(2024, 5, 3), summary="五月一", amount="10.00")
    records.voucher(world.a1, "posted", day=date(2024, 5, 9), summary="=五月二", amount="5.00")
    c = as_user("vacct")
    base = f"/v/{world.a1.id}/reports/ledger?account=513&from=2024-05&to=2024-05"
    body = tbody(c.get(base).get_data(as_text=True))
    month = body.split("本月合计", 1)[1].split("</tr>", 1)[0]
    year = body.split("本年累计", 1)[1].split("</tr>", 1)[0]
    assert "15.00" in month and "55.00" in year  # March counts in the year from January, not in May
    assert body.index("期初余额") < body.index("五月一") < body.index("本月合计") < body.index("本年累计") \
        < body.index("期末余额")
    rows = list(csv.DictReader(io.StringIO(c.get(base + "&format=csv").data.decode("utf-8-sig"))))
    assert [r["summary"] for r in rows] == ["期初余额", "五月一", "'=五月二", "本月合计", "本年累计", "期末余额"]
    assert (rows[4]["debit"], rows[4]["balance"], rows[4]["side"]) == ("55.00", "55.00", "借")
    sheet = load_workbook(io.BytesIO(c.get(base + "&format=xlsx").data)).active
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert "本年累计" in cells and cells["=五月二"].data_type == "s"  # a summary starting with = stays text
    assert c.get(base + "&format=pdf").data.startswith(b"%PDF")
