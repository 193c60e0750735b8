"""Background jobs for the browser: a `job` row, a worker thread, progress a page polls.

Work too long for a request (a township's batch of notices, a bulk import) is queued as a row and run by a
thread of the process that took the request (waitress serves one process with threads); the page that started
it redirects to a progress page, which polls the job's status. The row lives in the database, so the state,
the result and any file the job holds (the upload to import, the ZIP it made) survive the request; a feature
registers what a kind of job does with `@handles(kind)`.

* At most WORKERS jobs run at a time in a process; the others wait their turn (queued).
* Progress is counted on this process's board at once (LIVE: free, and readable while a job's own transaction
  holds SQLite's write lock) and written to the row with save=True, between the job's transactions.
* A worker that dies with its process leaves the row queued or running: `expire` fails it after STALE and lets
  go of its file; a finished job's file is let go after its expires_at.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, deferred, mapped_column, relationship
from werkzeug.exceptions import NotFound

from threeassets.core.db import Base, db, transaction
from threeassets.core.errors import RuleError

log = logging.getLogger(__name__)
STALE = timedelta(hours=1)
WORKERS = 2  # jobs running at once in a process (the server has few cores; the rest wait, queued)
STATUS_LABELS = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败", "expired": "已过期"}
FINISHED = ("done", "failed", "expired")
THREADS: dict[int, threading.Thread] = {}  # job id → worker, so tests (and shutdown) can join it
LIVE: dict[int, dict] = {}  # job id → progress of the jobs running in this process
_SLOTS = threading.BoundedSemaphore(WORKERS)


class Job(Base):
    """One background run: queued → running → done (its file kept until expires_at) or failed (with why)."""

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_township_created", "township_id", "created_at"),
        Index("ix_job_village_created", "village_id", "created_at"),
        CheckConstraint("status in ('queued','running','done','failed','expired')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # what runs it: a key of HANDLERS
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    current: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str | None] = mapped_column(Text)
    params: Mapped[str | None] = mapped_column(Text)  # JSON: what was asked
    result: Mapped[str | None] = mapped_column(Text)  # JSON: what came of it
    file: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # the upload to read, or the file made
    file_name: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    created_by = relationship("User", viewonly=True)  # who started it (the user table is auth's)

    @property
    def args(self) -> dict:
        """The params, read."""
        return json.loads(self.params) if self.params else {}

    @property
    def outcome(self) -> dict:
        """The result, read."""
        return json.loads(self.result) if self.result else {}


class Failed(Exception):
    """A handler's refusal: the reason the page shows, and values to store with it (e.g. an import's errors)."""

    def __init__(self, reason: str, **values):
        super().__init__(reason)
        self.reason, self.values = reason, values


Handler = Callable[[Session, Job, "Progress"], dict | None]
HANDLERS: dict[str, Handler] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of a kind: fn(session, job, progress) → values stored when done."""
    def deco(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn
    return deco


def dumps(value) -> str:
    """JSON as stored in params and result (Chinese kept readable)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def create(session: Session, *, kind: str, township_id: int | None = None, village_id: int | None = None,
           params: dict | None = None, actor=None, total: int = 0, file: bytes | None = None,
           file_name: str | None = None) -> Job:
    """A queued job in the caller's transaction (never commits; launch it once committed)."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    job = Job(kind=kind, township_id=township_id, village_id=village_id, params=dumps(params or {}),
              status="queued", total=total, file=file, file_name=file_name, created_by_id=getattr(actor, "id", None))
    session.add(job)
    session.flush()
    return job


def launch(job_id: int) -> None:
    """Run a committed job: in a worker thread, or at once in this request when JOBS_INLINE (the tests' default:
    no thread outlives a test)."""
    from flask import current_app
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE", app.testing):
        run(job_id)
    else:
        start(job_id, app)


def start(job_id: int, app=None) -> threading.Thread:
    """Run a committed job in a worker thread (inside an app context of `app`, when given)."""
    def work():
        if app is None:
            run(job_id)
            return
        with app.app_context():
            run(job_id)
    worker = threading.Thread(target=work, name=f"job-{job_id}", daemon=True)
    THREADS[job_id] = worker
    worker.start()
    return worker


def _set(session: Session, job_id: int, **values) -> None:
    """Update the job row in its own short transaction."""
    with transaction(session):
        session.execute(update(Job).where(Job.id == job_id).values(**values))


