"""Claim pages: the village's form (validation, receipts, submit, read-only after), the township inbox and 接件,
the 白条 flag, masking, returned claims, cross-village 404 and the oversight board."""
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.conftest import login
from tests.web.access_claims import claim_form, make_claim
from tests.web.conftest import PNG, count, tbody
from threeassets.attachments.models import Attachment
from threeassets.claims.models import Claim


def new_claim(client, world, **kw):
    """POST the new-claim form as the logged-in user; returns the response."""
    data = claim_form(**kw)
    data.setdefault("receipts", (io.BytesIO(PNG), "发票.png"))
    return client.post(f"/v/{world.a1.id}/claims/new", data=data, content_type="multipart/form-data")


def latest(session) -> Claim:
    session.rollback()
    return session.scalar(select(Claim).order_by(Claim.id.desc()))


def test_village_accountant_saves_and_submits(client, world, session):
    login(client, "vacct")
    resp = new_claim(client, world, action="submit")
    assert resp.status_code == 302
    claim = latest(session)
    assert claim.status == "submitted" and claim.number.startswith("A1-BZ")
    assert count(session, Attachment, owner_type="claim", owner_id=claim.id) == 1
    page = client.get(f"/v/{world.a1.id}/claims/{claim.id}").get_data(as_text=True)
    assert "已提交待接件" in page and "*" * 15 + "6789" in page and "6222021000123456789" not in page
    assert "查看完整账号" not in page  # a village accountant does not pay
    assert f"/v/{world.a1.id}/claims/{claim.id}/edit" not in page  # read-only for the village now
    resp = client.get(f"/v/{world.a1.id}/claims/{claim.id}/edit")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/claims/{claim.id}")
    typed = claim_form(payee="另一个收款人")  # saved from a tab opened before the claim was submitted
    resp = client.post(f"/v/{world.a1.id}/claims/{claim.id}/edit", data=typed, content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "报账单未保存" in page and 'value="另一个收款人"' in page
    assert "尚未保存" in page and f'href="/v/{world.a1.id}/claims/{claim.id}">查看报账单 ' in page
    assert latest(session).payee != "另一个收款人" and latest(session).status == "submitted"


@pytest.mark.parametrize("field, value, message", [
    ("lines-0-amount", "12.345", "第1行：金额最多两位小数"),
    ("lines-0-amount", "abc", "第1行：“abc”不是有效金额"),
    ("occurred_on", "2024-13-01", "发生日期“2024-13-01”不是日期"),
    ("payee", "", "请填写收款人"),
])
def test_form_errors_write_nothing_but_hold_the_chosen_file(client, world, session, field, value, message):
    login(client, "vacct")
    resp = new_claim(client, world, **{field: value})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert f'<div class="invalid-feedback" id="{field}-why">{message}' in page  # at its field
    assert count(session, Claim) == 0 and count(session, Attachment, owner_type="claim") == 0
    assert count(session, Attachment, owner_type="claim:held") == 1 and "已选的票据文件已暂存" in page


def test_bad_account_is_refused_on_submit_with_line_named(client, world, session):
    login(client, "vacct")
    data = claim_form(action="submit", **{"lines-1-purpose": "打印", "lines-1-account_code": "999",
                                          "lines-1-amount": "5", "lines-1-invoice": "vat"})
    data["receipts"] = (io.BytesIO(PNG), "发票.png")
    resp = client.post(f"/v/{world.a1.id}/claims/new", data=data, content_type="multipart/form-data")
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "第2行：本村没有科目 999，请输入编码或名称从列表中选择" in page and "is-invalid" in page
    assert "报账单已保存，但还不能提交，请改正以下 1 处" in page
    claim = latest(session)
    assert claim.status == "draft" and claim.number == ""  # saved as a draft, not submitted
    assert count(session, Attachment, owner_type="claim", owner_id=claim.id) == 1  # with its receipt


def test_account_picker_offers_the_villages_leaves(client, world, records):
    records.sub_account(world.a1, "513", "办公费")
    login(client, "vacct")
    page = client.get(f"/v/{world.a1.id}/claims/new").get_data(as_text=True)
    import json
    from html import unescape
    data = page.split('<script type="application/json" id="claim-accounts">', 1)[1].split("</script>", 1)[0]
    codes = {a["code"]: a for a in json.loads(unescape(data))}
    assert "51301" in codes and "514" in codes and codes["51301"]["fpy"].startswith("glfy")  # pinyin for the picker
    assert "513" not in codes and "101" not in codes and "501" not in codes  # expense leaves only
    assert 'data-picker="claim-accounts"' in page


@pytest.mark.parametrize("name, blob, why", [
    ("票据.png", b"this is only text pretending to be a PNG", "只接受 JPG、PNG 图片或 PDF 文件"),
    ("大票据.png", PNG + b"0" * (5 * 1024 * 1024), "超过 5 MB 上限"),
    ("发票.pdf", PNG, "文件扩展名与内容不符"),
])
def test_upload_limits_write_nothing(client, world, session, name, blob, why):
    claim_id, _ = make_claim(session, world, world.a1)
    login(client, "vacct")
    resp = client.post(f"/v/{world.a1.id}/claims/{claim_id}/receipts", content_type="multipart/form-data",
                       data={"receipts": [(io.BytesIO(PNG), "好的.png"), (io.BytesIO(blob), name)]})
    assert resp.status_code == 302
    assert why in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert count(session, Attachment) == 1  # only the receipt made with the claim: the good file went too


def test_every_refused_file_of_an_upload_is_named(client, world, session):
    claim_id, _ = make_claim(session, world, world.a1)
    login(client, "vacct")
    resp = client.post(f"/v/{world.a1.id}/claims/{claim_id}/receipts", content_type="multipart/form-data",
                       data={"receipts": [(io.BytesIO(b"text"), "一.png"), (io.BytesIO(PNG), "二.pdf")]})
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "一.png：只接受 JPG、PNG 图片或 PDF 文件" in page and "二.pdf：文件扩展名与内容不符" in page
    assert count(session, Attachment) == 1


def test_refused_upload_in_the_form_keeps_nothing(client, world, session):
    login(client, "vacct")
    resp = new_claim(client, world, receipts=(io.BytesIO(b"plain text"), "假图片.png"))
    assert resp.status_code == 422 and "只接受 JPG、PNG 图片或 PDF 文件" in resp.get_data(as_text=True)
    assert count(session, Claim) == 0 and count(session, Attachment) == 0


def test_white_slip_is_red_on_list_and_page(client, world, session):
    login(client, "vacct")
    new_claim(client, world, **{"lines-0-invoice": "none"})
    claim = latest(session)
    assert claim.white_slip
    rows = tbody(client.get(f"/v/{world.a1.id}/claims").get_data(as_text=True))
    assert "claims-row-white" in rows and "白条" in rows
    page = client.get(f"/v/{world.a1.id}/claims/{claim.id}").get_data(as_text=True)
    assert "无票白条" in page and "claims-white" in page


def test_vacct_of_a1_gets_404_on_a2_claims(client, world, session):
    a2_claim, a2_receipt = make_claim(session, world, world.a2)
    login(client, "vacct")
    for path in (f"/v/{world.a2.id}/claims/{a2_claim}", f"/v/{world.a1.id}/claims/{a2_claim}",
                 f"/v/{world.a1.id}/claims/{a2_claim}/edit", f"/v/{world.a2.id}/attachments/{a2_receipt}",
                 f"/v/{world.a1.id}/attachments/{a2_receipt}"):
        assert client.get(path).status_code == 404, path
    for path in (f"/v/{world.a1.id}/claims/{a2_claim}/submit", f"/v/{world.a1.id}/claims/{a2_claim}/delete"):
        assert client.post(path).status_code == 404, path
    session.rollback()
    assert session.get(Claim, a2_claim).status == "draft"


def test_receipt_of_another_claim_cannot_be_removed(client, world, session):
    first, _ = make_claim(session, world, world.a1)
    _, other_receipt = make_claim(session, world, world.a1)
    login(client, "vacct")
    resp = client.post(f"/v/{world.a1.id}/claims/{first}/receipts/delete", data={"attachment_id": other_receipt})
    assert resp.status_code == 404
    assert count(session, Attachment) == 2


def test_inbox_lists_submitted_claims_not_drafts(client, world, session):
    submitted, _ = make_claim(session, world, world.a1, submit=True)
    make_claim(session, world, world.a2)  # a draft: stays in the village
    make_claim(session, world, world.b1, submit=True)  # another township
    login(client, "clerk")
    rows = tbody(client.get(f"/t/{world.township_a.id}/claims").get_data(as_text=True))
    assert rows.count("<tr") == 1 and "接件" in rows
    rows = tbody(client.get(f"/t/{world.township_a.id}/claims?status=all").get_data(as_text=True))
    assert rows.count("<tr") == 1
    resp = client.post(f"/v/{world.a1.id}/claims/{submitted}/receive", data={"back": "inbox"})
    assert resp.status_code == 302 and "/hall/" in resp.headers["Location"]
    session.rollback()
    assert session.get(Claim, submitted).status == "received"


def test_returned_claim_shows_reason_and_is_editable(client, world, session):
    from threeassets.core.db import transaction
    from threeassets.windows import service as windows
    claim_id, _ = make_claim(session, world, world.a1, submit=True)
    login(client, "clerk")
    client.post(f"/v/{world.a1.id}/claims/{claim_id}/receive")
    session.rollback()
    case = session.scalar(select(windows.Case).where(windows.Case.claim_id == claim_id))
    with transaction(session):
        windows.reject(session, case, session.merge(world.user("clerk")), "发票抬头不是本村")
    session.expunge_all()
    login(client, "vacct")
    rows = tbody(client.get(f"/v/{world.a1.id}/claims").get_data(as_text=True))
    assert "已退回" in rows and "退回理由：发票抬头不是本村" in rows
    assert client.get(f"/v/{world.a1.id}/claims/{claim_id}/edit").status_code == 200
    resp = client.post(f"/v/{world.a1.id}/claims/{claim_id}/edit", content_type="multipart/form-data",
                       data=claim_form(action="submit"))
    assert resp.status_code == 302
    session.rollback()
    assert session.get(Claim, claim_id).status == "submitted"


def test_oversight_board_and_export(client, world, session):
    claim_id, _ = make_claim(session, world, world.a1, submit=True)
    login(client, "clerk")
    client.post(f"/v/{world.a1.id}/claims/{claim_id}/receive")
    login(client, "head")
    page = client.get(f"/t/{world.township_a.id}/oversight").get_data(as_text=True)
    assert "督办看板" in page and "村级报账" in page
    assert "月份“2024-13”无效" in client.get(f"/t/{world.township_a.id}/oversight?month=2024-13",
                                               follow_redirects=True).get_data(as_text=True)
    resp = client.get(f"/t/{world.township_a.id}/oversight.xlsx?month=2024-05")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb["在办情况"]["B3"].value and "2024-05" in wb["月度统计"]["A1"].value


def test_clerk_cannot_see_the_board(client, world):
    login(client, "clerk")
    assert client.get(f"/t/{world.township_a.id}/oversight").status_code == 403


def test_deleting_a_draft(client, world, session):
    claim_id, _ = make_claim(session, world, world.a1)
    login(client, "vacct")
    assert client.post(f"/v/{world.a1.id}/claims/{claim_id}/delete").status_code == 302
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Claim)) == 0


