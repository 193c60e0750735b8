"""Catalogue pages: windows and service items (everyone with catalogue.read), editing (the agency head)."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.auth.access import township_view
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.parse import to_int
from threeassets.subsidies.service import policies_of_item
from threeassets.windows import catalogue
from threeassets.windows.models import ServiceItem, Window
from threeassets.windows.routes import bp
from threeassets.windows.rules import ALWAYS, REQUIREMENTS

BLANK_ROWS = 2  # empty material rows under an item's list, for adding without script


def _own(model, row_id: int | None):
    """A township's window or item by id, or 404."""
    row = db.session.get(model, row_id) if row_id else None
    if row is None or row.township_id != g.township.id:
        abort(404)
    return row


@bp.get("/catalogue")
@township_view("catalogue.read")
def catalogue_index(township_id: int):
    """服务事项目录: the windows and, under each, its service items."""
    return _catalogue_page(township_id)


def _catalogue_page(township_id: int, typed: dict | None = None, status: int = 200):
    """The catalogue page; `typed` is a window row refused on saving (key: its id or "new", values as typed,
    problems field → reason), shown as typed with the reasons at its fields."""
    windows = catalogue.windows_of(db.session, township_id)
    items = catalogue.items_of(db.session, township_id)
    have = {i.code for i in items}
    missing = [spec["name"] for spec in catalogue.default_catalogue()["items"] if spec["code"] not in have]
    return render_template("windows/catalogue.html", windows=windows, items=items, form=FlaskForm(),
                           missing=missing, typed=typed or {}), status


@bp.post("/catalogue/defaults")
@township_view("catalogue.edit")
def defaults_add(township_id: int):
    """Add the packaged default windows and items the township lacks (a release may bring new ones)."""
    with transaction(db.session):
        added = catalogue.ensure_default_catalogue(db.session, g.township, actor=current_user)
    flash(f"已补充{added}项默认服务事项" if added else "默认服务事项已齐全，未作改动", "success")
    return redirect(url_for("windows.catalogue_index", township_id=township_id))


@bp.get("/catalogue/items/<int:item_id>")
@township_view("catalogue.read")
def guide(township_id: int, item_id: int):
    """服务指南 of one item, laid out to print and pin up at the window."""
    item = _own(ServiceItem, item_id)
    return render_template("windows/guide.html", svc=item, window=db.session.get(Window, item.window_id),
                           policies=policies_of_item(db.session, township_id, item.code))


def _item_page(item, values: dict | None, problems: dict, status: int = 200):
    """The item form with the item's (or the typed) values."""
    windows = catalogue.windows_of(db.session, g.township.id)
    if values is None:
        values = {"code": item.code, "name": item.name, "window_id": item.window_id, "days_limit": item.days_limit,
                  "fee": item.fee, "legal_basis": item.legal_basis, "steps": item.steps, "active": item.active,
                  "materials": [(m.name, m.copies, m.original_required, m.note, m.requirement)
                                for m in item.materials]} \
            if item else {"active": True, "days_limit": 5, "fee": "0", "materials": []}
    rows = list(values["materials"]) + [("", 1, False, "", ALWAYS)] * BLANK_ROWS
    return render_template("windows/item_form.html", svc=item, values=values, rows=rows, windows=windows,
                           problems=problems, form=FlaskForm(), REQUIREMENTS=REQUIREMENTS), status


def _typed(form) -> catalogue.ItemInput:
    """The posted item form (material rows as parallel lists, in page order)."""
    names = form.getlist("m_name")
    needs = form.getlist("m_requirement")
    needs += [ALWAYS] * (len(names) - len(needs))  # a row posted without it (an older page) is required always
    rows = zip(names, form.getlist("m_copies"), form.getlist("m_original"), form.getlist("m_note"), needs,
               strict=False)
    return catalogue.ItemInput(
        code=form.get("code", ""), name=form.get("name", ""), window_id=to_int(form.get("window_id")),
        days_limit=form.get("days_limit", ""), fee=form.get("fee", ""), legal_basis=form.get("legal_basis", ""),
        steps=form.get("steps", ""), active="active" in form,
        materials=[(n, c, o == "1", note, need) for n, c, o, note, need in rows])


def _save_item(item_id: int | None):
    """Create or update an item from the posted form; problems re-show the form with what was typed."""
    data = _typed(request.form)
    try:
        with transaction(db.session):
            item = _own(ServiceItem, item_id) if item_id else None
            item = catalogue.save_item(db.session, g.township, current_user, item=item, data=data)
    except RuleError as exc:
        flash(str(exc), "danger")
        values = dict(vars(data), materials=[m for m in data.materials if m[0].strip()])
        return _item_page(db.session.get(ServiceItem, item_id) if item_id else None, values, exc.fields, 422)
    flash(f"服务事项“{item.name}”已保存", "success")
    return redirect(url_for("windows.guide", township_id=g.township.id, item_id=item.id))


@bp.get("/catalogue/items/new")
@township_view("catalogue.edit")
def item_new(township_id: int):
    """A new service item."""
    return _item_page(None, None, {})


@bp.post("/catalogue/items/new")
@township_view("catalogue.edit")
def item_create(township_id: int):
    """Save a new service item."""
    return _save_item(None)


@bp.get("/catalogue/items/<int:item_id>/edit")
@township_view("catalogue.edit")
def item_edit(township_id: int, item_id: int):
    """Edit an item: its fields and material rows (add, remove, reorder)."""
    return _item_page(_own(ServiceItem, item_id), None, {})


@bp.post("/catalogue/items/<int:item_id>/edit")
@township_view("catalogue.edit")
def item_update(township_id: int, item_id: int):
    """Save an edited item."""
    return _save_item(item_id)


@bp.post("/catalogue/windows")
@township_view("catalogue.edit")
def window_save(township_id: int):
    """Add a window (no id) or update one (window_id), from the catalogue page."""
    form = request.form
    try:
        with transaction(db.session):
            window = _own(Window, to_int(form.get("window_id"))) if form.get("window_id") else None
            window = catalogue.save_window(db.session, g.township, current_user, window=window,
                                           code=form.get("code", ""), name=form.get("name", ""),
                                           phone=form.get("phone", ""), seq=form.get("seq", ""),
                                           active="active" in form)
        flash(f"窗口“{window.name}”已保存", "success")
    except RuleError as exc:
        flash(str(exc), "danger")
        values = {k: form.get(k, "") for k in ("code", "name", "phone", "seq")} | {"active": "active" in form}
        return _catalogue_page(township_id, {"key": to_int(form.get("window_id")) or "new", "values": values,
                                             "problems": exc.fields}, 422)
    return redirect(url_for("windows.catalogue_index", township_id=township_id))
