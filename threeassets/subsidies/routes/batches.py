"""补贴发放 of a township: the lists (by policy, year and batch), a list's page (rows, villages, objections, the
differences after payment), its import, the notice (公示) and its end, objections, the bank's payment file, the
templates and the totals."""
from __future__ import annotations

from datetime import date

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from threeassets.auth.access import township_view
from threeassets.auth.rules import permissions_of
from threeassets.core import jobs, uploads
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.masking import mask_id
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_id, arg_page, arg_year
from threeassets.core.parse import to_id, to_int
from threeassets.core.refused import NONE, refused
from threeassets.core.xlsx import Sheet, simple_sheet, workbook
from threeassets.orgs.models import Village
from threeassets.subsidies import importer, service
from threeassets.subsidies.models import Batch, Policy
from threeassets.subsidies.routes import XLSX, attachment, batches_bp, ctx
from threeassets.subsidies.rules import OUTCOME_LABELS, batch_actions, notice_days_left

LIST_TEMPLATE = (["身份证号", "村编码", "户号", "户主姓名", "数量", "标准", "金额", "备注"],
                 [["", "V001", "001", "王建国", "6.35", "118.37", "751.65", "示例：按身份证号或村编码+户号找到农户"]])
PAYMENT_TEMPLATE = (["户名", "身份证号", "卡号后四位", "发放金额", "发放日期", "状态", "流水号"],
                    [["王建国", "（可填完整身份证号或后四位）", "1234", "751.65", "2024-10-15", "成功", "BK0001"]])


def _batch(batch_id: int) -> Batch:
    """The township's list or 404."""
    batch = db.session.get(Batch, batch_id)
    if batch is None or batch.township_id != g.township.id:
        abort(404)
    return batch


def _back(batch_id: int, message: str, category: str = "success"):
    flash(message, category)
    return redirect(url_for(".show", township_id=g.township.id, batch_id=batch_id))


@batches_bp.get("")
@township_view("subsidies.read")
def index(township_id: int):
    """补贴发放: the township's lists, newest first, with filters, and the totals per policy of the year."""
    a = request.args
    policy_id, year, state = arg_id("policy_id"), arg_year(), a.get("state", "")
    page = paginate(db.session, service.batch_query(township_id, policy_id=policy_id, year=year, state=state),
                    arg_page(), current_app.config.get("PAGE_SIZE", 50), scalars=False)
    totals = {b.id: service.batch_total(db.session, b.id) for b, _n in page.items}
    policies = list(db.session.scalars(select(Policy).where(Policy.township_id == township_id)
                                       .order_by(Policy.level, Policy.code)))
    return render_template("subsidies/batches.html", **ctx(page=page, totals=totals, policies=policies,
                                                            f={"policy_id": policy_id, "year": year, "state": state}))


@batches_bp.get("/totals")
@township_view("subsidies.read")
def totals(township_id: int):
    """发放统计: per policy and per village of a year (published and paid lists), in SQL sums."""
    year = arg_year(default=date.today().year)
    batch_ids = list(db.session.scalars(select(Batch.id).where(Batch.township_id == township_id, Batch.year == year,
                                                               Batch.state != "draft")))
    return render_template("subsidies/totals.html", **ctx(
        year=year, by_policy=service.totals_by_policy(db.session, township_id, year),
        by_village=service.totals_by_village(db.session, batch_ids) if batch_ids else []))


@batches_bp.get("/new")
@township_view("subsidies.edit")
def new(township_id: int):
    """Form for a new list."""
    return _new_page({"year": str(date.today().year), "name": "第一批"}, {})


def _new_page(values: dict, problems: dict, status: int = 200):
    return render_template("subsidies/batch_new.html", **ctx(
        v=values, problems=problems, policies=service.active_policies(db.session, g.township.id))), status


@batches_bp.post("/new")
@township_view("subsidies.edit")
def create(township_id: int):
    """Create a draft list of a policy and year."""
    f = request.form
    try:
        with transaction(db.session):
            batch = service.create_batch(db.session, g.township, current_user, policy_id=to_id(f.get("policy_id")),
                                         year=to_int(f.get("year"), None, lo=2000, hi=2100), name=f.get("name", ""))
    except RuleError as exc:
        flash(str(exc), "danger")
        return _new_page(dict(f), exc.fields, 422)
    return _back(batch.id, "名单已创建：请导入名单")


@batches_bp.get("/<int:batch_id>")
@township_view("subsidies.read")
def show(township_id: int, batch_id: int):
    """A list: state and notice, per-village totals and notices to print, rows, objections, differences."""
    return _show_page(township_id, batch_id)