def test_claim_pages_offer_what_the_claim_rules_allow(client, world, session):
    draft, _ = make_claim(session, world, world.a1)
    sent, _ = make_claim(session, world, world.a1, submit=True)
    base = f"/v/{world.a1.id}/claims"
    village_moves = ("edit", "submit", "delete", "receipts")
    login(client, "vacct")
    page = client.get(f"{base}/{draft}").get_data(as_text=True)
    assert all(f"{base}/{draft}/{x}" in page for x in village_moves) and f"{base}/{draft}/receive" not in page
    page = client.get(f"{base}/{sent}").get_data(as_text=True)
    assert not any(f"{base}/{sent}/{x}" in page for x in (*village_moves, "receive"))
    rows = tbody(client.get(base).get_data(as_text=True))
    assert f"{base}/{draft}/edit" in rows and f"{base}/{sent}/edit" not in rows
    login(client, "clerk")
    page = client.get(f"{base}/{draft}").get_data(as_text=True)
    assert not any(f"{base}/{draft}/{x}" in page for x in (*village_moves, "receive"))
    page = client.get(f"{base}/{sent}").get_data(as_text=True)
    assert f"{base}/{sent}/receive" in page and not any(f"{base}/{sent}/{x}" in page for x in village_moves)
    rows = tbody(client.get(f"/t/{world.township_a.id}/claims?status=all").get_data(as_text=True))
    assert f"{base}/{sent}/receive" in rows


