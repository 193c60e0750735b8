"""Hostile uploads through the web: a body past any route's limit, a file past its import's limit, a zip bomb
XLSX and too many rows sent to every import, more imports than a user may have waiting. Each is refused with the
limit named — a 413 before the body is read, a 422 form, or a failed import job listing why — never a 500 or a
hang, and nothing is written."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from tests.unit.test_import_limits import _bomb
from tests.web.conftest import count, import_job
from threeassets.assets.models import Asset
from threeassets.budgets.models import Budget
from threeassets.contracts.models import Contract
from threeassets.core import jobs, uploads
from threeassets.core.csvio import MB
from threeassets.core.db import transaction
from threeassets.core.jobs import Job
from threeassets.ledger.models import Voucher
from threeassets.ledger.openings.models import OpeningBalance
from threeassets.orgs.models import Village
from threeassets.resources.models import Resource
from threeassets.subsidies.models import BatchRow, Household, Payment


def _draft(world) -> int:
    """A draft subsidy list of township A (made once per test database), for the list and payment uploads."""
    from threeassets.core.db import db, transaction
    from threeassets.subsidies.models import Batch, Policy
    session = db.session
    found = session.scalar(select(Batch.id).where(Batch.township_id == world.township_a.id))
    if found:
        return found
    with transaction(session):
        policy = session.scalar(select(Policy.id).where(Policy.township_id == world.township_a.id))
        batch = Batch(township_id=world.township_a.id, policy_id=policy, year=2025, name="第一批")
        session.add(batch)
    return batch.id


SLOT = re.compile(r"<(?:\w+:)?(\w+)>")
# Every import of the browser: (endpoint, who imports, path, what it would write).
IMPORTS = [
    ("imports.vouchers", "accountant", lambda w: f"/t/{w.township_a.id}/import/vouchers", Voucher),
    ("budgets_township.import_file", "accountant", lambda w: f"/t/{w.township_a.id}/budgets/import", Budget),
    ("resources.import_file", "accountant", lambda w: f"/v/{w.a1.id}/resources/import", Resource),
    ("contracts.import_file", "accountant", lambda w: f"/v/{w.a1.id}/contracts/import", Contract),
    ("assets.import_file", "accountant", lambda w: f"/v/{w.a1.id}/assets/import", Asset),
    ("orgs.import_file", "admin", lambda _w: "/orgs/import", Village),
    ("ledger.openings_import", "accountant", lambda w: f"/v/{w.a1.id}/openings/import", OpeningBalance),
    ("households.import_file", "accountant", lambda w: f"/v/{w.a1.id}/households/import", Household),
    ("subsidies.import_list", "accountant", lambda w: f"/t/{w.township_a.id}/subsidies/{_draft(w)}/import/list",
     BatchRow),
    ("subsidies.import_payments", "accountant",
     lambda w: f"/t/{w.township_a.id}/subsidies/{_draft(w)}/import/payments", Payment),
]
# a trial balance, previewed in the request (uploaded, or carried in the preview's form)
SWITCHOVER = {"switchover.preview", "switchover.repreview", "switchover.confirm"}


def _post_file(client, path: str, data: bytes, name: str):
    return client.post(path, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _jobs(session) -> int:
    session.rollback()
    return session.scalar(select(func.count()).select_from(Job))


def test_the_imports_listed_here_are_every_upload_with_a_limit_of_its_own(app):
    limited = {e for e, view in app.view_functions.items() if getattr(view, "upload_limit", None)}
    assert limited == {e for e, *_ in IMPORTS} | SWITCHOVER


def test_every_post_route_refuses_a_body_past_its_limit_before_reading_it(app, client):
    """Every POST of the url map, staff and public alike, anonymous: one byte past the route's limit is a 413
    naming the limit (the body is refused from its length, before the login or CSRF check reads it)."""
    app_limit = app.config["MAX_CONTENT_LENGTH"]
    body = b"a=" + b"x" * app_limit
    wrong = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        view = app.view_functions[rule.endpoint]
        own = getattr(view, "upload_limit", None)
        limit = min(own + uploads.FORM_MARGIN, app_limit) if own else app_limit
        path = SLOT.sub("1", rule.rule)
        resp = client.post(path, data=body[:limit + 1], content_type="application/x-www-form-urlencoded")
        named = uploads.size_text(own if own and own + uploads.FORM_MARGIN < app_limit else app_limit)
        page = resp.get_data(as_text=True)
        if resp.status_code != 413 or f"不能超过 <strong>{named}</strong>" not in page:
            wrong.append(f"POST {path}: {resp.status_code}")
    assert wrong == []


def test_an_oversized_csv_is_a_413_naming_the_imports_limit(as_user, world, session):
    client = as_user("accountant")
    big = b"org_code,resource_code\n" + b"A1,R\n" * (9 * MB // 5)
    resp = _post_file(client, f"/v/{world.a1.id}/resources/import", big, "big.csv")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 413 and "上传的文件过大" in page and "不能超过 <strong>8 MB</strong>" in page
    assert f'href="/v/{world.a1.id}/resources/import"' in page  # back to the form
    resp = _post_file(client, f"/t/{world.township_a.id}/import/vouchers", b"x" * (17 * MB), "v.csv")
    assert resp.status_code == 413 and "不能超过 <strong>16 MB</strong>" in resp.get_data(as_text=True)
    assert _jobs(session) == 0


def test_a_file_just_past_the_imports_limit_is_refused_on_the_form(as_user, world, session):
    """Within the request's margin yet past the file limit: the form again, the limit named, nothing queued."""
    body = b"org_code,resource_code\n" + b"A1,R\n" * ((8 * MB + 1024) // 5)
    resp = _post_file(as_user("accountant"), f"/v/{world.a1.id}/resources/import", body, "big.csv")
    assert resp.status_code == 422 and "文件超过本导入 8 MB 的上限" in resp.get_data(as_text=True)
    assert _jobs(session) == 0


@pytest.mark.parametrize("endpoint, user, path, model", IMPORTS, ids=[i[0] for i in IMPORTS])
def test_a_zip_bomb_fails_its_import_job_and_writes_nothing(endpoint, user, path, model, client, world, session):
    """A genuine bomb (1 GB of spaces in about 1 MB, past even the voucher import's 512 MB) is refused from the
    ZIP's directory: the job fails naming the limit, the upload is let go, no row is written."""
    before = count(session, model)
    login(client, user)
    state, page = import_job(client, _post_file(client, path(world), _bomb(1024 * MB), "bomb.xlsx"))
    assert state["status"] == "failed" and "导入失败，未写入任何数据" in page
    assert "解压后有 1,024 MB" in page and "压缩炸弹" in page and "<td>bomb.xlsx</td><td>1</td><td>-</td>" in page
    assert count(session, model) == before
    assert session.scalar(select(Job.file).where(Job.id == state["id"])) is None


def test_too_many_rows_fail_the_import_naming_the_limit(as_user, world, session):
    body = "org_code,year,account_code,amount\n" + "A1,2024,501,1\n" * 20_001
    client = as_user("accountant")
    state, page = import_job(client, _post_file(client, f"/t/{world.township_a.id}/budgets/import", body.encode(),
                                                "b.csv"))
    assert state["status"] == "failed" and "<td>b.csv</td><td>20002</td><td>-</td>" in page
    assert "超过 20,000 行的上限" in page and count(session, Budget) == 0


def test_the_switchover_preview_refuses_a_bomb_and_too_many_rows(as_user, world, session):
    client = as_user("accountant")
    resp = _post_file(client, f"/v/{world.a1.id}/switchover", _bomb(64 * MB), "tb.xlsx")
    assert resp.status_code == 422 and "超过本导入 16 MB 的上限" in resp.get_data(as_text=True)
    body = "account_code,account_name,debit_balance,credit_balance\n" + "101,现金,1.00,\n" * 5_001
    resp = _post_file(client, f"/v/{world.a1.id}/switchover", body.encode(), "tb.csv")
    assert resp.status_code == 422 and "超过 5,000 行的上限" in resp.get_data(as_text=True)
    assert count(session, Voucher) == 0


def test_a_user_may_have_two_imports_waiting_not_more(as_user, world, session):
    accountant = world.user("accountant")
    with transaction(session):
        for _ in range(uploads.MAX_UNFINISHED):
            session.add(Job(kind="import.budgets", township_id=world.township_a.id, status="queued",
                            created_by_id=accountant.id, file=b"x", file_name="b.csv"))
    body = b"org_code,year,account_code,amount\nA1,2024,501,1\n"
    resp = _post_file(as_user("accountant"), f"/t/{world.township_a.id}/budgets/import", body, "b.csv")
    assert resp.status_code == 422 and "您已有 2 个导入正在进行" in resp.get_data(as_text=True)
    assert _jobs(session) == uploads.MAX_UNFINISHED
    head = as_user("head")  # someone else is not held up
    assert _post_file(head, f"/t/{world.township_a.id}/budgets/import", body, "b.csv").status_code == 302


def test_an_import_runs_in_a_worker_thread(app, as_user, world, session, monkeypatch):
    app.config["JOBS_INLINE"] = False
    started = []
    real_start = jobs.start
    monkeypatch.setattr(jobs, "start", lambda *a: started.append(real_start(*a)) or started[-1])
    client = as_user("accountant")
    body = b"org_code,year,account_code,amount\nA1,2024,501,8000\n"
    resp = _post_file(client, f"/t/{world.township_a.id}/budgets/import", body, "b.csv")
    assert resp.status_code == 302 and len(started) == 1
    started[0].join(120)
    assert not started[0].is_alive()
    state = client.get(resp.headers["Location"] + "/status").get_json()
    assert (state["status"], state["done"], state["total"], state["percent"]) == ("done", 1, 1, 100)
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "导入完成：1 个村，1 份年度预算，1 行" in page and count(session, Budget) == 1


def test_a_running_import_shows_its_progress_and_polls(as_user, world, session):
    with transaction(session):
        job = Job(kind="import.vouchers", township_id=world.township_a.id, status="running", total=0,
                  file_name="v.csv", created_by_id=world.user("accountant").id)
        session.add(job)
    jobs.LIVE[jobs.ref(job)] = {"total": 40_000, "done": 10_000, "current": "已检查 10,000 行"}
    try:
        client = as_user("accountant")
        url = f"/t/{world.township_a.id}/import/vouchers/jobs/{job.id}"
        state = client.get(url + "/status").get_json()
        assert (state["percent"], state["current"], state["finished"]) == (25, "已检查 10,000 行", False)
        page = client.get(url).get_data(as_text=True)
        assert 'data-reload="true"' in page and "10000 / 40000 行" in page and "js/jobs.js" in page
        assert "离开本页不影响导入" in page and "<script>" not in page
    finally:
        jobs.LIVE.pop(jobs.ref(job), None)


def test_a_hostile_file_name_is_only_shown_escaped_and_cut(as_user, world, session):
    """The upload's name is never a path: it is kept (at most 200 characters) to be shown, escaped."""
    client = as_user("accountant")
    name = "../../" + "长" * 300 + "<script>alert(1)</script>.csv"
    body = b"org_code,year,account_code,amount\nA1,2024,501,1\n"
    state, page = import_job(client, _post_file(client, f"/t/{world.township_a.id}/budgets/import", body, name))
    assert state["status"] == "done" and "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert len(session.scalar(select(Job.file_name).where(Job.id == state["id"]))) == 200
