"""The township voucher-import page: access, scope, all-or-nothing, encodings."""
import io

from sqlalchemy import func, select

from tests.web.conftest import import_job
from threeassets.ledger.models import Voucher

HEADER = "org_code,date,voucher_ref,summary,account_code,debit,credit\n"


def _upload(client, township_id, text: str, encoding="utf-8", name="v.csv", post=False):
    data = {"file": (io.BytesIO(text.encode(encoding)), name)}
    if post:
        data["post"] = "y"
    return client.post(f"/t/{township_id}/import/vouchers", data=data, content_type="multipart/form-data")


def _count(session):
    session.rollback()
    return session.scalar(select(func.count(Voucher.id)))


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(f"/t/{world.township_a.id}/import/vouchers").status_code == 302


def test_roles_without_posting_right_get_403(as_user, world):
    for user in ("reviewer", "clerk", "supervisor"):
        c = as_user(user)
        assert c.get(f"/t/{world.township_a.id}/import/vouchers").status_code == 403, user
        c.post("/logout")


def test_other_township_is_404(as_user, world):
    c = as_user("accountant")
    assert c.get(f"/t/{world.township_b.id}/import/vouchers").status_code == 404
    assert c.get(f"/t/{world.township_b.id}/import/vouchers/template.csv").status_code == 404
    village_user = as_user("vacct")
    assert village_user.get(f"/t/{world.township_a.id}/import/vouchers").status_code == 404


def test_gbk_file_imports_and_posts(as_user, world, session):
    c = as_user("accountant")
    body = HEADER + "A1,2024-03-05,H-1,历史凭证,513,10.50,\nA1,2024-03-05,H-1,历史凭证,101,,10.50\n"
    state, page = import_job(c, _upload(c, world.township_a.id, body, encoding="gbk", post=True))
    assert state["status"] == "done" and "导入完成：1 个村，1 张凭证（2 行），状态：已记账" in page
    v = session.scalar(select(Voucher).where(Voucher.source_ref == "H-1"))
    assert v.status == "posted" and v.number == 1 and str(v.total) == "10.50"


def test_other_townships_village_in_file_writes_nothing(as_user, world, session):
    c = as_user("accountant")
    body = HEADER + ("A1,2024-03-05,H-1,ok,513,1.00,\nA1,2024-03-05,H-1,ok,101,,1.00\n"
                     "B1,2024-03-05,H-2,forged,513,1.00,\nB1,2024-03-05,H-2,forged,101,,1.00\n")
    state, page = import_job(c, _upload(c, world.township_a.id, body))
    assert state["status"] == "failed"
    assert "B1 不属于本乡镇" in page and "<td>4</td>" in page
    assert _count(session) == 0


def test_bad_rows_listed_with_line_and_column(as_user, world, session):
    c = as_user("accountant")
    body = HEADER + "A1,2024-03-05,H-1,x,513,1.005,\nA1,2024-13-05,H-1,x,101,,1.00\n"
    state, page = import_job(c, _upload(c, world.township_a.id, body, encoding="utf-8-sig"))
    assert state["status"] == "failed"
    assert "<td>2</td><td>debit</td>" in page.replace("\n", "").replace(" ", "")
    assert "<td>3</td><td>date</td>" in page.replace("\n", "").replace(" ", "")
    assert _count(session) == 0


def test_wrong_file_type_refused(as_user, world, session):
    c = as_user("accountant")
    resp = _upload(c, world.township_a.id, HEADER, name="v.txt")
    assert resp.status_code == 422 and "只接受 CSV 或 XLSX" in resp.data.decode()


def test_template_download(as_user, world):
    c = as_user("head")
    resp = c.get(f"/t/{world.township_a.id}/import/vouchers/template.csv")
    assert resp.status_code == 200
    assert resp.data.decode("utf-8-sig").splitlines()[0] == HEADER.strip()


def test_every_import_page_names_its_columns_in_chinese_beside_the_codes(as_user, world):
    c = as_user("head")
    t, v = world.township_a.id, world.a1.id
    pages = {f"/t/{t}/import/vouchers": "<code>voucher_ref</code>（原凭证号）",
             f"/t/{t}/budgets/import": "<code>year</code>（年度）",
             f"/v/{v}/resources/import": "<code>area_mu</code>（面积（亩））",
             f"/v/{v}/contracts/import": "<code>party_id_no</code>（证件号码）",
             f"/v/{v}/assets": "<code>useful_life_months</code>（使用月数）",
             f"/v/{v}/switchover": "<code>debit_balance</code>（借方余额）"}
    for path, shown in pages.items():
        page = c.get(path).get_data(as_text=True)
        assert "<code>org_code</code>（村编码）" in page or "account_code" in page, path
        assert shown in page, path
