"""Every import page's POST and what follows it: the upload is checked and queued as a background job
(core/jobs.py), the job reads the file within its import's Limits (core/csvio.py) and imports it in one
transaction (all-or-nothing), and the job's page shows its progress, then what was imported or every error by
file, line, column and reason.

Upload routes carry their own request limit (`upload_limit`), applied before the body is read (before even the
CSRF check reads the form), so an upload past it is refused at once with a 413 that names the limit.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, flash, g, jsonify, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from threeassets.core import jobs
from threeassets.core.csvio import DEFAULT_LIMITS, ImportError_, Limits, Table, read_table, size_text
from threeassets.core.db import db, transaction

IMPORT_TYPES = (".csv", ".xlsx")
MAX_UNFINISHED = 2  # imports a user may have queued or running at once
ERRORS_KEPT = 200  # errors stored and shown of a refused file (the count says how many more)
FORM_MARGIN = 64 * 1024  # a multipart body is the file plus its envelope and the form's few fields


@dataclass(frozen=True)
class Ask:
    """What an import job was asked, as plain values (the job row itself is reloaded by each transaction)."""

    job_id: int
    village_id: int | None
    township_id: int | None
    actor: object  # the User who uploaded (None when gone)
    options: dict
    progress: jobs.Progress


@dataclass(frozen=True)
class ImportKind:
    """One import of the browser: its job kind, page title, required columns, limits and what it does."""

    kind: str  # the job kind, e.g. "import.resources"
    title: str  # e.g. "导入资源"
    columns: list[str]
    run: Callable[[Session, Table, Ask], dict]  # check and write the table, in the caller's transaction
    done: Callable[[dict], str]  # the sentence of a finished import, from run's stats
    limits: Limits = DEFAULT_LIMITS
    unit: str = "行"


KINDS: dict[str, ImportKind] = {}


def register(spec: ImportKind) -> ImportKind:
    """Make an import known to the job runner."""
    KINDS[spec.kind] = spec
    jobs.handles(spec.kind)(_run)
    return spec


def upload_limit(nbytes: int):
    """Decorate an upload view: its requests may carry nbytes of file (plus the form around it), not the app's
    whole MAX_CONTENT_LENGTH."""
    def deco(view):
        view.upload_limit = nbytes
        return view
    return deco


def apply_upload_limit() -> None:
    """before_request: the view's own request limit, set before anything reads the body."""
    view = current_app.view_functions.get(request.endpoint or "")
    limit = getattr(view, "upload_limit", None)
    if limit:
        g.upload_limit = limit
        app_limit = current_app.config.get("MAX_CONTENT_LENGTH")
        request.max_content_length = min(limit + FORM_MARGIN, app_limit) if app_limit else limit + FORM_MARGIN


def too_large(error):
    """The 413 page: the upload was larger than this page takes, and the limit named."""
    own, app_limit = g.get("upload_limit"), current_app.config.get("MAX_CONTENT_LENGTH")
    limit = own if own and (not app_limit or own + FORM_MARGIN < app_limit) else app_limit
    pages = current_app.url_map.bind_to_environ(request.environ)
    back = request.path if pages.test(request.path, method="GET") else None  # the form the upload came from
    return render_template("error.html", error=error, limit=size_text(limit) if limit else None, back=back), 413


def limits_text(spec: ImportKind) -> str:
    """The import's limits as its page states them (the smaller of its own and the request's size limit)."""
    return spec.limits.summary(current_app.config.get("MAX_CONTENT_LENGTH"))


def _refused(message: str, form_page, back: str | None):
    flash(message, "danger")
    return form_page(422) if form_page else redirect(back)


