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

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, func, select, update
from sqlalchemy.orm import Mapped, Session, declared_attr, deferred, mapped_column, relationship
from werkzeug.exceptions import NotFound

from threeassets.core.db import Base, db, transaction
from threeassets.core.errors import RuleError

log = logging.getLogger(__name__)
STALE = timedelta(hours=1)
WORKERS = 2  # jobs running at once in a process (the server has few cores; the rest wait, queued)
STATUS_LABELS = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "失败", "expired": "已过期"}
FINISHED = ("done", "failed", "expired")
THREADS: dict[tuple, threading.Thread] = {}  # job (ref) → worker, so tests (and shutdown) can join it
LIVE: dict[tuple, dict] = {}  # job (ref) → progress of the jobs running in this process
_SLOTS = threading.BoundedSemaphore(WORKERS)


class _JobColumns:
    """What every job row holds: queued → running → done (its file kept until expires_at) or failed (with why)."""

    kind: Mapped[str] = mapped_column(String(32))  # what runs it: a key of HANDLERS
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    current: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str | None] = mapped_column(Text)
    params: Mapped[str | None] = mapped_column(Text)  # JSON: what was asked
    result: Mapped[str | None] = mapped_column(Text)  # JSON: what came of it
    file_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    @declared_attr
    def file(cls) -> Mapped[bytes | None]:
        """The upload to read, or the file made (loaded only when asked for)."""
        return deferred(mapped_column(LargeBinary))

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user_account.id"))

    @declared_attr
    def created_by(cls):
        """Who started it (the user table is auth's)."""
        return relationship("User", viewonly=True)

    @property
    def args(self) -> dict:
        """The params, read."""
        return json.loads(self.params) if self.params else {}

    @property
    def outcome(self) -> dict:
        """The result, read."""
        return json.loads(self.result) if self.result else {}


_STATUSES = "status in ('queued','running','done','failed','expired')"


class Job(_JobColumns, Base):
    """A township's job (a village's included): the township is in its key, so it shards with the township."""

    __tablename__ = "job"
    __table_args__ = (
        Index("ix_job_township_created", "township_id", "created_at"),
        Index("ix_job_village_created", "village_id", "created_at"),
        CheckConstraint(_STATUSES, name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))


class CountyJob(_JobColumns, Base):
    """A job of no township: the county administrator's (importing the townships and villages)."""

    __tablename__ = "county_job"
    __table_args__ = (CheckConstraint(_STATUSES, name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)


MODELS = {m.__tablename__: m for m in (Job, CountyJob)}
Ref = tuple[str, int]  # which table, which id: what names a job across both tables


def ref(job: Job | CountyJob) -> Ref:
    """The reference a worker, the board and the threads know a job by."""
    return (job.__tablename__, job.id)


def _model(township_id: int | None, village_id: int | None) -> type[Job] | type[CountyJob]:
    """The table of a job in this scope: a township's (a village's names its township too) or the county's."""
    if village_id is not None and township_id is None:
        raise ValueError("a village's job names its township")
    return CountyJob if township_id is None else Job


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
           file_name: str | None = None) -> Job | CountyJob:
    """A queued job in the caller's transaction (never commits; launch it once committed): a township's, or the
    county's when no township is named."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    scope = {"township_id": township_id, "village_id": village_id} if township_id is not None else {}
    job = _model(township_id, village_id)(
        kind=kind, params=dumps(params or {}), status="queued", total=total, file=file, file_name=file_name,
        created_by_id=getattr(actor, "id", None), **scope)
    session.add(job)
    session.flush()
    return job


def launch(job: Job | CountyJob) -> None:
    """Run a committed job: in a worker thread, or at once in this request when JOBS_INLINE (the tests' default:
    no thread outlives a test)."""
    from flask import current_app
    app = current_app._get_current_object()
    if app.config.get("JOBS_INLINE", app.testing):
        run(ref(job))
    else:
        start(ref(job), app)


def start(job: Ref, app=None) -> threading.Thread:
    """Run a committed job in a worker thread (inside an app context of `app`, when given)."""
    def work():
        if app is None:
            run(job)
            return
        with app.app_context():
            run(job)
    worker = threading.Thread(target=work, name=f"job-{job[0]}-{job[1]}", daemon=True)
    THREADS[job] = worker
    worker.start()
    return worker


def _set(session: Session, job: Ref, **values) -> None:
    """Update the job row in its own short transaction."""
    model = MODELS[job[0]]
    with transaction(session):
        session.execute(update(model).where(model.id == job[1]).values(**values))


class Progress:
    """What a running job reports: counts on this process's board at once, and on its row when save=True."""

    def __init__(self, session: Session, job: Ref):
        self.session, self.job = session, job
        LIVE[job] = {}

    def __call__(self, *, done: int | None = None, total: int | None = None, current: str | None = None,
                 save: bool = False) -> None:
        values = {k: v for k, v in (("done", done), ("total", total), ("current", current)) if v is not None}
        if "current" in values:
            values["current"] = values["current"][:100]
        LIVE.setdefault(self.job, {}).update(values)
        if save:
            _set(self.session, self.job, **values)


