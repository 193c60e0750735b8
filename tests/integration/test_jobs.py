"""The background job mechanism (core/jobs.py) and the import jobs on it (core/uploads.py), on the test database:
a handler's result, refusal or crash stored on the row, progress readable while the job holds the write lock,
a job run once, stale runs and old files let go; an import all-or-nothing with its errors kept."""
from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from threeassets.core import jobs
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.jobs import CountyJob, Job
from threeassets.ledger.models import Voucher

SEEN: dict[str, object] = {}


@jobs.handles("test.echo")
def _echo(session, job, progress):
    """Test handler: report progress inside a write transaction, look at the status from elsewhere, end as asked."""
    args = job.args
    with transaction(session):
        session.add(CountyJob(kind="test.echo", status="done", file_name="written by the job"))
        progress(total=4, done=3, current="第三步")
        with Session(db.engine) as other:  # another connection, while this one holds the write lock
            SEEN["status"] = jobs.status(other.get(type(job), job.id))
    if args.get("fail") == "rule":
        raise RuleError("不可以")
    if args.get("fail") == "failed":
        raise jobs.Failed("文件有错", result=json.dumps({"why": 1}), file=None)
    if args.get("fail") == "crash":
        raise ZeroDivisionError("boom")
    return {"result": json.dumps({"ok": True}), "file": b"made", "file_name": "out.zip"}


def _queued(session, **params) -> jobs.Ref:
    """A county job (no township named) of the test handler."""
    with transaction(session):
        job = jobs.create(session, kind="test.echo", params=params, file=b"upload", file_name="in.csv")
    return jobs.ref(job)


def _row(session, job: jobs.Ref) -> Job | CountyJob:
    session.rollback()  # a fresh read: the job wrote on its own connection
    return session.get(jobs.MODELS[job[0]], job[1], populate_existing=True)


def test_a_job_runs_its_handler_and_keeps_what_it_returns(session):
    job_id = _queued(session)
    jobs.run(job_id)
    job = _row(session, job_id)
    assert (job.status, job.file, job.file_name, job.outcome) == ("done", b"made", "out.zip", {"ok": True})
    assert job.finished_at is not None and jobs.status(job)["percent"] == 75 and jobs.status(job)["finished"]
    assert job_id not in jobs.LIVE and job_id not in jobs.THREADS


def test_progress_is_read_from_the_board_while_the_job_holds_the_write_lock(session):
    jobs.run(_queued(session))
    assert SEEN["status"]["status"] == "running"
    assert (SEEN["status"]["done"], SEEN["status"]["total"], SEEN["status"]["current"]) == (3, 4, "第三步")


@pytest.mark.parametrize("fail, error, outcome", [
    ("rule", "不可以", {}),
    ("failed", "文件有错", {"why": 1}),
])
def test_a_refused_job_says_why(fail, error, outcome, session):
    job_id = _queued(session, fail=fail)
    before = session.scalar(select(func.count()).select_from(CountyJob))
    jobs.run(job_id)
    job = _row(session, job_id)
    assert (job.status, job.error, job.outcome) == ("failed", error, outcome)
    assert session.scalar(select(func.count()).select_from(CountyJob)) == before + 1  # its own write stayed (committed)


def test_a_crash_is_logged_and_worded_for_the_clerk(session, caplog):
    job_id = _queued(session, fail="crash")
    with caplog.at_level(logging.ERROR, logger="threeassets.core.jobs"):
        jobs.run(job_id)
    job = _row(session, job_id)
    assert job.status == "failed" and job.error.startswith("系统错误") and "boom" not in job.error
    assert "boom" in caplog.text


def test_a_job_runs_once(session):
    job_id = _queued(session)
    jobs.run(job_id)
    finished = _row(session, job_id).finished_at
    jobs.run(job_id)  # a second worker for the same row (or a retry) finds it no longer queued
    assert _row(session, job_id).finished_at == finished


def test_expire_lets_go_of_stale_runs_and_old_files(session):
    stale, old = _queued(session), _queued(session)
    jobs.run(old)
    with transaction(session):
        session.get(CountyJob, stale[1]).created_at = datetime.now() - jobs.STALE - timedelta(minutes=1)
        session.get(CountyJob, old[1]).expires_at = datetime.now() - timedelta(minutes=1)
    with transaction(session):
        assert jobs.expire(session) == 2
    assert (_row(session, stale).status, _row(session, stale).file) == ("failed", None)
    assert "服务曾重启" in _row(session, stale).error
    assert (_row(session, old).status, _row(session, old).file) == ("expired", None)


ENTERED, RELEASE = threading.Semaphore(0), threading.Event()


@jobs.handles("test.block")
def _block(session, job, progress):
    """Test handler: say it runs, then wait to be let go."""
    ENTERED.release()
    assert RELEASE.wait(60)


