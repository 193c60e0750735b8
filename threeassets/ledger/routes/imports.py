"""Township-level voucher import page: upload a CSV/XLSX of history for the township's villages; the import runs
as a background job (core/uploads.py) with a progress page."""
from __future__ import annotations

from flask import Response, g, render_template, url_for
from flask_login import current_user
from wtforms import BooleanField

from threeassets.auth.access import township_view
from threeassets.core import jobs, uploads
from threeassets.core.csvio import csv_text
from threeassets.core.db import db
from threeassets.core.forms import Form
from threeassets.ledger.importer import COLUMNS, LIMITS, import_vouchers
from threeassets.ledger.routes import imports_bp as bp
from threeassets.orgs.service import check_rows_in_township


class VoucherImportForm(Form):
    """The upload form; the file comes from request.files."""

    post = BooleanField("导入后直接记账（历史凭证）")


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: every village of the file within the uploader's township, then the vouchers
    (numbered and posted when asked), lines checked counted on the job's progress bar."""
    check_rows_in_township(session, table, ask.township_id)
    post = bool(ask.options.get("post"))
    stats = import_vouchers(session, table, post=post, actor=ask.actor,
                            progress=lambda n: ask.progress(done=n, current=f"已检查 {n:,} 行"))
    ask.progress(current="正在保存")
    return {**stats, "posted": post}


def _done(stats: dict) -> str:
    state = "已记账" if stats.get("posted") else "待审核"
    done = f"导入完成：{stats['villages']} 个村，{stats['vouchers']} 张凭证（{stats['lines']} 行），状态：{state}"
    deficits = stats.get("cash_deficits") or {}
    if deficits:
        listed = "；".join(f"{name} {'、'.join(months)}" for name, months in deficits.items())
        done += f"。以下月份月末库存现金为贷方余额（现金赤字），已按原账导入，请核对：{listed}"
    return done


IMPORT = uploads.register(uploads.ImportKind("import.vouchers", "导入凭证", COLUMNS, _run_import, _done, LIMITS))


def _page(form: VoucherImportForm, status: int = 200):
    recent = jobs.recent(db.session, (IMPORT.kind,), township_id=g.township.id)
    return render_template("ledger/import.html", form=form, columns=COLUMNS, recent=recent,
                           limits_text=uploads.limits_text(IMPORT)), status


@bp.route("/vouchers", methods=["GET", "POST"])
@township_view("voucher.post")
@uploads.upload_limit(LIMITS.bytes)
def vouchers(township_id: int):
    """Upload vouchers for the township's villages; queued as an import job (all-or-nothing, errors listed by
    file, line and column on the job's page)."""
    form = VoucherImportForm()
    if not form.validate_on_submit():
        return _page(form)
    return uploads.submit(IMPORT, township_id=township_id, actor=current_user, options={"post": form.post.data},
                          form_page=lambda status: _page(form, status),
                          job_url=lambda job_id: url_for(".job", township_id=township_id, job_id=job_id))


uploads.job_routes(bp, IMPORT, rule="/vouchers/jobs/<int:job_id>", guard=township_view("voucher.post"), endpoint="job",
                   links=lambda township_id: uploads.JobLinks(
                       url_for(".vouchers", township_id=township_id),
                       crumbs=[("导入凭证", url_for(".vouchers", township_id=township_id))]))


@bp.get("/vouchers/template.csv")
@township_view("voucher.post")
def template(township_id: int):
    """The voucher import template: the header and one example voucher, UTF-8 with BOM for Excel."""
    code = g.township.villages[0].code if g.township.villages else "V001"
    body = csv_text(COLUMNS, [[code, "2024-01-05", "2024-001", "购买办公用品", "513", "350.00", ""],
                              [code, "2024-01-05", "2024-001", "购买办公用品", "101", "", "350.00"]])
    return Response("\ufeff" + body, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=voucher-import-template.csv"})
