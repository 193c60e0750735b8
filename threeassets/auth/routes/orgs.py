"""Townships and villages: the admin's organisation pages."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from threeassets.auth.access import requires
from threeassets.auth.routes import orgs_bp as bp
from threeassets.core.csvio import ImportError_, read_table
from threeassets.core.db import db, transaction
from threeassets.orgs import service
from threeassets.orgs.models import Township


class VillageForm(FlaskForm):
    """A township (created if new) and one of its villages."""

    township_code = StringField("乡镇编码", validators=[DataRequired("请填写乡镇编码"), Length(max=32)])
    township_name = StringField("乡镇名称", validators=[DataRequired("请填写乡镇名称"), Length(max=100)])
    village_code = StringField("村编码", validators=[DataRequired("请填写村编码"), Length(max=32)])
    village_name = StringField("村名称", validators=[DataRequired("请填写村名称"), Length(max=100)])
    credit_code = StringField("统一社会信用代码（可选）", validators=[Optional(), Length(max=18)])


class ImportForm(FlaskForm):
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
    return render_template("orgs/index.html", form=form, townships=townships, import_form=ImportForm())


@bp.post("/import")
@requires("orgs.manage")
def import_file():
    """Import townships and villages from CSV/XLSX (all-or-nothing)."""
    form = ImportForm()
    upload = request.files.get("file")
    if not form.validate_on_submit() or upload is None or not upload.filename:
        flash("请选择文件", "danger")
        return redirect(url_for(".index"))
    if not upload.filename.lower().endswith((".csv", ".xlsx")):
        flash("只接受 CSV 或 XLSX 文件", "danger")
        return redirect(url_for(".index"))
    try:
        table = read_table(upload.read(), upload.filename, service.ORG_COLUMNS)
        with transaction(db.session):
            t, v = service.import_orgs(db.session, table, current_user)
    except ImportError_ as exc:
        return render_template("import_errors.html", errors=exc.errors, back=url_for(".index")), 422
    flash(f"导入完成：{t} 个乡镇，{v} 个村", "success")
    return redirect(url_for(".index"))