class Progress:
    """What a running job reports: counts on this process's board at once, and on its row when save=True."""

    def __init__(self, session: Session, job_id: int):
        self.session, self.job_id = session, job_id
        LIVE[job_id] = {}

    def __call__(self, *, done: int | None = None, total: int | None = None, current: str | None = None,
                 save: bool = False) -> None:
        values = {k: v for k, v in (("done", done), ("total", total), ("current", current)) if v is not None}
        if "current" in values:
            values["current"] = values["current"][:100]
        LIVE.setdefault(self.job_id, {}).update(values)
        if save:
            _set(self.session, self.job_id, **values)


def _counts(job_id: int) -> dict:
    """The counts a job reached on the board, to keep on its row when it ends."""
    return {k: v for k, v in LIVE.get(job_id, {}).items() if k in ("done", "total")}


def run(job_id: int) -> None:
    """The worker: wait for a slot, run the kind's handler, store how it ended."""
    session = Session(db.engine, expire_on_commit=False)
    try:
        with _SLOTS:
            job = session.get(Job, job_id)
            if job is None or job.status != "queued":
                return
            progress = Progress(session, job_id)
            _set(session, job_id, status="running")
            session.rollback()  # no read transaction held while the handler works
            values = HANDLERS[job.kind](session, job, progress) or {}
            _set(session, job_id, status="done", current="", finished_at=datetime.now(),
                 **{**_counts(job_id), **values})
    except Exception as exc:  # the run ends either way; the page shows why
        session.rollback()
        if isinstance(exc, Failed):
            reason, values = exc.reason, exc.values
        elif isinstance(exc, RuleError):
            reason, values = str(exc), {}
        else:
            log.exception("job %s failed", job_id)
            reason, values = "系统错误，已记录日志，请稍后重试或联系管理员", {}
        _set(session, job_id, status="failed", error=reason, current="", finished_at=datetime.now(),
             **{**_counts(job_id), **values})
    finally:
        session.close()
        LIVE.pop(job_id, None)
        THREADS.pop(job_id, None)


def get(session: Session, job_id: int, kinds: tuple[str, ...], *, township_id: int | None = None,
        village_id: int | None = None, created_by_id: int | None = None) -> Job:
    """A job of one of the kinds, in the township or village given (or started by that user); else 404."""
    q = select(Job).where(Job.id == job_id, Job.kind.in_(kinds))
    if township_id is not None:
        q = q.where(Job.township_id == township_id)
    if village_id is not None:
        q = q.where(Job.village_id == village_id)
    if created_by_id is not None:
        q = q.where(Job.created_by_id == created_by_id)
    job = session.scalar(q)
    if job is None:
        raise NotFound()
    return job


def expire(session: Session, now: datetime | None = None) -> int:
    """Let go of files past their time and fail runs whose worker is gone; returns the rows changed."""
    now = now or datetime.now()
    gone = session.execute(update(Job).where(Job.status == "done", Job.expires_at < now).values(
        status="expired", file=None))
    stale = session.execute(update(Job).where(
        Job.status.in_(["queued", "running"]), Job.created_at < now - STALE).values(
        status="failed", file=None, error="中断（服务曾重启），请重新提交"))
    return gone.rowcount + stale.rowcount


def unfinished(session: Session, kinds: tuple[str, ...], created_by_id: int | None) -> int:
    """How many jobs of the kinds a user has queued or running."""
    from sqlalchemy import func
    return session.scalar(select(func.count(Job.id)).where(
        Job.kind.in_(kinds), Job.created_by_id == created_by_id, Job.status.in_(["queued", "running"]))) or 0


def status(job: Job) -> dict:
    """The JSON the progress page polls (a running job's counts from this process's board when it runs here)."""
    live = LIVE.get(job.id, {}) if job.status == "running" else {}
    done, total = live.get("done", job.done), live.get("total", job.total)
    pct = min(100, int(done * 100 / total)) if total else (100 if job.status == "done" else 0)
    return {"id": job.id, "status": job.status, "label": STATUS_LABELS[job.status], "done": done, "total": total,
            "percent": pct, "current": live.get("current", job.current), "error": job.error or "",
            "finished": job.status in FINISHED}


def recent(session: Session, kinds: tuple[str, ...], *, township_id: int | None = None,
           village_id: int | None = None, limit: int = 5) -> list[Job]:
    """The latest jobs of the kinds in a township or village, newest first."""
    q = select(Job).where(Job.kind.in_(kinds))
    if township_id is not None:
        q = q.where(Job.township_id == township_id)
    if village_id is not None:
        q = q.where(Job.village_id == village_id)
    return list(session.scalars(q.order_by(Job.id.desc()).limit(limit)))
