"""全镇公开榜: the township's notices of a period at a glance, and the batch run that ends in a ZIP of PDFs."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Response, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from threeassets.auth.access import township_view
from threeassets.core import jobs as core_jobs
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.public import public_base, required
from threeassets.disclosure import batch, jobs, rules
from threeassets.disclosure.forms import BatchForm
from threeassets.disclosure.models import Disclosure
from threeassets.disclosure.routes import field_errors, recent_periods, township_bp


def _overview(township_id: int, period: str) -> list[tuple]:
    """(village, its latest notice of the period or None) for every village of the township."""
    villages = batch.township_villages(db.session, township_id)
    latest: dict[int, Disclosure] = {}
    q = select(Disclosure).where(Disclosure.village_id.in_([v.id for v in villages]), Disclosure.period == period)
    for n in db.session.scalars(q.order_by(Disclosure.version)):
        latest[n.village_id] = n
    return [(v, latest.get(v.id)) for v in villages]


def _page(form: BatchForm | None = None, status: int = 200):
    """The batch page for the period in ?period= (default: last month)."""
    periods = recent_periods(date.today())
    period = request.args.get("period") or (form.period.data if form and form.period.data else periods[1][0])
    form = form or BatchForm(formdata=None, period=period)
    return render_template("disclosure/township.html", form=form, periods=periods, period=period,
                           rows=_overview(g.township.id, period), labels=rules.STATUS_LABELS,
                           jobs=jobs.recent(db.session, g.township.id), job_labels=jobs.STATUS_LABELS), status


@township_bp.get("")
@township_view("disclosure.read")
def index(township_id: int):
    """全镇公开榜: each village's notice of a period and its state; the batch form for preparers."""
    return _page()


@township_bp.post("/batch")
@township_view("disclosure.prepare")
def batch_start(township_id: int):
    """Start a batch run in the background and show its progress page."""
    form = BatchForm()
    if not form.validate():
        return _page(form, 422)
    try:
        base = required(public_base())  # the drafts' QR codes print it: refused before a job is made
        with transaction(db.session):
            core_jobs.expire(db.session)
            job = jobs.create(db.session, township=g.township, period=form.period.data, layout=form.layout.data,
                              actor=current_user, base_url=base)
    except RuleError as exc:
        flash(str(exc), "danger")
        field_errors(form, exc)
        return _page(form, 422)
    core_jobs.launch(job)
    return redirect(url_for(".job", township_id=township_id, job_id=job.id))


@township_bp.get("/jobs/<int:job_id>")
@township_view("disclosure.prepare")
def job(township_id: int, job_id: int):
    """The progress page of a run (a progress bar fed by the status endpoint)."""
    row = jobs.get(db.session, township_id, job_id)
    return render_template("disclosure/job.html", job=row, state=core_jobs.status(row))


@township_bp.get("/jobs/<int:job_id>/status")
@township_view("disclosure.prepare")
def job_status(township_id: int, job_id: int):
    """JSON progress of a run: done, total, percent, current village, error, finished."""
    row = jobs.get(db.session, township_id, job_id)
    return jsonify(core_jobs.status(row))


@township_bp.get("/jobs/<int:job_id>/zip")
@township_view("disclosure.prepare")
def job_zip(township_id: int, job_id: int):
    """The finished ZIP: one PDF per village named <code>-<name>-<period>.pdf."""
    with transaction(db.session):
        row = jobs.get(db.session, township_id, job_id)
        data = jobs.take_zip(db.session, row)
    if data is None:
        flash("该批次尚未完成或文件已过期，请重新生成", "warning")
        return redirect(url_for(".index", township_id=township_id, period=row.args.get("period")))
    period = row.args.get("period", "")
    name = row.file_name or f"{period}.zip"
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f"attachment; filename=disclosure-{period}.zip; filename*=UTF-8''{quote(name)}"})
