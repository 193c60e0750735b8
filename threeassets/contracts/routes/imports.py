"""Contracts import of a village: the upload form, the all-or-nothing import (a background job) and its CSV
template."""
from __future__ import annotations

from datetime import date

from flask import Response, g, render_template, request, url_for
from flask_login import current_user

from threeassets.auth.access import village_view
from threeassets.contracts import importer
from threeassets.contracts.routes import bp, ctx
from threeassets.core import jobs, uploads
from threeassets.core.db import db
from threeassets.orgs.models import Village


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: the file's contracts into the village it was uploaded to, as drafts or active."""
    return importer.import_contracts(session, table, actor=ask.actor, today=date.today(),
                                     activate=bool(ask.options.get("activate")),
                                     only_village=session.get(Village, ask.village_id))


IMPORT = uploads.register(uploads.ImportKind(
    "import.contracts", "导入合同", importer.COLUMNS, _run_import, unit="份",
    done=lambda s: f"导入完成：{s['contracts']} 份合同（{'已生效' if s['activated'] else '草稿'}）"))


def _import_page(status: int = 200):
    """The contracts import form, with the village's recent imports."""
    recent = jobs.recent(db.session, (IMPORT.kind,), village_id=g.village.id)
    return render_template("contracts/import.html", **ctx(columns=importer.COLUMNS, optional=importer.OPTIONAL,
                                                          recent=recent,
                                                          limits_text=uploads.limits_text(IMPORT))), status


@bp.get("/import")
@village_view("registers.edit")
def import_form(village_id: int):
    """Upload contracts of this village."""
    return _import_page()


@bp.post("/import")
@village_view("registers.edit")
@uploads.upload_limit(IMPORT.limits.bytes)
def import_file(village_id: int):
    """Queue the file as an import job of this village (all-or-nothing), as drafts or activated."""
    return uploads.submit(IMPORT, village_id=village_id, township_id=g.village.township_id, actor=current_user,
                          options={"activate": request.form.get("activate") == "1"},
                          job_url=lambda job_id: url_for(".import_job", village_id=village_id, job_id=job_id),
                          form_page=_import_page)


uploads.job_routes(bp, IMPORT, rule="/import/jobs/<int:job_id>", guard=village_view("registers.edit"),
                   links=lambda village_id: uploads.JobLinks(
                       url_for(".import_form", village_id=village_id), url_for(".index", village_id=village_id),
                       [("合同管理", url_for(".index", village_id=village_id)),
                        ("导入合同", url_for(".import_form", village_id=village_id))]))


@bp.get("/import/template.csv")
@village_view("registers.edit")
def template(village_id: int):
    """The contracts import template with one example row, UTF-8 with BOM for Excel."""
    return Response("\ufeff" + importer.template_csv(g.village.code), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=contracts-import-template.csv"})