def test_the_payers_see_the_whole_account_with_the_bank_kept_and_each_viewing_audited(client, session, world):
    from sqlalchemy import func, select

    from tests.conftest import login
    from tests.web.access_claims import make_claim
    from threeassets.claims.models import Claim
    from threeassets.core.audit import AuditEvent
    from threeassets.core.db import transaction
    claim_id, _ = make_claim(session, world, world.a1, submit=True)
    with transaction(session):
        session.get(Claim, claim_id).payee_account = "县农商银行城关支行 6222 0210 0012 3456 789"
    base = f"/v/{world.a1.id}/claims/{claim_id}"
    login(client, "board")
    page = client.get(base).get_data(as_text=True)
    assert "县农商银行城关支行" in page and "6789" in page and "0012" not in page and "查看完整账号" not in page
    assert client.post(f"{base}/account").status_code == 403
    client.post("/logout")
    login(client, "accountant")
    page = client.get(base).get_data(as_text=True)
    assert "县农商银行城关支行" in page and "0012" not in page and "查看完整账号（付款用）" in page
    page = client.post(f"{base}/account").get_data(as_text=True)
    assert "6222 0210 0012 3456 789" in page and "已记入审计日志" in page
    viewed = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "claim.account_view",
                                                                AuditEvent.object_id == claim_id)
    assert session.scalar(viewed) == 1
    login(client, "accountant_b")
    assert client.post(f"{base}/account").status_code == 404


