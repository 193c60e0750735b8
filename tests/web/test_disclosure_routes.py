"""Disclosure pages through the web: the workflow by its users, refusals, public pages and verification, batch."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from tests.conftest import login
from tests.web.access_disclosure import make_notice
from tests.web.conftest import csrf_login, csrf_token
from threeassets.core import jobs as core_jobs
from threeassets.core.jobs import Job
from threeassets.disclosure.models import Disclosure

TODAY = date.today()


@pytest.fixture
def books(records, world):
    """a1's May 2024: 12,000.00 of 土地发包 income and a 356.50 office expense."""
    records.voucher(world.a1, "posted", day=date(2024, 5, 3), summary="收到土地发包费", amount="12000.00",
                    debit="102", credit="501")
    records.voucher(world.a1, "posted", day=date(2024, 5, 8), summary="购买办公用品", amount="356.50")
    return world.a1


def notice(session, notice_id: int) -> Disclosure:
    """A fresh read of a notice, its PDF loaded (requests end the session, so nothing may load later)."""
    session.rollback()
    row = session.get(Disclosure, notice_id, populate_existing=True, options=[undefer(Disclosure.pdf)])
    session.expunge(row)  # a request's rollback would expire it otherwise (same thread, same scoped session)
    return row


def url(village, *parts) -> str:
    """/v/<id>/disclosure/… ."""
    return "/".join([f"/v/{village.id}/disclosure", *[str(p) for p in parts]])


def published(client, session, world, books) -> Disclosure:
    """Generate, submit, sign off (a1's board) and publish through the pages; returns the notice."""
    login(client, "accountant")
    resp = client.post(url(books, "generate"), data={"period": "2024-05", "layout": "a4"})
    assert resp.status_code == 302
    nid = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert client.post(url(books, nid, "submit")).status_code == 302
    login(client, "board")
    resp = client.post(url(books, nid, "signoff"), data={"names": "刘理财、王五", "signoff_on": TODAY.isoformat()})
    assert resp.status_code == 302
    login(client, "head")
    resp = client.post(url(books, nid, "publish"), data={
        "posted_on": TODAY.isoformat(), "display_until": (TODAY + timedelta(days=20)).isoformat()})
    assert resp.status_code == 302
    n = notice(session, nid)
    assert n.status == "published"
    return n


def test_the_workflow_through_its_pages(client, session, world, books):
    n = published(client, session, world, books)
    page = client.get(url(books, n.id)).get_data(as_text=True)
    assert "12,000.00" in page and "11,643.50" in page  # income and 收支相抵 beside the preview link
    assert n.sha256 in page and "期满后可撤榜归档" in page and "办理更正" in page
    pdf = client.get(url(books, n.id, "pdf"))
    assert pdf.mimetype == "application/pdf" and pdf.data == n.pdf
    history = page.split('id="history"', 1)[1]
    assert [w for w in ("生成草稿", "提交民主理财小组", "民主理财小组审核签字", "公布") if w in history] == [
        "生成草稿", "提交民主理财小组", "民主理财小组审核签字", "公布"]


def test_board_sees_submitted_notices_with_signoff_forms(client, session, world, books, ctx):
    nid = make_notice(session, world, world.a1, ctx, "submitted")
    login(client, "board")
    listing = client.get(url(books) + "?status=submitted").get_data(as_text=True)
    assert "等待您审核签字" in listing and f"/disclosure/{nid}" in listing and "生成公开榜" not in listing
    page = client.get(url(books, nid)).get_data(as_text=True)
    assert 'id="signoff-form"' in page and 'id="send-back-form"' in page and 'id="publish-form"' not in page
    resp = client.post(url(books, nid, "send-back"), data={"remarks": ""})
    assert resp.status_code == 422 and "退回意见" in resp.get_data(as_text=True)
    assert client.post(url(books, nid, "send-back"), data={"remarks": "请补列名单"}).status_code == 302
    assert (notice(session, nid).status, notice(session, nid).remarks) == ("draft", "请补列名单")


