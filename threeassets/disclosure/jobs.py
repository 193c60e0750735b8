"""Background runs of a township's notices for the browser: a job row, a worker thread, progress, the ZIP.

The job row lives in the database, so any app process can report its progress and serve its ZIP; the worker is
a thread of the process that took the request (waitress serves one process with threads). If that process
stops mid-run the row stays `running`: it is marked failed when it is older than STALE.
Each village is generated in its own short transaction, so other users' writes never wait for the whole run;
a failure stops the run (drafts already regenerated stay, as regenerating a draft is harmless).
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.exceptions import NotFound

from threeassets.auth.models import User
from threeassets.core.audit import record
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.disclosure import batch, service
from threeassets.disclosure.models import DisclosureJob
from threeassets.orgs.models import Township

log = logging.getLogger(__name__)
KEEP = timedelta(hours=2)  # a finished ZIP waits this long for its download
AFTER_DOWNLOAD = timedelta(minutes=10)  # and this long after it was downloaded (a second click still works)
STALE = timedelta(hours=1)
THREADS: dict[int, threading.Thread] = {}  # job id → worker, so tests (and shutdown) can join it
STATUS_LABELS = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "失败", "expired": "已过期"}


def create(session: Session, *, township: Township, period: str, layout: str, actor) -> DisclosureJob:
    """A queued job for a township's period (period and layout checked now, so the form shows mistakes)."""
    from threeassets.disclosure.rules import parse_period
    p = parse_period(period)
    job = DisclosureJob(township_id=township.id, period=p.text, layout=service.check_layout(layout),
                        status="queued", total=len(batch.township_villages(session, township.id)),
                        created_by_id=getattr(actor, "id", None))
    if job.total == 0:
        raise RuleError("该乡镇还没有村", fields={"period": "没有村"})
    session.add(job)
    session.flush()
    record(session, "disclosure.batch", actor=actor, township_id=township.id, obj=job,
           detail={"period": p.text, "layout": job.layout, "villages": job.total})
    return job


def start(job_id: int, base_url: str, actor_id: int | None) -> threading.Thread:
    """Run a committed job in a worker thread."""
    worker = threading.Thread(target=run, args=(job_id, base_url, actor_id), name=f"disclosure-job-{job_id}",
                              daemon=True)
    THREADS[job_id] = worker
    worker.start()
    return worker


def _set(session: Session, job_id: int, **values) -> None:
    """Update the job row in its own short transaction."""
    with transaction(session):
        session.execute(update(DisclosureJob).where(DisclosureJob.id == job_id).values(**values))


def run(job_id: int, base_url: str, actor_id: int | None) -> None:
    """The worker: each village in its own transaction, progress after each, the ZIP at the end."""
    session = Session(db.engine, expire_on_commit=False)
    try:
        job = session.get(DisclosureJob, job_id)
        township = session.get(Township, job.township_id)
        villages = batch.township_villages(session, township.id)
        actor = session.get(User, actor_id) if actor_id else None
        _set(session, job_id, status="running", total=len(villages), done=0)
        files = []
        for n, village in enumerate(villages, start=1):
            _set(session, job_id, current=village.name)
            with transaction(session):
                files.append(batch.village_file(session, village, job.period, job.layout, actor, base_url))
            _set(session, job_id, done=n)
        now = datetime.now()
        _set(session, job_id, status="done", current="", zip=batch.zip_of(files), finished_at=now,
             zip_name=batch.zip_name(township.code, job.period), expires_at=now + KEEP)
    except Exception as exc:  # the run ends either way; the page shows why
        if not isinstance(exc, RuleError):
            log.exception("disclosure job %s failed", job_id)
        session.rollback()
        reason = str(exc) if isinstance(exc, RuleError) else "生成失败（系统错误，已记录日志）"
        _set(session, job_id, status="failed", error=reason, finished_at=datetime.now())
    finally:
        session.close()
        THREADS.pop(job_id, None)


def get(session: Session, township_id: int, job_id: int) -> DisclosureJob:
    """A job of the township; another township's job is missing (404)."""
    job = session.scalar(select(DisclosureJob).where(DisclosureJob.id == job_id,
                                                     DisclosureJob.township_id == township_id))
    if job is None:
        raise NotFound()
    return job


def expire(session: Session, now: datetime | None = None) -> int:
    """Free the ZIPs past their time and fail runs whose worker is gone; returns the rows changed."""
    now = now or datetime.now()
    gone = session.execute(update(DisclosureJob).where(
        DisclosureJob.status == "done", DisclosureJob.expires_at < now).values(status="expired", zip=None))
    stale = session.execute(update(DisclosureJob).where(
        DisclosureJob.status.in_(["queued", "running"]), DisclosureJob.created_at < now - STALE).values(
        status="failed", error="生成中断（服务曾重启），请重新生成"))
    return gone.rowcount + stale.rowcount


def status(job: DisclosureJob) -> dict:
    """The JSON the progress page polls."""
    pct = int(job.done * 100 / job.total) if job.total else 0
    return {"id": job.id, "status": job.status, "label": STATUS_LABELS[job.status], "done": job.done,
            "total": job.total, "percent": pct, "current": job.current, "error": job.error or "",
            "finished": job.status in ("done", "failed", "expired")}


def take_zip(session: Session, job: DisclosureJob, now: datetime | None = None) -> bytes | None:
    """The finished ZIP (None once expired); a download shortens how long it is kept."""
    now = now or datetime.now()
    if job.status != "done" or job.expires_at is None or job.expires_at < now:
        return None
    data = job.zip
    job.expires_at = min(job.expires_at, now + AFTER_DOWNLOAD)
    return data


def recent(session: Session, township_id: int, limit: int = 5) -> list[DisclosureJob]:
    """The township's latest runs, newest first."""
    return list(session.scalars(select(DisclosureJob).where(DisclosureJob.township_id == township_id)
                                .order_by(DisclosureJob.id.desc()).limit(limit)))