def _show_page(township_id: int, batch_id: int, refused=NONE, status: int = 200):
    """The list's page; after a refused 撤回公示 or 登记异议, drawn again with what was typed (422)."""
    batch = _batch(batch_id)
    village_id = arg_id("village_id")
    page = paginate(db.session, service.rows_query(batch.id, village_id), arg_page(),
                    current_app.config.get("PAGE_SIZE", 50), scalars=False)
    facts = service.facts_of(db.session, batch)
    villages = list(db.session.scalars(select(Village).where(Village.township_id == township_id)
                                       .order_by(Village.code)))
    return render_template("subsidies/batch.html", **ctx(
        batch=batch, policy=db.session.get(Policy, batch.policy_id), page=page, village_id=village_id,
        by_village=service.totals_by_village(db.session, [batch.id]), total=service.batch_total(db.session, batch.id),
        objections=service.objections(db.session, batch.id), villages=villages, mask_id=mask_id,
        differences=service.differences(db.session, batch), days_left=notice_days_left(batch.notice_to, date.today()),
        actions=batch_actions(facts, permissions_of(current_user.role)), today=date.today().isoformat(),
        recent=jobs.recent(db.session, (LIST_IMPORT.kind, PAYMENT_IMPORT.kind), township_id=township_id),
        refused=refused, limits={"withdraw": service.WITHDRAW_REASON_MAX, "raised_by": service.RAISED_BY_MAX,
                                 "objection": service.OBJECTION_TEXT_MAX})), status


def _move(batch_id: int, act, done: str, form: str = "", typed: tuple[str, ...] = ()):
    """Run a move of the list; a refused form with typed fields comes back on the page as typed (422)."""
    try:
        with transaction(db.session):
            act(_batch(batch_id))
    except RuleError as exc:
        if not form:
            return _back(batch_id, str(exc), "danger")
        flash(str(exc), "danger")
        return _show_page(g.township.id, batch_id, refused(form, request.form, typed, exc.fields), 422)
    return _back(batch_id, done)


@batches_bp.post("/<int:batch_id>/notice")
@township_view("subsidies.edit")
def start_notice(township_id: int, batch_id: int):
    """开始公示 today for the township's notice period."""
    return _move(batch_id, lambda b: service.start_notice(db.session, b, current_user),
                 "已开始公示：请打印各村公示表张贴")


@batches_bp.post("/<int:batch_id>/withdraw")
@township_view("subsidies.edit")
def withdraw(township_id: int, batch_id: int):
    """撤回公示 to correct the list."""
    reason = request.form.get("reason", "")
    return _move(batch_id, lambda b: service.withdraw_notice(db.session, b, current_user, reason),
                 "公示已撤回，名单回到草稿", "withdraw", ("reason",))


@batches_bp.post("/<int:batch_id>/end")
@township_view("subsidies.edit")
def end_notice(township_id: int, batch_id: int):
    """公示期满 (refused before the period has run)."""
    return _move(batch_id, lambda b: service.end_notice(db.session, b, current_user), "公示期满：可以导入银行发放结果")


@batches_bp.post("/<int:batch_id>/delete")
@township_view("subsidies.edit")
def delete(township_id: int, batch_id: int):
    """Delete a draft list."""
    try:
        with transaction(db.session):
            service.delete_batch(db.session, _batch(batch_id), current_user)
    except RuleError as exc:
        return _back(batch_id, str(exc), "danger")
    flash("名单已删除", "success")
    return redirect(url_for(".index", township_id=township_id))


@batches_bp.post("/<int:batch_id>/objections")
@township_view("subsidies.edit")
def objection(township_id: int, batch_id: int):
    """登记异议: who raised it, when, what, the outcome."""
    f = request.form
    data = service.ObjectionInput(f.get("raised_by", ""), f.get("raised_on", ""), f.get("content", ""),
                                  f.get("outcome", ""), to_id(f.get("village_id")))
    return _move(batch_id, lambda b: service.add_objection(db.session, b, current_user, data), "异议已登记",
                 "objection", ("raised_on", "village_id", "raised_by", "content", "outcome"))


@batches_bp.get("/<int:batch_id>/differences.xlsx")
@township_view("subsidies.read")
def differences(township_id: int, batch_id: int):
    """The list of differences as XLSX (IDs masked)."""
    batch = _batch(batch_id)
    rows = [[OUTCOME_LABELS[d.outcome], d.village, d.head_name, d.id_masked, d.noticed, d.paid,
             d.paid_on.isoformat() if d.paid_on else "", d.line or "", d.reference]
            for d in service.differences(db.session, batch)]
    data = simple_sheet("发放差异", f"{batch.year}年 {batch.name} 发放差异清单", "身份证号已隐去中间数字",
                        ["差异", "村", "户名", "身份证号/卡号后四位", "公示金额", "发放金额", "发放日期", "银行文件行",
                         "流水号"], rows, range(4, 6), [18, 12, 10, 22, 12, 12, 12, 10, 14])
    return Response(data, mimetype=XLSX, headers=attachment(f"发放差异-{batch.year}-{batch.id}.xlsx"))


