"""Asset cards of a village: list, export, card page, add/edit, attachments, import."""
from __future__ import annotations

import json
from datetime import date
from urllib.parse import quote

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from threeassets.assets import disposal, importer, service
from threeassets.assets.models import Asset
from threeassets.assets.routes import LABELS, bp
from threeassets.assets.routes.changes import card_closed
from threeassets.assets.rules import (
    CATEGORIES,
    PURPOSE_LABELS,
    STATUS_LABELS,
    card_actions,
    disposal_actions,
    monthly_amount,
    parse_card,
    schedule,
)
from threeassets.attachments.service import for_owner, store_uploads
from threeassets.auth.access import village_view
from threeassets.auth.rules import permissions_of
from threeassets.core import jobs, uploads
from threeassets.core.csvio import csv_text
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.periods import ym_of
from threeassets.core.tenancy import get_owned
from threeassets.core.xlsx import simple_sheet
from threeassets.ledger.models import Voucher
from threeassets.orgs.models import Village

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_FIELDS = ("code", "name", "category", "purpose", "acquired_on", "original_cost", "useful_life_months",
               "salvage_rate", "depreciate", "accumulated_depreciation", "location", "custodian", "status", "note")
FIELD_LABELS = {"status": "状态", "purpose": "用途", "location": "存放地点", "custodian": "保管人",
                "original_cost": "原值", "net": "净值"}


def describe(c) -> str:
    """A history row's change in words: 存放地点 村委会 → 二组仓库 …"""
    if c.kind not in ("transfer", "revaluation") or not c.before:
        return ""
    before, after = json.loads(c.before), json.loads(c.after or "{}")
    names = {**STATUS_LABELS, **PURPOSE_LABELS}
    return "；".join(f"{FIELD_LABELS.get(k, k)} {names.get(str(v), v) or '（空）'} → "
                    f"{names.get(str(after.get(k)), after.get(k)) or '（空）'}" for k, v in before.items())


def _filters() -> service.Filters:
    """The list filters from the query string."""
    a = request.args
    return service.Filters(q=a.get("q", "").strip()[:50], category=a.get("category", ""),
                           status=a.get("status", "") if a.get("status") in STATUS_LABELS else "",
                           purpose=a.get("purpose", "") if a.get("purpose") in PURPOSE_LABELS else "")


def _export(f: service.Filters) -> Response:
    """The filtered cards as an Excel sheet."""
    rows = [[a.code, a.name, a.category, PURPOSE_LABELS[a.purpose], STATUS_LABELS[a.status], a.location,
             a.custodian, a.acquired_on.isoformat(), a.original_cost, a.accumulated_depreciation,
             a.original_cost - a.accumulated_depreciation, a.useful_life_months, a.salvage_rate]
            for a in db.session.scalars(service.list_query(g.village.id, f))]
    data = simple_sheet("资产台账", f"{g.village.name} 固定资产台账", f"导出日期 {date.today().isoformat()}，单位：元",
                        ["资产编号", "资产名称", "类别", "用途", "状态", "存放地点", "保管人", "购置日期", "原值",
                         "累计折旧", "净值", "使用年限(月)", "残值率%"], rows, range(8, 11),
                        [12, 20, 14, 8, 8, 16, 10, 12, 14, 14, 14, 10, 8])
    name = quote(f"资产台账-{g.village.code}.xlsx")
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


