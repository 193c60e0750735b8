"""The 2004 → 2023 chart switch-over pages: upload a village's 2023-12-31 trial balance, preview the 2024 opening
balances, add stock-take adjustments and preview again, confirm; and the township's editable account mapping."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from threeassets.auth.access import township_view, village_view
from threeassets.auth.rules import permissions_of
from threeassets.core import uploads
from threeassets.core.csvio import ImportError_, Table, csv_text, read_table
from threeassets.core.db import db, transaction
from threeassets.core.errors import IllegalMove
from threeassets.core.periods import ym_label
from threeassets.ledger.openings.rules import ADJUSTMENT_KINDS
from threeassets.ledger.openings.service import adjustment_list, start_locked
from threeassets.switchover import service
from threeassets.switchover.rules import (
    OPENING_YM,
    TB_COLUMNS,
    TB_LIMITS,
    MappingRow,
    adjusted_totals,
    adjustments_key,
    chart_2004,
    names_2004,
    switch_actions,
    switch_refusal,
    tb_text,
    typed_adjustments,
)

bp = Blueprint("switchover", __name__, url_prefix="/v/<int:village_id>/switchover")
township_bp = Blueprint("switchover_township", __name__, url_prefix="/t/<int:township_id>/switchover")
BLUEPRINTS = (bp, township_bp,)
EXTRA_ROWS = 5  # blank rows on the mapping page for sub-account or locally added codes
BLANK_ADJUSTMENTS = 3  # blank stock-take adjustment rows under the typed ones on the preview


def _balance_sheet_url(village_id: int) -> str | None:
    """The balance sheet at the end of 2024-01 (its 年初数 are the converted balances), when one is served."""
    for endpoint in ("statements.village_balance_sheet", "statements.balance_sheet"):
        if endpoint in current_app.view_functions:
            try:
                return url_for(endpoint, village_id=village_id, period=ym_label(OPENING_YM))
            except BuildError:
                continue
    return None


@bp.get("")
@village_view("voucher.post")
def index(village_id: int):
    """新旧制度转换: the upload form (offered while the switch-over rules allow it, else why not), or the finished
    switch with links to its opening reports."""
    voucher = service.opening_voucher(db.session, village_id)
    switched = service.switched_openings(db.session, village_id)
    facts = service.switch_facts(db.session, village_id)
    month = ym_label(OPENING_YM)
    done = voucher is not None or switched is not None
    return render_template("switchover/index.html", voucher=voucher, switched=switched, columns=TB_COLUMNS,
                           refusal=None if done else switch_refusal(facts),
                           actions=switch_actions(facts, permissions_of(current_user.role)),
                           tb_url=url_for("reports.village_tb", village_id=village_id, **{"from": month, "to": month}),
                           limits_text=TB_LIMITS.summary(),
                           balance_sheet=_balance_sheet_url(village_id) if done else None,
                           adjustments=adjustment_list(db.session, village_id) if switched else [],
                           locked=switched is not None and start_locked(db.session, village_id))


def _preview_page(result: service.Preview, filename: str, status: int = 200, notice: str | None = None):
    """The preview: the mapped rows, the stock-take adjustments (typed ones with their problems, then blank rows)
    and the 2024-01-01 openings as converted, adjusted and the sum; the trial balance carried in the form."""
    if result.adjustment_problems and status == 200:
        status = 422
    return render_template("switchover/preview.html", result=result, filename=filename, tb=tb_text(result.lines),
                           kinds=ADJUSTMENT_KINDS, rows=result.adjustments + [None] * BLANK_ADJUSTMENTS,
                           seen=adjustments_key(result.adjustments), totals=adjusted_totals(result.opening),
                           notice=notice), status


def _carried() -> tuple[str, Table]:
    """(file name, table) of the trial balance carried in a preview's form; ImportError_ when it does not read."""
    name = (request.form.get("filename") or "余额表.csv")[:100]
    return name, read_table(request.form.get("tb", "").encode("utf-8"), name, TB_COLUMNS, TB_LIMITS)