def test_a_process_runs_two_jobs_at_a_time_and_the_others_wait(session):
    RELEASE.clear()
    ids = []
    for _ in range(jobs.WORKERS + 1):
        with transaction(session):
            ids.append(jobs.ref(jobs.create(session, kind="test.block")))
    workers = [jobs.start(job_id) for job_id in ids]
    try:
        for _ in range(jobs.WORKERS):
            assert ENTERED.acquire(timeout=60)
        states = sorted(_row(session, job_id).status for job_id in ids)
        assert states == ["queued"] + ["running"] * jobs.WORKERS  # the last one waits for a free slot
    finally:
        RELEASE.set()
        for worker in workers:
            worker.join(60)
    assert [_row(session, job_id).status for job_id in ids] == ["done"] * len(ids)


def test_a_township_job_and_a_county_job_each_in_its_table_and_scope(session, world):
    with transaction(session):
        mine = jobs.create(session, kind="test.echo", township_id=world.township_a.id, village_id=world.a1.id)
        county = jobs.create(session, kind="test.echo")
    assert (type(mine), type(county)) == (Job, CountyJob)
    for job in (mine, county):
        jobs.run(jobs.ref(job))
    assert (_row(session, jobs.ref(mine)).status, _row(session, jobs.ref(county)).status) == ("done", "done")
    found = jobs.get(session, mine.id, ("test.echo",), village_id=world.a1.id)
    assert (type(found), found.id) == (Job, mine.id)
    found = jobs.get(session, county.id, ("test.echo",), county=True)
    assert (type(found), found.id) == (CountyJob, county.id)
    with pytest.raises(NotFound):  # the other township's view of it
        jobs.get(session, mine.id, ("test.echo",), township_id=world.township_b.id)
    assert [j.id for j in jobs.recent(session, ("test.echo",), township_id=world.township_a.id)] == [mine.id]
    assert county.id in [j.id for j in jobs.recent(session, ("test.echo",), county=True)]
    with pytest.raises(ValueError, match="county=True"):  # a lookup that forgot its scope reads nothing
        jobs.get(session, county.id, ("test.echo",))
    with pytest.raises(ValueError, match="county=True"):
        jobs.recent(session, ("test.echo",), township_id=world.township_a.id, county=True)
    with pytest.raises(ValueError, match="township"), transaction(session):
        jobs.create(session, kind="test.echo", village_id=world.a1.id)


def test_an_unknown_kind_cannot_be_queued(session):
    with pytest.raises(ValueError), transaction(session):
        jobs.create(session, kind="no.such", params={})


HEADER = "org_code,date,voucher_ref,summary,account_code,debit,credit\n"


def _voucher_job(session, world, body: str) -> jobs.Ref:
    import threeassets.ledger.routes.imports  # noqa: F401  (registers import.vouchers, as the app does)
    with transaction(session):
        job = jobs.create(session, kind="import.vouchers", township_id=world.township_a.id, file=body.encode(),
                          file_name="凭证.csv", params={"options": {"post": True}}, actor=world.user("accountant"))
    jobs.run(jobs.ref(job))
    return jobs.ref(job)


def test_a_voucher_import_job_posts_the_file_and_lets_go_of_it(session, world):
    lines = "".join(f"A1,2024-05-0{d},V{d},导入,513,1.00,\nA1,2024-05-0{d},V{d},导入,101,,1.00\n" for d in range(1, 4))
    job = _row(session, _voucher_job(session, world, HEADER + lines))
    assert job.status == "done" and job.file is None and (job.done, job.total) == (6, 6)
    # the file pays out cash it never had: imported as it is, and the month is named
    assert job.outcome["message"] == ("导入完成：1 个村，3 张凭证（6 行），状态：已记账。以下月份月末库存现金为贷方余额"
                                      "（现金赤字），已按原账导入，请核对：甲一村 2024-05")
    assert session.scalar(select(func.count()).select_from(Voucher).where(Voucher.status == "posted")) == 3


def test_a_refused_voucher_import_job_keeps_every_error_and_writes_nothing(session, world):
    body = HEADER + "A1,2024-05-01,V1,导入,513,1.005,\nA1,2024-13-01,V1,导入,101,,1.00\nB1,2024-05-01,V2,越权,513,1,\n"
    job = _row(session, _voucher_job(session, world, body))
    assert job.status == "failed" and job.file is None
    assert job.error == "导入未完成：文件有 1 处错误，未写入任何数据"
    assert job.outcome == {"errors": [["凭证.csv", 4, "org_code", "村 B1 不属于本乡镇或不存在"]], "count": 1}
    body = HEADER + "A1,2024-05-01,V1,导入,513,1.005,\nA1,2024-13-01,V1,导入,101,,1.00\n"
    job = _row(session, _voucher_job(session, world, body))
    assert [e[1:3] for e in job.outcome["errors"]] == [[2, "debit"], [3, "date"]]
    assert session.scalar(select(func.count()).select_from(Voucher)) == 0
