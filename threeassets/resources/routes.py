"""The resources register of a village (list, add, edit, import, totals) and the township's totals."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from threeassets.auth.access import township_view, village_view
from threeassets.core import hooks, uploads
from threeassets.core import jobs as core_jobs
from threeassets.core.csvio import csv_text
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.money import plain
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.tenancy import get_owned
from threeassets.orgs.models import Village
from threeassets.resources import service
from threeassets.resources.models import Resource
from threeassets.resources.rules import STATUS_LABELS, TYPES

bp = Blueprint("resources", __name__, url_prefix="/v/<int:village_id>/resources")
township_bp = Blueprint("resources_township", __name__, url_prefix="/t/<int:township_id>/resources")
BLUEPRINTS = (bp, township_bp,)
EXPORT_HEADER = ["资源编码", "名称", "类型", "坐落位置", "面积（亩）", "东至", "南至", "西至", "北至", "权证编号",
                 "状态"]
CSV_MIME = "text/csv"


def _ctx(**kw) -> dict:
    """Names every resources template uses."""
    return {"TYPES": TYPES, "STATUS_LABELS": STATUS_LABELS, "form": FlaskForm(), **kw}


@bp.get("")
@village_view("registers.read")
def index(village_id: int):
    """资源台账: filters above a paginated table."""
    q = service.search(village_id, request.args)
    page = paginate(db.session, q, arg_page(), current_app.config["PAGE_SIZE"])
    return render_template("resources/list.html", **_ctx(page=page, args=request.args))


@bp.get("/export.csv")
@village_view("registers.read")
def export(village_id: int):
    """The filtered register as CSV (UTF-8 with BOM for Excel)."""
    body = csv_text(EXPORT_HEADER, ([r.code, r.name, r.rtype, r.location, plain(r.area_mu), r.east, r.south, r.west,
                                     r.north, r.certificate_no, STATUS_LABELS[r.status]]
                                    for r in db.session.scalars(service.search(village_id, request.args))))
    return Response("\ufeff" + body, mimetype=CSV_MIME,
                    headers={"Content-Disposition": f"attachment; filename=resources-{g.village.code}.csv"})


def _form_page(resource: Resource | None, values: dict, problems: dict | None = None, status: int = 200):
    """The add/edit form with values and their problems."""
    return render_template("resources/form.html", **_ctx(resource=resource, values=values,
                                                          problems=problems or {})), status


@bp.get("/new")
@village_view("registers.edit")
def new(village_id: int):
    """Blank form for a new resource."""
    return _form_page(None, {"status": "unlet", "rtype": TYPES[0]})


@bp.post("/new")
@village_view("registers.edit")
def create(village_id: int):
    """Add a resource; problems are shown on the form and nothing is written."""
    try:
        with transaction(db.session):
            res = service.create(db.session, village=g.village, data=request.form, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _form_page(None, request.form, exc.fields, 422)
    flash(f"已登记资源 {res.code} {res.name}", "success")
    return redirect(url_for(".show", village_id=village_id, resource_id=res.id))


@bp.get("/<int:resource_id>")
@village_view("registers.read")
def show(village_id: int, resource_id: int):
    """One resource, with the sections other registers add (the contracts that let it)."""
    res = get_owned(db.session, Resource, resource_id, village_id)
    sections = hooks.answers(hooks.resource_sections, res, session=db.session)
    return render_template("resources/show.html", **_ctx(res=res, sections=sections))


@bp.get("/<int:resource_id>/edit")
@village_view("registers.edit")
def edit(village_id: int, resource_id: int):
    """The edit form of a resource."""
    res = get_owned(db.session, Resource, resource_id, village_id)
    values = {f: getattr(res, f) or "" for f in service.FIELDS}
    values["area_mu"] = plain(res.area_mu)
    return _form_page(res, values)


@bp.post("/<int:resource_id>/edit")
@village_view("registers.edit")
def update(village_id: int, resource_id: int):
    """Save an edited resource."""
    res = get_owned(db.session, Resource, resource_id, village_id)
    try:
        with transaction(db.session):
            res = get_owned(db.session, Resource, resource_id, village_id)
            service.update(db.session, village=g.village, resource=res, data=request.form, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _form_page(res, request.form, exc.fields, 422)
    flash("已保存", "success")
    return redirect(url_for(".show", village_id=village_id, resource_id=resource_id))


def _summary_page(village_ids: list[int], title: str, villages: list[Village], **scope):
    """Totals by type and status, and per village when there are several."""
    whole, per = service.summary(db.session, village_ids)
    return render_template("resources/summary.html", **_ctx(whole=whole, per=per, title=title, villages=villages,
                                                             **scope))


@bp.get("/summary")
@village_view("registers.read")
def summary(village_id: int):
    """资源汇总 of one village: parcels and area by type and status."""
    return _summary_page([village_id], f"{g.village.name} 资源汇总表", [])


@township_bp.get("/summary")
@township_view("registers.read")
def township_summary(township_id: int):
    """全镇资源汇总: the township's totals by type and status, and each village's."""
    villages = list(db.session.scalars(select(Village).where(Village.township_id == township_id)
                                       .order_by(Village.code)))
    return _summary_page([v.id for v in villages], f"{g.township.name} 资源汇总表（全镇）", villages,
                         township=g.township)


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: the file's resources into the village it was uploaded to."""
    return service.import_resources(session, table, actor=ask.actor, only_village=session.get(Village, ask.village_id))