def test_the_voucher_from_a_claim_links_back_and_flags_its_white_slip_lines(client, session, world):
    from tests.conftest import login
    from tests.web.access_claims import make_claim
    from threeassets.claims import service
    from threeassets.claims.models import Claim, ClaimLine
    from threeassets.core.db import transaction
    from threeassets.windows import service as windows
    from threeassets.windows.catalogue import ensure_default_catalogue

    claim_id, _ = make_claim(session, world, world.a1, submit=True)
    with transaction(session):
        claim = session.get(Claim, claim_id)
        session.add(ClaimLine(claim_id=claim.id, village_id=claim.village_id, seq=2, purpose="临时工误工费",
                              account_code="514", amount=Decimal("60.00"), invoice="none"))
        claim.total += Decimal("60.00")
        ensure_default_catalogue(session, session.merge(world.township_a))
        case = service.receive(session, claim=claim, actor=world.user("clerk"))
        windows.record_materials(session, case, world.user("clerk"), {m.id: (True, True) for m in case.checklist})
        windows.accept(session, case, world.user("clerk"))
        voucher_id, case_id = claim.voucher_id, case.id
    login(client, "reviewer")
    page = client.get(f"/v/{world.a1.id}/vouchers/{voucher_id}").get_data(as_text=True)
    assert f'/v/{world.a1.id}/claims/{claim_id}"' in page and "1 行为白条" in page
    assert page.count("white-flag") == 1 and "待代理会计核对保存" in page
    assert f"/vouchers/{voucher_id}/review" not in page  # no 审核 before an agency accountant saved it
    login(client, "clerk")
    case_page = client.get(f"/t/{world.township_a.id}/hall/cases/{case_id}").get_data(as_text=True)
    assert f'id="case-claim" href="/v/{world.a1.id}/claims/{claim_id}"' in case_page


def test_every_bad_line_of_a_claim_is_named_at_once(client, world):
    login(client, "vacct")
    data = claim_form(purpose=" ", code="999", amount="abc", **{
        "lines-1-purpose": "打印纸", "lines-1-account_code": "101", "lines-1-amount": "-5", "lines-1-invoice": "vat",
        "action": "submit"})
    resp = client.post(f"/v/{world.a1.id}/claims/new", data=data)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "第1行" in page and "第2行" in page  # both lines' problems on the same answer
    assert page.count("is-invalid") >= 4


def test_over_long_text_is_named_with_its_length_never_cut(client, world, session):
    login(client, "vacct")
    before = count(session, Claim)
    payee, purpose = "县城𠀀文具店" * 17, "购买" * 101  # 102 and 202 characters (a rare one counted once)
    resp = new_claim(client, world, payee=payee, purpose=purpose, head_name="赵" * 51)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and count(session, Claim) == before
    assert _why(page, "payee") == "收款人最多100字（现 102 字）"
    assert _why(page, "head_name") == "村主任最多50字（现 51 字）"
    assert _why(page, "lines-0-purpose") == "第1行：用途最多200字（现 202 字）"
    assert f'value="{payee}"' in page and f'value="{purpose}"' in page  # kept as typed, whole