def test_only_the_board_of_that_village_signs_off(client, session, world, books, ctx):
    a2_notice = make_notice(session, world, world.a2, ctx, "submitted")
    a1_notice = make_notice(session, world, world.a1, ctx, "submitted")
    data = {"names": "刘理财", "signoff_on": TODAY.isoformat()}
    login(client, "board")  # a1's board on a2's notice, under a2 and under a1
    assert client.post(url(world.a2, a2_notice, "signoff"), data=data).status_code == 404
    assert client.post(url(world.a1, a2_notice, "signoff"), data=data).status_code == 404
    login(client, "accountant")
    assert client.post(url(world.a1, a1_notice, "signoff"), data=data).status_code == 403
    login(client, "head")
    assert client.post(url(world.a1, a1_notice, "signoff"), data=data).status_code == 403
    assert notice(session, a1_notice).status == notice(session, a2_notice).status == "submitted"


def test_signoff_form_errors_are_shown_and_nothing_written(client, session, world, books, ctx):
    nid = make_notice(session, world, world.a1, ctx, "submitted")
    login(client, "board")
    resp = client.post(url(books, nid, "signoff"), data={"names": " ", "signoff_on": TODAY.isoformat()})
    assert resp.status_code == 422 and "请填写签字的民主理财小组成员姓名" in resp.get_data(as_text=True)
    assert notice(session, nid).status == "submitted"
    resp = client.post(url(books, nid, "signoff"), data={"names": "", "signoff_on": "2026-02-30"})
    page = resp.get_data(as_text=True)  # a bad date and no names: both, at their fields and at the top
    assert resp.status_code == 422 and notice(session, nid).status == "submitted"
    assert page.count("请填写签字的民主理财小组成员姓名") == 2 and page.count("2026年2月没有30日") == 2
    assert '<div class="alert alert-danger' in page and "签字未保存：" in page


def test_display_period_under_15_days_is_refused(client, session, world, books, ctx):
    nid = make_notice(session, world, world.a1, ctx, "signed_off")
    login(client, "accountant")
    resp = client.post(url(books, nid, "publish"), data={
        "posted_on": TODAY.isoformat(), "display_until": (TODAY + timedelta(days=13)).isoformat()})
    assert resp.status_code == 422 and "公示期不少于15天" in resp.get_data(as_text=True)
    n = notice(session, nid)
    assert (n.status, n.sha256, n.published_on) == ("signed_off", None, None)


def test_a_published_notice_cannot_be_regenerated(client, session, world, books):
    n = published(client, session, world, books)
    login(client, "accountant")
    resp = client.post(url(books, n.id, "regenerate"), data={"other": "改一下", "layout": "a4"}, follow_redirects=True)
    assert "已公布" in resp.get_data(as_text=True)
    resp = client.post(url(books, "generate"), data={"period": "2024-05", "layout": "a4"})
    assert resp.status_code == 422 and "办理更正" in resp.get_data(as_text=True)
    after = notice(session, n.id)
    assert (after.pdf, after.sha256, after.content) == (n.pdf, n.sha256, n.content)


def test_a_correction_supersedes_and_the_public_sees_it(client, session, world, books, records):
    old = published(client, session, world, books)
    records.voucher(world.a1, "posted", day=date(2024, 5, 20), summary="补记租金", amount="1000.00",
                    debit="101", credit="501")
    login(client, "accountant")
    resp = client.post(url(books, old.id, "correct"))
    new_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    assert client.get(f"/verify/{notice(session, new_id).verify_code}").status_code == 404  # a draft
    client.post(url(books, new_id, "submit"))
    login(client, "board")
    client.post(url(books, new_id, "signoff"), data={"names": "刘理财", "signoff_on": TODAY.isoformat()})
    login(client, "head")
    client.post(url(books, new_id, "publish"), data={
        "posted_on": TODAY.isoformat(), "display_until": (TODAY + timedelta(days=14)).isoformat()})
    old, new = notice(session, old.id), notice(session, new_id)
    assert (old.status, old.superseded_by_id, new.status, new.version) == ("archived", new.id, "published", 2)
    client.post("/logout")
    page = client.get(f"/verify/{old.verify_code}").get_data(as_text=True)
    assert "本公开榜已被更正" in page and f"/verify/{new.verify_code}" in page
    listing = client.get(f"/public/villages/{books.id}").get_data(as_text=True)
    assert listing.count("第2版") == 1 and listing.count("第1版") == 1 and "已更正" in listing
    assert listing.index("第2版") < listing.index("第1版")