def _template(header: list[str], rows: list[list], sheet: str, name: str) -> Response:
    data = workbook(Sheet(sheet, [header], rows, widths=[22] * len(header)))
    return Response(data, mimetype=XLSX, headers=attachment(name))


@batches_bp.get("/templates/list.xlsx")
@township_view("subsidies.edit")
def template_list(township_id: int):
    """The list template: the household by ID (or village code and number), quantity, rate, amount."""
    return _template(*LIST_TEMPLATE, "名单", "补贴名单模板.xlsx")


@batches_bp.get("/templates/payments.xlsx")
@township_view("subsidies.edit")
def template_payments(township_id: int):
    """The bank result template: holder, ID or card digits, amount, date, status, reference."""
    return _template(*PAYMENT_TEMPLATE, "发放结果", "发放结果模板.xlsx")


# --- the two imports of a list ------------------------------------------------------------------------------


def _batch_of(session, ask: uploads.Ask) -> Batch:
    batch = session.get(Batch, ask.options.get("batch_id"))
    if batch is None or batch.township_id != ask.township_id:
        raise RuleError("名单不存在")
    return batch


def _run_list(session, table, ask: uploads.Ask) -> dict:
    return importer.import_rows(session, table, _batch_of(session, ask), actor=ask.actor)


def _run_payments(session, table, ask: uploads.Ask) -> dict:
    return importer.import_payments(session, table, _batch_of(session, ask), actor=ask.actor)


LIST_IMPORT = uploads.register(uploads.ImportKind(
    "import.subsidy_list", "导入补贴名单", [], _run_list,
    done=lambda s: f"导入完成：{s['rows']} 户，合计 {s['total']} 元", unit="户"))
PAYMENT_IMPORT = uploads.register(uploads.ImportKind(
    "import.subsidy_payments", "导入发放结果", [], _run_payments,
    done=lambda s: f"导入完成：{s['lines']} 行，发放合计 {s['paid']} 元，差异 {s['mismatches']} 处"))
SPECS = {"list": LIST_IMPORT, "payments": PAYMENT_IMPORT}


def _submit(spec: uploads.ImportKind, township_id: int, batch_id: int):
    batch = _batch(batch_id)
    back = url_for(".show", township_id=township_id, batch_id=batch.id)
    return uploads.submit(spec, township_id=township_id, actor=current_user, options={"batch_id": batch.id},
                          job_url=lambda job_id: url_for(".import_job", township_id=township_id, job_id=job_id),
                          back=back)


@batches_bp.post("/<int:batch_id>/import/list")
@township_view("subsidies.edit")
@uploads.upload_limit(LIST_IMPORT.limits.bytes)
def import_list(township_id: int, batch_id: int):
    """Queue the list file as an import job of the draft list (it replaces the rows; all or nothing)."""
    return _submit(LIST_IMPORT, township_id, batch_id)


@batches_bp.post("/<int:batch_id>/import/payments")
@township_view("subsidies.edit")
@uploads.upload_limit(PAYMENT_IMPORT.limits.bytes)
def import_payments(township_id: int, batch_id: int):
    """Queue the bank's result file as an import job of the list (after its notice period)."""
    return _submit(PAYMENT_IMPORT, township_id, batch_id)


def _job(job_id: int):
    return jobs.get(db.session, job_id, tuple(s.kind for s in SPECS.values()), township_id=g.township.id)


@batches_bp.get("/jobs/<int:job_id>")
@township_view("subsidies.edit")
def import_job(township_id: int, job_id: int):
    """An import's progress, then what it imported or why the file was refused."""
    job = _job(job_id)
    spec = next(s for s in SPECS.values() if s.kind == job.kind)
    batch_url = url_for(".show", township_id=township_id, batch_id=job.args.get("options", {}).get("batch_id", 0))
    return uploads.job_page(spec, job, status_url=url_for(".import_job_status", township_id=township_id,
                                                          job_id=job_id),
                            back=batch_url, next_url=batch_url,
                            crumbs=[("补贴发放", url_for(".index", township_id=township_id)), ("名单", batch_url)])


@batches_bp.get("/jobs/<int:job_id>/status")
@township_view("subsidies.edit")
def import_job_status(township_id: int, job_id: int):
    """JSON progress of an import."""
    return uploads.job_status(_job(job_id))

