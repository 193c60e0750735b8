"""Township-level voucher import page: upload a CSV/XLSX of history for the township's villages."""
from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField

from threeassets.auth.access import township_view
from threeassets.core.csvio import ImportError_, csv_text, read_table
from threeassets.core.db import db, transaction
from threeassets.ledger.importer import COLUMNS, import_vouchers
from threeassets.ledger.routes import imports_bp as bp
from threeassets.orgs.service import check_rows_in_township

ALLOWED = (".csv", ".xlsx")


class VoucherImportForm(FlaskForm):
    """The upload form; the file comes from request.files."""

    post = BooleanField("导入后直接记账（历史凭证）")


@bp.route("/vouchers", methods=["GET", "POST"])
@township_view("voucher.post")
def vouchers(township_id: int):
    """Upload vouchers for the township's villages; all-or-nothing, errors listed by file, line and column."""
    form = VoucherImportForm()
    if not form.validate_on_submit():
        return render_template("ledger/import.html", form=form, columns=COLUMNS)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的文件", "danger")
        return render_template("ledger/import.html", form=form, columns=COLUMNS), 422
    if not upload.filename.lower().endswith(ALLOWED):
        flash("只接受 CSV 或 XLSX 文件", "danger")
        return render_template("ledger/import.html", form=form, columns=COLUMNS), 422
    back = url_for(".vouchers", township_id=township_id)
    try:
        table = read_table(upload.read(), upload.filename, COLUMNS)
        with transaction(db.session):
            check_rows_in_township(db.session, table, township_id)
            stats = import_vouchers(db.session, table, post=form.post.data, actor=current_user)
    except ImportError_ as exc:
        return render_template("import_errors.html", errors=exc.errors, back=back), 422
    state = "已记账" if form.post.data else "待审核"
    flash(f"导入完成：{stats['villages']} 个村，{stats['vouchers']} 张凭证（{stats['lines']} 行），状态：{state}",
          "success")
    return redirect(back)


@bp.get("/vouchers/template.csv")
@township_view("voucher.post")
def template(township_id: int):
    """The voucher import template: the header and one example voucher, UTF-8 with BOM for Excel."""
    code = g.township.villages[0].code if g.township.villages else "V001"
    body = csv_text(COLUMNS, [[code, "2024-01-05", "2024-001", "购买办公用品", "513", "350.00", ""],
                              [code, "2024-01-05", "2024-001", "购买办公用品", "101", "", "350.00"]])
    return Response("\ufeff" + body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=voucher-import-template.csv"})