def test_the_notice_pages_offer_only_what_the_rules_allow(client, session, world, books, ctx):
    old = make_notice(session, world, world.a1, ctx, "expired")
    submitted = make_notice(session, world, world.a1, ctx, "submitted")
    login(client, "accountant")
    page = client.get(url(books, old)).get_data(as_text=True)
    assert f'action="{url(books, old, "correct")}"' in page and f'action="{url(books, old, "archive")}"' in page
    listing = client.get(url(books)).get_data(as_text=True)
    assert "审核签字</a>" not in listing  # the agency does not sign
    new_id = int(client.post(url(books, old, "correct")).headers["Location"].rsplit("/", 1)[1])
    page = client.get(url(books, old)).get_data(as_text=True)
    assert f'action="{url(books, old, "correct")}"' not in page  # v2 is under way: continued, not started again
    assert f'action="{url(books, old, "archive")}"' in page and f"/disclosure/{new_id}" in client.get(
        url(books)).get_data(as_text=True)
    login(client, "board")
    listing = client.get(url(books)).get_data(as_text=True)
    row = listing.split(f'data-id="{submitted}"', 1)[1].split("</tr>", 1)[0]
    assert "审核签字</a>" in row and listing.count("审核签字</a>") == 1


def test_public_pages_show_only_published_notices(client, session, world, books, ctx):
    hidden = {s: make_notice(session, world, world.a1, ctx, s) for s in ("draft", "submitted", "signed_off")}
    shown = make_notice(session, world, world.a1, ctx, "published")
    assert client.get("/public").status_code == 200
    assert "甲一村" in client.get("/public").get_data(as_text=True)
    assert client.get("/kiosk").get_data(as_text=True) == client.get("/public").get_data(as_text=True)  # guessed
    listing = client.get(f"/public/villages/{books.id}").get_data(as_text=True)
    assert notice(session, shown).verify_code in listing
    for status, nid in hidden.items():
        code = notice(session, nid).verify_code
        assert code not in listing
        assert client.get(f"/verify/{code}").status_code == 404, status
        assert client.get(f"/verify/{code}/pdf").status_code == 404, status
    assert client.get("/verify/not-a-real-code").status_code == 404
    assert client.get("/public/villages/999999").status_code == 404


def test_verify_page_and_pdf_of_a_published_notice(client, session, world, books):
    n = published(client, session, world, books)
    client.post("/logout")
    page = client.get(f"/verify/{n.verify_code}").get_data(as_text=True)
    assert "甲一村" in page and "2024年5月" in page and n.sha256 in page and "第1版" in page
    assert TODAY.isoformat() in page and 'id="genuine"' in page
    assert client.get(f"/verify/{n.verify_code}/pdf").data == n.pdf


def _upload(client, code: str, data: bytes):
    """Post a PDF copy to the verification page."""
    return client.post(f"/verify/{code}", data={"file": (io.BytesIO(data), "copy.pdf")},
                       content_type="multipart/form-data")


def test_a_modified_pdf_fails_verification(client, session, world, books):
    n = published(client, session, world, books)
    client.post("/logout")
    same = _upload(client, n.verify_code, n.pdf).get_data(as_text=True)
    assert 'data-match="yes"' in same and "一致" in same
    forged = n.pdf.replace(b"12,000.00", b"19,000.00") if b"12,000.00" in n.pdf else n.pdf[:-10] + b"0000000000"
    assert forged != n.pdf
    bad = _upload(client, n.verify_code, forged).get_data(as_text=True)
    assert 'data-match="no"' in bad and "不一致" in bad
    resp = client.post(f"/verify/{n.verify_code}", data={}, content_type="multipart/form-data")
    assert resp.status_code == 422 and "请选择要核对的 PDF 文件" in resp.get_data(as_text=True)


def test_verify_upload_carries_csrf(csrf_client, session, world, ctx):
    nid = make_notice(session, world, world.a1, ctx, "published")
    n = notice(session, nid)
    token = csrf_token(csrf_client, f"/verify/{n.verify_code}")
    resp = csrf_client.post(f"/verify/{n.verify_code}", data={"file": (io.BytesIO(n.pdf), "x.pdf"),
                                                              "csrf_token": token},
                            content_type="multipart/form-data")
    assert resp.status_code == 200 and 'data-match="yes"' in resp.get_data(as_text=True)
    assert csrf_client.post(f"/verify/{n.verify_code}", data={"file": (io.BytesIO(n.pdf), "x.pdf")},
                            content_type="multipart/form-data").status_code == 400
    assert csrf_login(csrf_client, "board").status_code == 302