def _counts(job: Ref) -> dict:
    """The counts a job reached on the board, to keep on its row when it ends."""
    return {k: v for k, v in LIVE.get(job, {}).items() if k in ("done", "total")}


def run(job: Ref) -> None:
    """The worker: wait for a slot, run the kind's handler, store how it ended."""
    session = Session(db.engine, expire_on_commit=False)
    try:
        with _SLOTS:
            row = session.get(MODELS[job[0]], job[1])
            if row is None or row.status != "queued":
                return
            progress = Progress(session, job)
            _set(session, job, status="running")
            session.rollback()  # no read transaction held while the handler works
            values = HANDLERS[row.kind](session, row, progress) or {}
            _set(session, job, status="done", current="", finished_at=datetime.now(), **{**_counts(job), **values})
    except Exception as exc:  # the run ends either way; the page shows why
        session.rollback()
        if isinstance(exc, Failed):
            reason, values = exc.reason, exc.values
        elif isinstance(exc, RuleError):
            reason, values = str(exc), {}
        else:
            log.exception("job %s failed", job)
            reason, values = "系统错误，已记录日志，请稍后重试或联系管理员", {}
        _set(session, job, status="failed", error=reason, current="", finished_at=datetime.now(),
             **{**_counts(job), **values})
    finally:
        session.close()
        LIVE.pop(job, None)
        THREADS.pop(job, None)


def _scoped(township_id: int | None, village_id: int | None, county: bool) -> type[Job] | type[CountyJob]:
    """The table a lookup reads: a township's or village's jobs, or the county's when asked for by name (a page
    that forgot its scope must not read the county's jobs)."""
    if county == (township_id is not None or village_id is not None):
        raise ValueError("a job lookup names a township or a village, or county=True")
    return CountyJob if county else Job


def get(session: Session, job_id: int, kinds: tuple[str, ...], *, township_id: int | None = None,
        village_id: int | None = None, created_by_id: int | None = None, county: bool = False) -> Job | CountyJob:
    """A job of one of the kinds, in the township or village given (or the county's, county=True), or started by
    that user; else 404."""
    model = _scoped(township_id, village_id, county)
    q = select(model).where(model.id == job_id, model.kind.in_(kinds))
    if township_id is not None:
        q = q.where(model.township_id == township_id)
    if village_id is not None:
        q = q.where(model.village_id == village_id)
    if created_by_id is not None:
        q = q.where(model.created_by_id == created_by_id)
    job = session.scalar(q)
    if job is None:
        raise NotFound()
    return job


def expire(session: Session, now: datetime | None = None) -> int:
    """Let go of files past their time and fail runs whose worker is gone; returns the rows changed."""
    now = now or datetime.now()
    changed = 0
    for model in MODELS.values():
        gone = session.execute(update(model).where(model.status == "done", model.expires_at < now).values(
            status="expired", file=None))
        stale = session.execute(update(model).where(
            model.status.in_(["queued", "running"]), model.created_at < now - STALE).values(
            status="failed", file=None, error="中断（服务曾重启），请重新提交"))
        changed += gone.rowcount + stale.rowcount
    return changed


def unfinished(session: Session, kinds: tuple[str, ...], created_by_id: int | None) -> int:
    """How many jobs of the kinds a user has queued or running (in the townships' table and the county's)."""
    return sum(session.scalar(select(func.count(m.id)).where(
        m.kind.in_(kinds), m.created_by_id == created_by_id, m.status.in_(["queued", "running"]))) or 0
        for m in MODELS.values())


def status(job: Job | CountyJob) -> dict:
    """The JSON the progress page polls (a running job's counts from this process's board when it runs here)."""
    live = LIVE.get(ref(job), {}) if job.status == "running" else {}
    done, total = live.get("done", job.done), live.get("total", job.total)
    pct = min(100, int(done * 100 / total)) if total else (100 if job.status == "done" else 0)
    return {"id": job.id, "status": job.status, "label": STATUS_LABELS[job.status], "done": done, "total": total,
            "percent": pct, "current": live.get("current", job.current), "error": job.error or "",
            "finished": job.status in FINISHED}


def recent(session: Session, kinds: tuple[str, ...], *, township_id: int | None = None,
           village_id: int | None = None, county: bool = False, limit: int = 5) -> list[Job] | list[CountyJob]:
    """The latest jobs of the kinds in a township or village (or the county's, county=True), newest first."""
    model = _scoped(township_id, village_id, county)
    q = select(model).where(model.kind.in_(kinds))
    if township_id is not None:
        q = q.where(model.township_id == township_id)
    if village_id is not None:
        q = q.where(model.village_id == village_id)
    return list(session.scalars(q.order_by(model.id.desc()).limit(limit)))
