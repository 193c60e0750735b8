"""Contracts import of a village: the upload form, the all-or-nothing import and its CSV template."""
from __future__ import annotations

from datetime import date

from flask import Response, g, render_template, request, url_for
from flask_login import current_user

from threeassets.auth.access import village_view
from threeassets.contracts import importer
from threeassets.contracts.routes import bp, ctx
from threeassets.core.db import db
from threeassets.core.uploads import import_upload


def _import_page(status: int = 200):
    """The contracts import form."""
    return render_template("contracts/import.html", **ctx(columns=importer.COLUMNS,
                                                          optional=importer.OPTIONAL)), status


@bp.get("/import")
@village_view("registers.edit")
def import_form(village_id: int):
    """Upload contracts of this village."""
    return _import_page()


@bp.post("/import")
@village_view("registers.edit")
def import_file(village_id: int):
    """Import contracts of this village (all-or-nothing), as drafts or activated."""
    activate = request.form.get("activate") == "1"
    return import_upload(
        importer.COLUMNS,
        lambda t: importer.import_contracts(db.session, t, actor=current_user, today=date.today(), activate=activate,
                                            only_village=g.village),
        back=url_for(".import_form", village_id=village_id), next_url=url_for(".index", village_id=village_id),
        done=lambda s: f"导入完成：{s['contracts']} 份合同（{'已生效' if s['activated'] else '草稿'}）",
        form_page=_import_page)


@bp.get("/import/template.csv")
@village_view("registers.edit")
def template(village_id: int):
    """The contracts import template with one example row, UTF-8 with BOM for Excel."""
    return Response("\ufeff" + importer.template_csv(g.village.code), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=contracts-import-template.csv"})