def test_township_batch_ends_in_a_zip(client, session, world, books):
    login(client, "accountant")
    page = client.get(f"/t/{world.township_a.id}/disclosure?period=2024-05").get_data(as_text=True)
    assert "甲一村" in page and "甲二村" in page and "未生成" in page
    resp = client.post(f"/t/{world.township_a.id}/disclosure/batch", data={"period": "2024-05", "layout": "a4"})
    job_url = resp.headers["Location"]
    assert re.search(r"/jobs/\d+$", job_url)
    state = client.get(job_url + "/status").get_json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == ("done", 2, 2, 100)
    page = client.get(job_url).get_data(as_text=True)
    assert "js/jobs.js" in page and 'id="job-download"' in page and "<script>" not in page
    z = client.get(job_url + "/zip")
    assert z.mimetype == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(z.data)).namelist() == ["A1-甲一村-2024-05.pdf", "A2-甲二村-2024-05.pdf"]


def test_batch_in_a_worker_thread(app, client, session, world, books, monkeypatch):
    app.config["JOBS_INLINE"] = False
    started = []
    real_start = core_jobs.start
    monkeypatch.setattr(core_jobs, "start", lambda *a: started.append(real_start(*a)) or started[-1])
    login(client, "head")
    resp = client.post(f"/t/{world.township_a.id}/disclosure/batch", data={"period": "2024-05", "layout": "a3"})
    assert resp.status_code == 302 and len(started) == 1
    started[0].join(120)
    assert not started[0].is_alive()
    state = client.get(resp.headers["Location"] + "/status").get_json()
    assert state["status"] == "done" and state["finished"]


def test_batch_refuses_a_bad_period_and_other_townships_jobs(client, session, world, ctx):
    login(client, "accountant")
    resp = client.post(f"/t/{world.township_a.id}/disclosure/batch", data={"period": "2024-13", "layout": "a4"})
    assert resp.status_code == 422 and "月份" in resp.get_data(as_text=True)
    assert session.scalar(select(Job.id)) is None
    from tests.web.access_disclosure import _job
    tb_job = _job(session, world, world.b1, ctx)
    login(client, "head")
    assert client.get(f"/t/{world.township_a.id}/disclosure/jobs/{tb_job}/status").status_code == 404
    assert client.get(f"/t/{world.township_a.id}/disclosure/jobs/{tb_job}/zip").status_code == 404


def test_expired_zip_is_gone(client, session, world, ctx):
    from tests.web.access_disclosure import _job
    job_id = _job(session, world, world.a1, ctx)
    from threeassets.core.db import transaction
    with transaction(session):
        session.get(Job, job_id).expires_at = TODAY - timedelta(days=1)
    login(client, "accountant")
    resp = client.get(f"/t/{world.township_a.id}/disclosure/jobs/{job_id}/zip")
    assert resp.status_code == 302 and "/disclosure" in resp.headers["Location"]


def test_menus_link_the_pages(client, world, books):
    login(client, "board")
    page = client.get(url(books)).get_data(as_text=True)
    assert "待审核签字的公开榜" in page and "财务公开" in page
    login(client, "head")
    page = client.get(f"/t/{world.township_a.id}/disclosure").get_data(as_text=True)
    assert "全镇公开榜" in page and "生成全镇公开榜" in page


def test_archive_after_the_display_period(client, session, world, ctx):
    showing = make_notice(session, world, world.a1, ctx, "published")
    expired = make_notice(session, world, world.a1, ctx, "expired")
    login(client, "head")
    page = client.get(url(world.a1, showing)).get_data(as_text=True)
    assert "期满后可撤榜归档" in page and "撤榜归档</button>" not in page
    resp = client.post(url(world.a1, showing, "archive"), follow_redirects=True)
    assert "期满后才能撤榜归档" in resp.get_data(as_text=True) and notice(session, showing).status == "published"
    assert client.post(url(world.a1, expired, "archive")).status_code == 302
    assert notice(session, expired).status == "archived"
    client.post("/logout")
    assert client.get(f"/verify/{notice(session, expired).verify_code}").status_code == 200  # still verifiable


def test_a_notice_of_a_month_not_closed_warns_before_submission(client, session, world, books):
    login(client, "accountant")
    resp = client.post(url(books, "generate"), data={"period": "2024-05", "layout": "a4"})
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="unfinished-warning"' in page and "2024年5月尚未结账" in page
    assert 'data-confirm="2024年5月尚未结账' in page  # the button asks once more
    current = TODAY.strftime("%Y-%m")
    resp = client.post(url(books, "generate"), data={"period": current, "layout": "a4"})
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "尚未结束" in page
