"""The 2004 → 2023 chart switch-over pages: upload a village's 2023-12-31 trial balance, preview the 2024 opening
balances, confirm; and the township's editable account mapping."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from threeassets.auth.access import township_view, village_view
from threeassets.auth.rules import permissions_of
from threeassets.core import uploads
from threeassets.core.csvio import ImportError_, csv_text, read_table
from threeassets.core.db import db, transaction
from threeassets.core.errors import IllegalMove
from threeassets.core.periods import ym_label
from threeassets.switchover import service
from threeassets.switchover.rules import (
    OPENING_YM,
    TB_COLUMNS,
    TB_LIMITS,
    MappingRow,
    chart_2004,
    names_2004,
    switch_actions,
    switch_refusal,
    tb_text,
)

bp = Blueprint("switchover", __name__, url_prefix="/v/<int:village_id>/switchover")
township_bp = Blueprint("switchover_township", __name__, url_prefix="/t/<int:township_id>/switchover")
BLUEPRINTS = (bp, township_bp,)
EXTRA_ROWS = 5  # blank rows on the mapping page for sub-account or locally added codes


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
                           balance_sheet=_balance_sheet_url(village_id) if done else None)


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
    return render_template("switchover/preview.html", result=result, filename=upload.filename,
                           tb=tb_text(result.lines))


@bp.post("/confirm")
@village_view("voucher.post")
@uploads.upload_limit(TB_LIMITS.bytes)
def confirm(village_id: int):
    """Save the opening balances from the previewed trial balance (checked again in full)."""
    name = (request.form.get("filename") or "余额表.csv")[:100]
    back = url_for(".index", village_id=village_id)
    try:
        table = read_table(request.form.get("tb", "").encode("utf-8"), name, TB_COLUMNS, TB_LIMITS)
        with transaction(db.session):
            service.switch_over(db.session, village=g.village, table=table, actor=current_user)
    except ImportError_ as exc:
        return render_template("import_errors.html", errors=exc.errors, back=back), 422
    except service.SwitchError as exc:
        for msg in exc.messages[:50]:
            flash(msg, "danger")
        return redirect(back)
    except IllegalMove as exc:
        flash(str(exc), "danger")
        return redirect(back)
    flash("已完成新旧制度转换：转换后的余额已作为 2024年1月 的期初余额", "success")
    return redirect(back)


@bp.get("/template.csv")
@village_view("voucher.post")
def template(village_id: int):
    """A trial balance template under the 2004 chart, UTF-8 with BOM for Excel."""
    body = csv_text(TB_COLUMNS, (
        ("101", "现金", "1200.00", ""), ("102", "银行存款", "50000.00", ""), ("112", "应收款", "3000.00", ""),
        ("112001", "张三", "3000.00", ""), ("301", "资本", "", "30000.00"), ("322", "收益分配", "", "24200.00")))
    return Response("\ufeff" + body, mimetype="text/csv; charset=utf-8",
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