def _export_csv(f: service.Filters) -> Response:
    """The filtered cards as CSV in the import's columns (importer.COLUMNS + OPTIONAL), so the file goes back in as
    it came out: another program or village can read it, an import takes it (a disposed card is 已处置 there,
    which an import refuses: cards come in live)."""
    rows = ([g.village.code, a.code, a.name, a.category, a.acquired_on.isoformat(), a.original_cost,
             a.useful_life_months, a.salvage_rate, "是" if a.depreciate else "否", a.accumulated_depreciation,
             PURPOSE_LABELS[a.purpose], a.location, a.custodian, STATUS_LABELS[a.status], a.note or ""]
            for a in db.session.scalars(service.list_query(g.village.id, f)))
    body = csv_text(importer.COLUMNS + importer.OPTIONAL, rows)
    return Response("\ufeff" + body, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=assets-{g.village.code}.csv"})


@bp.get("")
@village_view("registers.read")
def index(village_id: int):
    """资产台账: the village's cards with filters, totals, pagination, export and the import form."""
    f = _filters()
    if request.args.get("format") in ("xlsx", "csv"):
        return (_export if request.args["format"] == "xlsx" else _export_csv)(f)
    page = paginate(db.session, service.list_query(village_id, f), arg_page(),
                    current_app.config.get("PAGE_SIZE", 50))
    pending = service.pending_ids(db.session, village_id, [a.id for a in page.items])
    mine = permissions_of(current_user.role)
    actions = {a.id: card_actions(service.facts_of(a, a.id in pending), mine) for a in page.items}
    return render_template("assets/index.html", page=page, f=f, totals=service.totals(db.session, village_id, f),
                           on_books=service.totals(db.session, village_id, f, on_books=True),
                           categories=sorted(set(CATEGORIES) | set(service.categories(db.session, village_id))),
                           form=FlaskForm(), L=LABELS, columns=importer.COLUMNS, optional=importer.OPTIONAL,
                           actions=actions, recent=jobs.recent(db.session, (IMPORT.kind,), village_id=village_id),
                           limits_text=uploads.limits_text(IMPORT))


@bp.get("/<int:asset_id>")
@village_view("registers.read")
def show(village_id: int, asset_id: int):
    """资产卡片: details, the coming depreciation, history with vouchers, attachments."""
    a = get_owned(db.session, Asset, asset_id, village_id)
    months = schedule(a.original_cost, a.salvage_rate, a.useful_life_months, a.acquired_on,
                      a.accumulated_depreciation, start_ym=max(ym_of(date.today()), (a.depreciated_through or 0) + 1))
    hist = service.history(db.session, a)
    ids = [i for c, _v in hist for i in disposal.voucher_ids(c)]
    labels = {v.id: v.label for v in db.session.scalars(select(Voucher).where(
        Voucher.village_id == village_id, Voucher.id.in_(ids)))} if ids else {}
    pending, mine = service.pending_of(db.session, a), permissions_of(current_user.role)
    return render_template("assets/show.html", a=a, history=hist, L=LABELS, labels=labels,
                           monthly=monthly_amount(a.original_cost, a.salvage_rate, a.useful_life_months),
                           upcoming=months[:12], remaining=len(months), form=FlaskForm(),
                           attachments=for_owner(db.session, village_id, "asset", a.id),
                           pending=pending, voucher_ids=disposal.voucher_ids, describe=describe,
                           actions=card_actions(service.facts_of(a, pending is not None), mine),
                           decisions=disposal_actions(disposal.disposal_facts(pending), mine, current_user.id)
                           if pending else [])


def _form_page(asset: Asset | None, values: dict, problems: dict, status: int = 200, stale: bool = False):
    """The add/edit form with typed values and their problems; `stale`: the card was disposed of while the form
    was open, so the page offers the card as it now is instead of saving again."""
    locked = asset is not None and service.financial_locked(db.session, asset)
    return render_template("assets/form.html", a=asset, v=values, problems=problems, locked=locked, L=LABELS,
                           form=FlaskForm(), today=date.today().isoformat(), stale=stale), status


def _values(a: Asset) -> dict:
    """A card's fields as the form shows them."""
    v = {k: getattr(a, k) for k in FORM_FIELDS}
    v.update(acquired_on=a.acquired_on.isoformat(), depreciate="是" if a.depreciate else "否",
             original_cost=f"{a.original_cost:.2f}", accumulated_depreciation=f"{a.accumulated_depreciation:.2f}",
             salvage_rate=f"{a.salvage_rate:.2f}", note=a.note or "")
    return v


@bp.get("/new")
@village_view("registers.edit")
def new(village_id: int):
    """Form for a new card."""
    return _form_page(None, {"salvage_rate": "5", "depreciate": "是", "purpose": "operating", "status": "in_use",
                             "funding": "existing", "accumulated_depreciation": "0.00"}, {})


def _save(asset: Asset | None):
    """Check and save the form (create or update); errors go back to the form, nothing written."""
    values = {k: request.form.get(k, "") for k in (*FORM_FIELDS, "funding")}
    if asset is not None and (why := card_closed(asset, "edit")):  # before what was typed
        flash(why, "danger")
        return _form_page(asset, values, {}, 409, stale=True)
    card, problems = parse_card(values, date.today())
    if problems:
        return _form_page(asset, values, problems, 422)
    try:
        with transaction(db.session):
            if asset is None:
                asset = service.create_card(db.session, village=g.village, card=card, actor=current_user,
                                            funding=values["funding"])
            else:
                service.update_card(db.session, village=g.village, asset=asset, card=card, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        if asset is None or asset.id is None:
            return _form_page(None, values, getattr(exc, "fields", {}), 422)
        asset = get_owned(db.session, Asset, asset.id, g.village.id)
        moved = card_closed(asset, "edit") is not None  # disposed of meanwhile
        return _form_page(asset, values, getattr(exc, "fields", {}), 409 if moved else 422, stale=moved)
    flash(f"资产卡片 {card.code} {card.name} 已保存", "success")
    return redirect(url_for(".show", village_id=g.village.id, asset_id=asset.id))


@bp.post("/new")
@village_view("registers.edit")
def create(village_id: int):
    """Add a card (posting its purchase voucher when bought now)."""
    return _save(None)


@bp.get("/<int:asset_id>/edit")
@village_view("registers.edit")
def edit(village_id: int, asset_id: int):
    """Form to edit a card (a card disposed of is not edited: back to it, with the reason)."""
    a = get_owned(db.session, Asset, asset_id, village_id)
    if why := card_closed(a, "edit"):
        flash(why, "warning")
        return redirect(url_for(".show", village_id=village_id, asset_id=a.id))
    return _form_page(a, _values(a), {})


@bp.post("/<int:asset_id>/edit")
@village_view("registers.edit")
def update(village_id: int, asset_id: int):
    """Save the edited card."""
    return _save(get_owned(db.session, Asset, asset_id, village_id))


@bp.post("/<int:asset_id>/attachments")
@village_view("registers.edit")
def upload(village_id: int, asset_id: int):
    """Attach photos or invoices (JPG, PNG, PDF) to a card."""
    a = get_owned(db.session, Asset, asset_id, village_id)
    try:
        with transaction(db.session):
            stored = store_uploads(db.session, request.files.getlist("files"), village_id=village_id,
                                   owner_type="asset", owner_id=a.id, actor=current_user,
                                   note=request.form.get("note", "").strip())
    except RuleError as exc:
        flash(f"附件未上传：{exc}", "danger")
        return redirect(url_for(".show", village_id=village_id, asset_id=a.id))
    flash(f"已上传 {len(stored)} 个附件" if stored else "请选择文件", "success" if stored else "warning")
    return redirect(url_for(".show", village_id=village_id, asset_id=a.id))


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: the file's cards into the village it was uploaded to."""
    return importer.import_assets(session, table, actor=ask.actor, village=session.get(Village, ask.village_id))


IMPORT = uploads.register(uploads.ImportKind(
    "import.assets", "导入资产卡片", importer.COLUMNS, _run_import,
    done=lambda s: f"导入完成：{s['cards']} 张资产卡片（按现有账面余额登记，未生成凭证；请核对资产对账）"))


@bp.post("/import")
@village_view("registers.edit")
@uploads.upload_limit(IMPORT.limits.bytes)
def import_file(village_id: int):
    """Queue this village's cards from CSV/XLSX as an import job (all-or-nothing; org_code must be this village)."""
    return uploads.submit(IMPORT, village_id=village_id, township_id=g.village.township_id, actor=current_user,
                          job_url=lambda job_id: url_for(".import_job", village_id=village_id, job_id=job_id),
                          back=url_for(".index", village_id=village_id))


uploads.job_routes(bp, IMPORT, rule="/import/jobs/<int:job_id>", guard=village_view("registers.edit"),
                   links=lambda village_id: uploads.JobLinks(
                       url_for(".index", village_id=village_id) + "#import", url_for(".index", village_id=village_id),
                       [("固定资产台账", url_for(".index", village_id=village_id))]))


@bp.get("/import/template.xlsx")
@village_view("registers.read")
def template(village_id: int):
    """The card import template (XLSX) with two example rows of this village."""
    return Response(importer.template_xlsx(g.village.code), mimetype=XLSX,
                    headers={"Content-Disposition": "attachment; filename=asset-import-template.xlsx"})