def submit(spec: ImportKind, *, job_url: Callable[[int], str], village_id: int | None = None,
           township_id: int | None = None, options: dict | None = None, form_page=None, back: str | None = None,
           actor=None):
    """Check request.files["file"] (present, CSV or XLSX, within the import's size), queue it as a job
    and answer with its page; a refused upload: the form again with 422 (form_page) or a redirect to back."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _refused("请选择文件（CSV 或 XLSX）", form_page, back)
    if not upload.filename.lower().endswith(IMPORT_TYPES):
        return _refused("只接受 CSV 或 XLSX 文件", form_page, back)
    data = upload.read(spec.limits.bytes + 1)
    if len(data) > spec.limits.bytes:
        return _refused(f"文件超过本导入 {size_text(spec.limits.bytes)} 的上限，未导入", form_page, back)
    with transaction(db.session):
        jobs.expire(db.session)
        if jobs.unfinished(db.session, tuple(KINDS), getattr(actor, "id", None)) >= MAX_UNFINISHED:
            busy = True
        else:
            busy = False
            job = jobs.create(db.session, kind=spec.kind, village_id=village_id, township_id=township_id,
                              params={"options": options or {}}, actor=actor, file=data,
                              file_name=upload.filename[-200:])
    if busy:
        return _refused(f"您已有 {MAX_UNFINISHED} 个导入正在进行，请等它们完成后再提交", form_page, back)
    jobs.launch(job)
    return redirect(job_url(job.id))


def _run(session: Session, job: jobs.Job, progress: jobs.Progress) -> dict:
    """The import job: read the file within its limits, then check and write it in one transaction."""
    spec = KINDS[job.kind]
    data, name = job.file, job.file_name or "文件"
    ask = Ask(job.id, getattr(job, "village_id", None), getattr(job, "township_id", None), job.created_by,
              job.args.get("options", {}), progress)  # a county job (jobs.CountyJob) names neither
    try:
        progress(current="正在读取文件", save=True)
        table = read_table(data, name, spec.columns, spec.limits,
                           progress=lambda n: progress(current=f"正在读取文件：第 {n:,} 行"))
        del data
        rows = len(table.rows)
        progress(total=rows, done=0, current=f"正在检查 {rows:,} {spec.unit}", save=True)
        with transaction(session):
            stats = spec.run(session, table, ask)
    except ImportError_ as exc:
        errors = exc.errors
        raise jobs.Failed(f"导入未完成：文件有 {len(errors):,} 处错误，未写入任何数据", file=None,
                          result=jobs.dumps({"errors": errors[:ERRORS_KEPT], "count": len(errors)})) from None
    return {"file": None, "done": rows, "total": rows,
            "result": jobs.dumps({"stats": stats, "message": spec.done(stats)})}


def find(spec: ImportKind, job_id: int, *, village_id: int | None = None, township_id: int | None = None):
    """The import's job in the village or township (another's, or another kind's, is missing: 404); a page whose
    address names neither (the county administrator's) reads the county's."""
    return jobs.get(db.session, job_id, (spec.kind,), village_id=village_id, township_id=township_id,
                    county=village_id is None and township_id is None)


def job_page(spec: ImportKind, job: jobs.Job, *, status_url: str, back: str, next_url: str | None = None,
             crumbs: list | None = None):
    """The job's page: progress while it runs, then the result (what was imported, or every error)."""
    return render_template("import_job.html", spec=spec, job=job, state=jobs.status(job), outcome=job.outcome,
                           status_url=status_url, back=back, next_url=next_url, crumbs=crumbs)


def job_status(job: jobs.Job):
    """The JSON the job's page polls."""
    return jsonify(jobs.status(job))


@dataclass(frozen=True)
class JobLinks:
    """Where an import's job page links: back to the upload, on to what was imported, the breadcrumbs."""

    back: str
    next_url: str | None = None
    crumbs: list | None = None


def job_routes(bp, spec: ImportKind, *, rule: str, guard, links: Callable[..., JobLinks],
               endpoint: str = "import_job") -> None:
    """Add an import's job page and its status JSON to a blueprint: GET `rule` and `rule`/status, each behind
    `guard` (the access decorator of the upload's page); links(**scope) makes the page's links from the URL's
    village_id / township_id. The job is looked up within that scope (another's is 404)."""

    def job_view(job_id: int, **scope):
        """An import's progress, then what it imported or why the file was refused."""
        there = links(**scope)
        return job_page(spec, find(spec, job_id, **scope), back=there.back, next_url=there.next_url,
                        crumbs=there.crumbs, status_url=url_for(f".{endpoint}_status", job_id=job_id, **scope))

    def status_view(job_id: int, **scope):
        """JSON progress of an import."""
        return job_status(find(spec, job_id, **scope))

    bp.add_url_rule(rule, endpoint, guard(job_view))
    bp.add_url_rule(rule + "/status", endpoint + "_status", guard(status_view))
