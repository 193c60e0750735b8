"""农户 of a village: the list (IDs masked, filters, pagination, export), a household's page, the whole ID for the
roles that need it (audited), and the import from the villages' templates."""
from __future__ import annotations

from datetime import date

from flask import Response, current_app, g, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from threeassets.auth.access import village_view
from threeassets.auth.rules import can
from threeassets.core import jobs, uploads
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.masking import mask_id
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.tenancy import get_owned
from threeassets.core.xlsx import Sheet, simple_sheet, workbook
from threeassets.orgs.models import Village
from threeassets.subsidies import importer, service
from threeassets.subsidies.models import Batch, BatchRow, Household, Policy
from threeassets.subsidies.routes import XLSX, attachment, ctx, households_bp
from threeassets.subsidies.rules import HOUSEHOLD_COLUMNS

TEMPLATE_HEADER = ["组", "户号", "户主姓名", "身份证号", "家庭人口", "承包地面积（亩）", "一卡通后四位", "备注"]
TEMPLATE_ROWS = [["一组", "001", "王建国", "", "4", "6.35", "1234", ""],
                 ["二组", "002", "李秀英", "", "3", "4.80", "5678", "示例行，导入前请删除"]]


def _filters() -> dict:
    return {"group": request.args.get("group", "")[:20], "keyword": request.args.get("q", "").strip()[:50]}


def _export(f: dict) -> Response:
    """The filtered households as XLSX, IDs masked (an export never carries a whole ID)."""
    rows = [[h.group_name, h.number, h.head_name, mask_id(h.id_number), h.members, h.land_area,
             h.card_last4 and f"****{h.card_last4}", h.note]
            for h in db.session.scalars(service.household_query(g.village.id, **f))]
    subtitle = f"导出日期 {date.today().isoformat()}（身份证号已隐去中间数字）"
    data = simple_sheet("农户", f"{g.village.name} 农户花名册", subtitle,
                        ["组", "户号", "户主姓名", "身份证号", "家庭人口", "承包地面积（亩）", "一卡通", "备注"], rows,
                        range(5, 6), [10, 10, 12, 22, 10, 16, 12, 20])
    return Response(data, mimetype=XLSX, headers=attachment(f"农户-{g.village.code}.xlsx"))


@households_bp.get("")
@village_view("households.read")
def index(village_id: int):
    """农户花名册: the village's households by group, IDs masked, with filters, totals, export."""
    f = _filters()
    if request.args.get("format") == "xlsx":
        return _export(f)
    page = paginate(db.session, service.household_query(village_id, **f), arg_page(),
                    current_app.config.get("PAGE_SIZE", 50))
    return render_template("subsidies/households.html", **ctx(
        page=page, f=f, groups=service.groups(db.session, village_id), mask_id=mask_id,
        totals=service.household_totals(db.session, village_id)))


def _entries(household: Household) -> list:
    """The lists the household is on, newest first."""
    q = (select(BatchRow, Batch, Policy.name).join(Batch, Batch.id == BatchRow.batch_id)
         .join(Policy, Policy.id == Batch.policy_id).where(BatchRow.household_id == household.id)
         .order_by(Batch.year.desc(), Batch.id.desc()))
    return list(db.session.execute(q))


def _show(household: Household, whole_id: str | None = None, problems: dict | None = None):
    return render_template("subsidies/household.html", **ctx(
        h=household, id_shown=whole_id or mask_id(household.id_number), whole=whole_id is not None,
        entries=_entries(household), may_reveal=can(current_user.role, "households.pii"), problems=problems or {}))


@households_bp.get("/<int:household_id>")
@village_view("households.read")
def show(village_id: int, household_id: int):
    """A household: its facts (ID masked) and every list it is on."""
    return _show(get_owned(db.session, Household, household_id, village_id))


@households_bp.post("/<int:household_id>/reveal")
@village_view("households.pii")
def reveal(village_id: int, household_id: int):
    """The whole resident ID, for the agency's head and accountant only, with a reason; the view is written to the
    audit log. Without a reason the form says so and nothing is shown."""
    try:
        with transaction(db.session):
            h = get_owned(db.session, Household, household_id, village_id)
            whole = service.reveal_id(db.session, current_user, h, g.village, request.form.get("reason", ""))
    except RuleError as exc:
        return _show(get_owned(db.session, Household, household_id, village_id), problems=exc.fields), 422
    return _show(h, whole)


def _run_import(session, table, ask: uploads.Ask) -> dict:
    """The import job's work: the file's households into the village it was uploaded to."""
    return importer.import_households(session, table, session.get(Village, ask.village_id), actor=ask.actor)


IMPORT = uploads.register(uploads.ImportKind(
    "import.households", "导入农户", [], _run_import, done=lambda s: f"导入完成：{s['households']} 户", unit="户"))


def _import_page(status: int = 200):
    recent = jobs.recent(db.session, (IMPORT.kind,), village_id=g.village.id)
    return render_template("subsidies/households_import.html", **ctx(
        columns=HOUSEHOLD_COLUMNS, labels=importer.HOUSEHOLD_LABELS, recent=recent,
        limits_text=uploads.limits_text(IMPORT))), status


@households_bp.get("/import")
@village_view("households.edit")
def import_form(village_id: int):
    """Upload the village's household file (GBK CSV, UTF-8 CSV with BOM, or XLSX)."""
    return _import_page()


@households_bp.post("/import")
@village_view("households.edit")
@uploads.upload_limit(IMPORT.limits.bytes)
def import_file(village_id: int):
    """Queue the file as an import job of this village (all or nothing) and show its progress."""
    return uploads.submit(IMPORT, village_id=village_id, township_id=g.village.township_id, actor=current_user,
                          job_url=lambda job_id: url_for(".import_job", village_id=village_id, job_id=job_id),
                          form_page=_import_page)


uploads.job_routes(households_bp, IMPORT, rule="/import/jobs/<int:job_id>", guard=village_view("households.edit"),
                   links=lambda village_id: uploads.JobLinks(
                       url_for(".import_form", village_id=village_id), url_for(".index", village_id=village_id),
                       [("农户花名册", url_for(".index", village_id=village_id)),
                        ("导入农户", url_for(".import_form", village_id=village_id))]))


@households_bp.get("/template.xlsx")
@village_view("households.edit")
def template(village_id: int):
    """The household template: the Chinese headers villages keep, a line of code names, two example rows."""
    data = workbook(Sheet("农户", [TEMPLATE_HEADER], TEMPLATE_ROWS, widths=[10, 10, 12, 22, 10, 16, 14, 24]))
    return Response(data, mimetype=XLSX, headers=attachment("农户导入模板.xlsx"))
