"""Background runs of a township's notices for the browser, on the one job mechanism (core/jobs.py): the
row, the worker thread and the progress page are core's; here is what a run does and what it keeps (the ZIP).

Each village is generated in its own short transaction, so other users' writes never wait for the whole run;
progress is saved on the job row after each village; a failure stops the run (drafts already regenerated
stay, as regenerating a draft is harmless).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from threeassets.auth.models import User
from threeassets.core import jobs
from threeassets.core.audit import record
from threeassets.core.db import transaction
from threeassets.core.errors import RuleError
from threeassets.core.jobs import Job
from threeassets.disclosure import batch, service
from threeassets.orgs.models import Township

KIND = "disclosure.batch"
KEEP = timedelta(hours=2)  # a finished ZIP waits this long for its download
AFTER_DOWNLOAD = timedelta(minutes=10)  # and this long after it was downloaded (a second click still works)
STATUS_LABELS = jobs.STATUS_LABELS


def create(session: Session, *, township: Township, period: str, layout: str, actor, base_url: str = "") -> Job:
    """A queued job for a township's period (period and layout checked now, so the form shows mistakes);
    base_url is the address the notices' QR codes point at."""
    from threeassets.disclosure.rules import parse_period
    p = parse_period(period)
    layout = service.check_layout(layout)
    total = len(batch.township_villages(session, township.id, p.text))
    if total == 0:
        raise RuleError("该乡镇还没有村", fields={"period": "没有村"})
    job = jobs.create(session, kind=KIND, township_id=township.id, total=total, actor=actor,
                      params={"period": p.text, "layout": layout, "base_url": base_url})
    record(session, "disclosure.batch", actor=actor, township_id=township.id, obj=job,
           detail={"period": p.text, "layout": layout, "villages": total})
    return job


@jobs.handles(KIND)
def _run(session: Session, job: Job, progress: jobs.Progress) -> dict:
    """Each village in its own transaction, progress saved after each; the ZIP at the end."""
    args, township_id, actor_id = job.args, job.township_id, job.created_by_id
    period, layout = args["period"], args["layout"]
    township = session.get(Township, township_id)
    villages = batch.township_villages(session, township_id, period)
    actor = session.get(User, actor_id) if actor_id else None
    progress(total=len(villages), done=0, save=True)
    files = []
    for n, village in enumerate(villages, start=1):
        progress(current=f"正在生成：{village.name}", save=True)
        with transaction(session):
            files.append(batch.village_file(session, village, period, layout, actor, args.get("base_url", "")))
        progress(done=n, save=True)
    now = datetime.now()
    return {"file": batch.zip_of(files), "file_name": batch.zip_name(township.code, period),
            "expires_at": now + KEEP}


def get(session: Session, township_id: int, job_id: int) -> Job:
    """A run of the township; another township's (or another kind of job) is missing (404)."""
    return jobs.get(session, job_id, (KIND,), township_id=township_id)


def take_zip(session: Session, job: Job, now: datetime | None = None) -> bytes | None:
    """The finished ZIP (None once expired); a download shortens how long it is kept."""
    now = now or datetime.now()
    if job.status != "done" or job.expires_at is None or job.expires_at < now:
        return None
    data = job.file
    job.expires_at = min(job.expires_at, now + AFTER_DOWNLOAD)
    return data


def recent(session: Session, township_id: int, limit: int = 5) -> list[Job]:
    """The township's latest runs, newest first."""
    return jobs.recent(session, (KIND,), township_id=township_id, limit=limit)
