"""惠农政策 of a township: the list with filters (level, department, year, keyword or pinyin initials), a policy's
page, and the head's add, edit and retire."""
from __future__ import annotations

from datetime import date

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from threeassets.auth.access import township_view
from threeassets.core import hooks
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.parse import to_int, to_year
from threeassets.core.refused import NONE, refused
from threeassets.subsidies import service
from threeassets.subsidies.models import Policy
from threeassets.subsidies.routes import ctx, policies_bp
from threeassets.subsidies.rules import parse_policy

FIELDS = ("code", "level", "department", "name", "basis", "basis_date", "eligibility", "standard", "rate", "unit",
          "year_from", "year_to", "payment", "service_item", "summary", "full_text")


def _policy(policy_id: int) -> Policy:
    """The township's policy or 404."""
    p = db.session.get(Policy, policy_id)
    if p is None or p.township_id != g.township.id:
        from flask import abort
        abort(404)
    return p


def _filters() -> dict:
    a = request.args
    return {"level": a.get("level", ""), "department": a.get("department", "")[:50],
            "keyword": a.get("q", "").strip()[:50], "year": to_int(a.get("year"), None, lo=1949, hi=2100),
            "status": a.get("status", "")}


@policies_bp.get("")
@township_view("policies.read")
def index(township_id: int):
    """惠农政策目录: every kept policy with filters and pagination."""
    f = _filters()
    page = paginate(db.session, service.policy_list_query(township_id, **f), arg_page(),
                    current_app.config.get("PAGE_SIZE", 50))
    this_year = date.today().year
    return render_template("subsidies/policies.html", **ctx(page=page, f=f, years=range(this_year, this_year - 3, -1),
                                                             departments=service.departments(db.session, township_id)))


@policies_bp.get("/<int:policy_id>")
@township_view("policies.read")
def show(township_id: int, policy_id: int):
    """A policy's page: its basis, who qualifies, the standard, years, payment, the window that answers."""
    return _show_page(township_id, policy_id)


def _show_page(township_id: int, policy_id: int, refused=NONE, status: int = 200):
    """The policy's page; after a refused 停止执行, drawn again with the year as typed (422)."""
    p = _policy(policy_id)
    return render_template("subsidies/policy.html", **ctx(p=p, items=_items(township_id), refused=refused)), status


def _items(township_id: int) -> dict:
    """The hall's service items of the township, code → name (answered by the hall: core.hooks.service_items)."""
    names: dict = {}
    for answer in hooks.answers(hooks.service_items, township_id, session=db.session):
        names.update(answer)
    return names


def _form_page(p: Policy | None, values: dict, problems: dict, status: int = 200):
    return render_template("subsidies/policy_form.html", **ctx(p=p, v=values, problems=problems,
                                                               items=_items(g.township.id))), status


def _values(p: Policy) -> dict:
    v = {k: getattr(p, k) for k in FIELDS}
    v.update(basis_date=p.basis_date.isoformat() if p.basis_date else "",
             rate="" if p.rate is None else f"{p.rate:.2f}", year_to=p.year_to or "")
    return v


def _save(p: Policy | None):
    values = {k: request.form.get(k, "") for k in FIELDS}
    data, problems = parse_policy(values)
    if problems:
        flash("政策未保存：请改正标红的项目", "danger")
        return _form_page(p, values, problems, 422)
    try:
        with transaction(db.session):
            p = service.save_policy(db.session, g.township, current_user, policy=p, data=data)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _form_page(p if p is not None and p.id else None, values, exc.fields, 422)
    flash(f"政策“{data.name}”已保存", "success")
    return redirect(url_for(".show", township_id=g.township.id, policy_id=p.id))


@policies_bp.get("/new")
@township_view("policies.edit")
def new(township_id: int):
    """Form for a new (provincial, city or county) policy."""
    return _form_page(None, {"level": "county", "year_from": str(date.today().year), "service_item": "subsidy"}, {})


@policies_bp.post("/new")
@township_view("policies.edit")
def create(township_id: int):
    """Add a policy to the catalogue (audited)."""
    return _save(None)


@policies_bp.get("/<int:policy_id>/edit")
@township_view("policies.edit")
def edit(township_id: int, policy_id: int):
    """Form to edit a policy."""
    p = _policy(policy_id)
    return _form_page(p, _values(p), {})


@policies_bp.post("/<int:policy_id>/edit")
@township_view("policies.edit")
def update(township_id: int, policy_id: int):
    """Save an edited policy (audited with before and after)."""
    return _save(_policy(policy_id))


@policies_bp.post("/<int:policy_id>/retire")
@township_view("policies.edit")
def retire(township_id: int, policy_id: int):
    """Stop a policy from a year on: it stays listed for the years it applied."""
    p = _policy(policy_id)
    typed = (request.form.get("year_to") or "").strip()
    year_to = to_year(typed, 1949, 2100)
    try:
        if year_to is None:
            why = f"执行至年度“{typed}”应为1949至2100年间的年份，如 2025" if typed else "请填写执行至年度，如 2025"
            raise RuleError(why, {"year_to": why})
        with transaction(db.session):
            service.retire_policy(db.session, g.township, current_user, _policy(policy_id), year_to)
    except RuleError as exc:
        flash(f"未停止：{exc}", "danger")
        return _show_page(township_id, policy_id, refused("retire", request.form, ["year_to"], exc.fields), 422)
    flash(f"政策“{p.name}”已停止执行（执行至{year_to}年）", "success")
    return redirect(url_for(".show", township_id=township_id, policy_id=p.id))