IMPORT = uploads.register(uploads.ImportKind(
    "import.resources", "导入资源", service.IMPORT_COLUMNS, _run_import,
    done=lambda s: f"导入完成：{s['rows']} 条资源"))


def _import_page(status: int = 200):
    """The import form of the village, with its recent imports."""
    recent = core_jobs.recent(db.session, (IMPORT.kind,), village_id=g.village.id)
    return render_template("resources/import.html", **_ctx(columns=service.IMPORT_COLUMNS, recent=recent,
                                                           limits_text=uploads.limits_text(IMPORT))), status


@bp.get("/import")
@village_view("registers.edit")
def import_form(village_id: int):
    """Upload a resources file for this village."""
    return _import_page()


@bp.post("/import")
@village_view("registers.edit")
@uploads.upload_limit(IMPORT.limits.bytes)
def import_file(village_id: int):
    """Queue the file as an import job of this village (all-or-nothing) and show its progress."""
    return uploads.submit(IMPORT, village_id=village_id, township_id=g.village.township_id, actor=current_user,
                          job_url=lambda job_id: url_for(".import_job", village_id=village_id, job_id=job_id),
                          form_page=_import_page)


uploads.job_routes(bp, IMPORT, rule="/import/jobs/<int:job_id>", guard=village_view("registers.edit"),
                   links=lambda village_id: uploads.JobLinks(
                       url_for(".import_form", village_id=village_id), url_for(".index", village_id=village_id),
                       [("资源台账", url_for(".index", village_id=village_id)),
                        ("导入资源", url_for(".import_form", village_id=village_id))]))


@bp.get("/import/template.csv")
@village_view("registers.edit")
def template(village_id: int):
    """The import template: header and example rows, UTF-8 with BOM for Excel."""
    code = g.village.code
    body = csv_text(service.IMPORT_COLUMNS,
                    [[code, "GD-001", "村东一组承包地", "耕地", "一组村东", "35.60", "村道", "水渠", "王家地", "林场",
                      "NJ-2024-001", "已发包"],
                     [code, "SM-001", "南塘鱼塘", "水面", "村南", "12.00", "河堤", "农田", "机耕路", "村部", "",
                      "未发包"]])
    return Response("\ufeff" + body, mimetype=CSV_MIME,
                    headers={"Content-Disposition": "attachment; filename=resources-import-template.csv"})