@bp.post("")
@village_view("voucher.post")
@uploads.upload_limit(TB_LIMITS.bytes)
def preview(village_id: int):
    """Check an uploaded trial balance and show the mapped 2024 opening balances (nothing is written)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename or not upload.filename.lower().endswith((".csv", ".xlsx")):
        flash("请选择 CSV 或 XLSX 格式的科目余额表", "danger")
        return redirect(url_for(".index", village_id=village_id))
    back = url_for(".index", village_id=village_id)
    try:
        table = read_table(upload.read(TB_LIMITS.bytes + 1), upload.filename, TB_COLUMNS, TB_LIMITS)
        result = service.preview(db.session, g.village, table)
    except ImportError_ as exc:
        return render_template("import_errors.html", errors=exc.errors, back=back), 422
    return _preview_page(result, upload.filename)


@bp.post("/preview")
@village_view("voucher.post")
@uploads.upload_limit(TB_LIMITS.bytes)
def repreview(village_id: int):
    """The carried trial balance previewed again with the typed stock-take adjustments (nothing is written)."""
    try:
        name, table = _carried()
        result = service.preview(db.session, g.village, table, typed_adjustments(request.form))
    except ImportError_ as exc:
        return render_template("import_errors.html", errors=exc.errors,
                               back=url_for(".index", village_id=village_id)), 422
    return _preview_page(result, name)


@bp.post("/confirm")
@village_view("voucher.post")
@uploads.upload_limit(TB_LIMITS.bytes)
def confirm(village_id: int):
    """Save the opening balances from the previewed trial balance (checked again in full) and apply the
    adjustments shown with it, in one transaction; adjustments changed since the preview are shown first."""
    back = url_for(".index", village_id=village_id)
    adjustments = typed_adjustments(request.form)
    try:
        name, table = _carried()
        if request.form.get("adj-seen", adjustments_key([])) != adjustments_key(adjustments):
            return _preview_page(service.preview(db.session, g.village, table, adjustments), name,
                                 notice="清产核资调整在预览后有改动：请核对下表调整后的期初余额，再确认转换")
        with transaction(db.session):
            service.switch_over(db.session, village=g.village, table=table, actor=current_user,
                                adjustments=adjustments)
    except ImportError_ as exc:
        return render_template("import_errors.html", errors=exc.errors, back=back), 422
    except service.AdjustmentsInvalid as exc:
        result = service.preview(db.session, g.village, table, adjustments)
        result.adjustment_problems = result.adjustment_problems or exc.problems
        return _preview_page(result, name, 422)
    except (service.SwitchError, IllegalMove) as exc:  # the books refuse it: said over the preview of what was sent
        result = service.preview(db.session, g.village, table, adjustments)
        shown = {result.refusal, *result.problems, *(why for _line, _col, why in result.plan.errors)}
        unsaid = [m for m in (getattr(exc, "messages", None) or [str(exc)]) if m not in shown]  # the page says those
        for msg in unsaid[:50]:
            flash(msg, "danger")
        if len(unsaid) > 50:
            flash(f"另有 {len(unsaid) - 50} 条问题未列出", "danger")
        return _preview_page(result, name, 422)
    done = f"，并登记清产核资调整 {len(adjustments)} 笔" if adjustments else ""
    flash(f"已完成新旧制度转换：转换后的余额已作为 2024年1月 的期初余额{done}", "success")
    return redirect(back)


@bp.get("/template.csv")
@village_view("voucher.post")
def template(village_id: int):
    """A trial balance template under the 2004 chart, UTF-8 with BOM for Excel."""
    body = csv_text(TB_COLUMNS, (
        ("101", "现金", "1200.00", ""), ("102", "银行存款", "50000.00", ""), ("112", "应收款", "3000.00", ""),
        ("112001", "张三", "3000.00", ""), ("301", "资本", "", "30000.00"), ("322", "收益分配", "", "24200.00")))
    return Response("\ufeff" + body, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=tb-2004-template.csv"})


def _typed_mapping(form) -> list[MappingRow]:
    """The mapping rows of the posted form: one per listed old code, plus filled extra rows."""
    rows = []
    for key in form:
        if key.startswith("new-"):
            code = key[4:]
            rows.append(MappingRow(code, form.get(key, "").strip(), form.get("note-" + code, "").strip()))
    for i in range(EXTRA_ROWS):
        code = form.get(f"extra-old-{i}", "").strip()
        if code:
            rows.append(MappingRow(code, form.get(f"extra-new-{i}", "").strip(),
                                   form.get(f"extra-note-{i}", "").strip()))
    return rows


def _mapping_page(rows: list[MappingRow], is_default: bool, status: int = 200):
    """The mapping table: every 2004 account and any other mapped code, with the 2023 accounts to choose from."""
    listed = {r.old_code for r in rows}
    rows = rows + [MappingRow(code, "", "") for code in chart_2004() if code not in listed]
    return render_template("switchover/mapping.html", rows=sorted(rows, key=lambda r: r.old_code),
                           is_default=is_default, old_names=names_2004(), standard=chart_2004(),
                           targets=service.chart_2023(),
                           extra=range(EXTRA_ROWS)), status


@township_bp.get("/mapping")
@township_view("accounts.edit")
def mapping(township_id: int):
    """科目对应关系 of the township (the defaults until it saves its own)."""
    rows, is_default = service.mapping_rows(db.session, township_id)
    return _mapping_page(rows, is_default)


@township_bp.post("/mapping")
@township_view("accounts.edit")
def mapping_save(township_id: int):
    """Save the township's mapping, or go back to the defaults."""
    try:
        with transaction(db.session):
            if request.form.get("action") == "reset":
                service.reset_mapping(db.session, township=g.township, actor=current_user)
                flash("已恢复默认的科目对应关系", "success")
            else:
                count = service.save_mapping(db.session, township=g.township, rows=_typed_mapping(request.form),
                                             actor=current_user)
                flash(f"科目对应关系已保存：{count} 项", "success")
    except service.SwitchError as exc:
        for msg in exc.messages[:50]:
            flash(msg, "danger")
        return _mapping_page(_typed_mapping(request.form), False, 422)
    return redirect(url_for(".mapping", township_id=township_id))