# ---------------------------------------------------------------- every problem at once, each at its field

def _why(page: str, field: str) -> str:
    """The message shown under a field."""
    return page.split(f'id="{field}-why">', 1)[1].split("</div>", 1)[0]


def _listed(page: str) -> list[str]:
    """The problems listed above the form, in order."""
    box = page.split('id="claim-problems"', 1)[1].split("</ol>", 1)[0]
    return [item.split(">", 1)[1].split("</a>", 1)[0] for item in box.split('<a class="alert-link')[1:]]


def test_the_testers_claim_names_every_problem_at_once_and_keeps_the_receipt(client, world, session):
    login(client, "vacct")
    resp = new_claim(client, world, action="submit", handler_name="", **{
        "lines-1-purpose": "打印机墨盒", "lines-1-account_code": "514", "lines-1-amount": "10.005",
        "lines-1-invoice": "vat"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert _listed(page) == ["第2行：金额最多两位小数", "请填写经办人"]
    assert _why(page, "lines-1-amount") == "第2行：金额最多两位小数" and _why(page, "handler_name") == "请填写经办人"
    assert 'href="#lines-1-amount"' in page and 'id="lines-1-amount"' in page  # the list leads to the field
    assert "请上传报账票据" not in page and count(session, Claim) == 0  # the chosen receipt counts, and is held
    held = session.scalar(select(Attachment).where(Attachment.owner_type == "claim:held"))
    assert f'name="held" value="{held.id}"' in page and "表单有误，报账单未保存；已选的票据文件已暂存" in page
    data = claim_form(action="submit", **{"lines-1-purpose": "打印机墨盒", "lines-1-account_code": "514",
                                          "lines-1-amount": "10.05", "lines-1-invoice": "vat", "held": str(held.id)})
    resp = client.post(f"/v/{world.a1.id}/claims/new", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302  # no file chosen again
    claim = latest(session)
    assert claim.status == "submitted" and claim.total == Decimal("130.05")
    receipts = session.scalars(select(Attachment).where(Attachment.owner_type == "claim",
                                                        Attachment.owner_id == claim.id)).all()
    assert [(a.id, a.filename) for a in receipts] == [(held.id, "发票.png")]


@pytest.mark.parametrize("dates, field, message", [
    ({"occurred_on": "2027-03-01", "signed_on": "2026-12-07"}, "occurred_on", "发生日期不能晚于今天"),
    ({"occurred_on": "2026-12-01", "signed_on": "2027-01-01"}, "signed_on", "签字日期不能晚于今天"),
    ({"occurred_on": "2025-01-02", "signed_on": "2025-01-01"}, "signed_on", "签字日期不能早于发生日期 2025-01-02"),
    ({"occurred_on": "2019-01-02", "signed_on": "2019-01-03"}, "occurred_on", "发生日期不能早于 2023-12-07"),
])
def test_impossible_dates_are_refused_at_their_field(client, world, session, monkeypatch, dates, field, message):
    from datetime import datetime

    from threeassets.core import clock
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 7, 10, 0))
    login(client, "vacct")
    for action in ("save", "submit"):
        resp = new_claim(client, world, action=action, **dates)
        assert resp.status_code == 422, action
        page = resp.get_data(as_text=True)
        assert _why(page, field).startswith(message) and message in _listed(page)[0]
    assert count(session, Claim) == 0  # nothing saved


def test_messages_say_the_real_reason(client, world, session):
    login(client, "vacct")
    resp = new_claim(client, world, action="submit", payee_account="123", contact_phone="12345",
                     **{"lines-0-account_code": "101"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert _why(page, "payee_account").startswith("收款账号“123”只有3位数字，不是完整的银行账号")
    assert "银行账号一般为10至30位数字" in _why(page, "payee_account") and "须填写收款账号" not in page
    assert _why(page, "lines-0-account_code").startswith("第1行：101 库存现金是付款的科目")
    assert "不是本村的末级科目" not in page
    assert _why(page, "contact_phone").startswith("报账员电话“12345”不是11位手机号")
    assert ">民主理财小组签字人</label>" in page


def test_a_refused_file_is_named_beside_the_other_problems_and_nothing_is_held(client, world, session):
    login(client, "vacct")
    resp = new_claim(client, world, action="submit", head_name="",
                     receipts=[(io.BytesIO(PNG), "好的.png"), (io.BytesIO(b"plain text"), "假图片.png")])
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert _listed(page) == ["请填写村主任",
                             "假图片.png：只接受 JPG、PNG 图片或 PDF 文件。所选文件都未保存，请重新选择"]
    assert count(session, Attachment) == 0 and "已暂存" not in page


def test_only_the_users_own_held_files_of_the_village_join_a_claim(client, world, session):
    from datetime import datetime

    from threeassets.claims import service
    from threeassets.core.db import transaction
    with transaction(session):
        others = service.hold_receipts(session, village_id=world.a1.id, actor=world.user("board"),
                                       files=[("别人的.png", PNG)], keep=[], now=datetime.now())
        elsewhere = service.hold_receipts(session, village_id=world.a2.id, actor=world.user("vacct"),
                                          files=[("别村的.png", PNG)], keep=[], now=datetime.now())
        ids = [str(others[0].id), str(elsewhere[0].id)]
    session.expunge_all()
    login(client, "vacct")
    data = claim_form(action="submit", held=ids)
    resp = client.post(f"/v/{world.a1.id}/claims/new", data=data, content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "有 2 个暂存的票据文件已失效" in _why(page, "receipts")
    assert "别人的.png" not in page and "别村的.png" not in page
    assert count(session, Attachment, owner_type="claim") == 0 and count(session, Attachment) == 2
    assert client.post(f"/v/{world.a2.id}/claims/new", data=claim_form()).status_code == 404


def test_user_text_in_messages_is_escaped(client, world, session):
    login(client, "vacct")
    resp = new_claim(client, world, action="submit", payee_account="<b>123</b>", occurred_on="<i>x</i>")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "<b>123</b>" not in page and "<i>x</i>" not in page
    assert "&lt;b&gt;123&lt;/b&gt;" in page


def test_submitting_a_saved_draft_lists_every_problem_at_its_field(client, world, session):
    from threeassets.core.db import transaction
    claim_id, receipt = make_claim(session, world, world.a1)
    with transaction(session):
        claim = session.get(Claim, claim_id)
        claim.handler_name, claim.payee_account = "", "123"
        session.delete(session.get(Attachment, receipt))
    login(client, "vacct")
    resp = client.post(f"/v/{world.a1.id}/claims/{claim_id}/submit")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert [x[:8] for x in _listed(page)] == ["收款账号“123", "请填写经办人", "请上传报账票据（"]
    assert _why(page, "receipts").startswith("请上传报账票据") and "报账单已保存，但还不能提交" in page


def test_on_a_phone_the_lines_are_labelled_cards_with_one_blank_line(client, world):
    login(client, "vacct")
    page = client.get(f"/v/{world.a1.id}/claims/new").get_data(as_text=True)
    rows = tbody(page)
    assert rows.count('class="claim-line"') == 1 and rows.count('class="claim-line claims-spare"') == 2
    for label in ("用途", "建议科目", "金额（元）", "票据类型"):
        assert rows.count(f'<td data-label="{label}">') == 3
    assert '<span class="claims-line-word">第</span><span class="claims-line-n">1</span>' in rows


def test_a_held_receipt_that_expired_is_said_to_be_gone(client, world, session, monkeypatch):
    from datetime import datetime, timedelta

    from threeassets.attachments.service import HOLD_FOR
    from threeassets.claims import service
    from threeassets.core import clock
    from threeassets.core.db import transaction
    then = datetime.now()
    with transaction(session):
        held = service.hold_receipts(session, village_id=world.a1.id, actor=world.user("vacct"),
                                     files=[("发票.png", PNG)], keep=[], now=then)
        held_id = str(held[0].id)
    session.expunge_all()
    monkeypatch.setattr(clock, "now", lambda: then + HOLD_FOR + timedelta(minutes=1))
    login(client, "vacct")
    resp = client.post(f"/v/{world.a1.id}/claims/new", data=claim_form(held=held_id),
                       content_type="multipart/form-data")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and count(session, Claim) == 0
    assert _why(page, "receipts") == "有 1 个暂存的票据文件已失效（超过24小时或已随其他报账单保存），请重新选择"
    assert count(session, Attachment) == 0  # the expired file was deleted
