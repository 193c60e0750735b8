"""Townships and villages: the admin's organisation pages."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Optional

from threeassets.auth.access import requires
from threeassets.auth.routes import orgs_bp as bp
from threeassets.core import jobs, uploads
from threeassets.core.db import db, transaction
from threeassets.core.forms import Form, most
from threeassets.orgs import service
from threeassets.orgs.models import Township


class VillageForm(Form):
    """A township (created if new) and one of its villages."""

    township_code = StringField("乡镇编码", validators=[DataRequired("请填写乡镇编码"), most(32, "乡镇编码")])
    township_name = StringField("乡镇名称", validators=[DataRequired("请填写乡镇名称"), most(100, "乡镇名称")])
    village_code = StringField("村编码", validators=[DataRequired("请填写村编码"), most(32, "村编码")])
    village_name = StringField("村名称", validators=[DataRequired("请填写村名称"), most(100, "村名称")])
    credit_code = StringField("统一社会信用代码（可选）", validators=[Optional(), most(18, "统一社会信用代码")])


class ImportForm(Form):
    """An orgs CSV/XLSX upload (the file itself is read from request.files)."""


@bp.route("/", methods=["GET", "POST"])
@requires("orgs.manage")
def index():
    """All townships and villages; add one, or import a file."""
    form = VillageForm()
    if form.validate_on_submit():
        try:
            with transaction(db.session):
                t = service.upsert_township(db.session, form.township_code.data.strip(),
                                            form.township_name.data.strip(), current_user)
                service.upsert_village(db.session, t, form.village_code.data.strip(), form.village_name.data.strip(),
                                       form.credit_code.data, current_user)
        except service.OrgError as exc:
            flash(str(exc), "danger")
        else:
            flash("已保存", "success")
            return redirect(url_for(".index"))
    townships = list(db.session.scalars(select(Township).order_by(Township.code)))
    return render_template("orgs/index.html", form=form, townships=townships, import_form=ImportForm(),
                           recent=jobs.recent(db.session, (IMPORT.kind,), county=True),
                           limits_text=uploads.limits_text(IMPORT))


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: townships and villages created or renamed."""
    townships, villages = service.import_orgs(session, table, ask.actor)
    return {"townships": townships, "villages": villages}


IMPORT = uploads.register(uploads.ImportKind(
    "import.orgs", "导入乡镇和村", service.ORG_COLUMNS, _run_import,
    done=lambda s: f"导入完成：{s['townships']} 个乡镇，{s['villages']} 个村"))


@bp.post("/import")
@requires("orgs.manage")
@uploads.upload_limit(IMPORT.limits.bytes)
def import_file():
    """Queue townships and villages from CSV/XLSX as an import job (all-or-nothing)."""
    if not ImportForm().validate_on_submit():
        flash("页面已过期，请重新选择文件", "danger")
        return redirect(url_for(".index"))
    return uploads.submit(IMPORT, actor=current_user, back=url_for(".index"),
                          job_url=lambda job_id: url_for(".import_job", job_id=job_id))


uploads.job_routes(bp, IMPORT, rule="/import/jobs/<int:job_id>", guard=requires("orgs.manage"),
                   links=lambda: uploads.JobLinks(url_for(".index"), url_for(".index"),
                                                  [("乡镇和村", url_for(".index"))]))
