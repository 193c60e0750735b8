"""Staff pages of the township's 党务/政务 notices: list, write, publish, withdraw, files (kiosk.edit writes; the
agency's readers see them). Each change goes through kiosk.service in one transaction, audited."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from threeassets.auth.access import township_view
from threeassets.auth.rules import permissions_of
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.params import arg_year
from threeassets.kiosk import rules, service
from threeassets.kiosk.models import KioskNoticeFile
from threeassets.kiosk.routes import bp


def _notice(notice_id: int):
    """The township's notice (g.township set by township_view), or 404."""
    notice = service.get_notice(db.session, g.township.id, notice_id)
    if notice is None:
        abort(404)
    return notice


def _to(notice_id: int | None = None, message: str | None = None, category: str = "success"):
    """Back to a notice's page (or the list), flashing a message."""
    if message:
        flash(message, category)
    if notice_id is None:
        return redirect(url_for("kiosk.notices", township_id=g.township.id))
    return redirect(url_for("kiosk.notice", township_id=g.township.id, notice_id=notice_id))


@bp.get("/notices")
@township_view("kiosk.read")
def notices(township_id: int):
    """党务公开 and 政务公开 notices of the township, newest first, by kind and state."""
    kind, status = request.args.get("kind"), request.args.get("status")
    year = arg_year()
    rows = service.notices_of(db.session, township_id, kind, status, year)
    return render_template("kiosk/staff/notices.html", notices=rows, kind=kind if kind in rules.KINDS else "",
                           year=year,
                           status=status if status in rules.STATES else "", kinds=rules.KINDS, states=rules.STATES)


def _form_page(notice, values: dict, problems: dict, http_status: int = 200, stale: bool = False):
    """The notice form with the notice's (or the typed) values and the reasons of refused fields; `stale`: the
    notice was published meanwhile, so the page offers it as it now is instead of saving again."""
    return render_template("kiosk/staff/form.html", notice=notice, values=values, problems=problems,
                           kinds=rules.KINDS, form=FlaskForm(), stale=stale), http_status


def _typed() -> rules.NoticeInput:
    """The posted notice form."""
    form = request.form
    return rules.NoticeInput(kind=form.get("kind", ""), title=form.get("title", ""),
                             notice_date=form.get("notice_date", ""), body=form.get("body", ""))


@bp.get("/notices/new")
@township_view("kiosk.edit")
def notice_new(township_id: int):
    """A new notice (党务 or 政务, as the list was showing)."""
    from threeassets.core import clock
    kind = request.args.get("kind")
    return _form_page(None, {"kind": kind if kind in rules.KINDS else "gov",
                             "notice_date": clock.now().date().isoformat()}, {})


@bp.post("/notices/new")
@township_view("kiosk.edit")
def notice_create(township_id: int):
    """Save a new draft; refused fields re-show the form with what was typed."""
    data = _typed()
    try:
        with transaction(db.session):
            notice = service.create(db.session, township_id, data, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return _form_page(None, vars(data), exc.fields, 422)
    return _to(notice.id, f"公告“{notice.title}”已保存为草稿")


@bp.get("/notices/<int:notice_id>")
@township_view("kiosk.read")
def notice(township_id: int, notice_id: int):
    """A notice as the public will read it, its files, and what this user may do to it."""
    row = _notice(notice_id)
    actions = rules.notice_actions(row.status, permissions_of(current_user.role))
    return render_template("kiosk/staff/notice.html", notice=row, actions=actions, kinds=rules.KINDS,
                           states=rules.STATES, form=FlaskForm())


@bp.get("/notices/<int:notice_id>/edit")
@township_view("kiosk.edit")
def notice_edit(township_id: int, notice_id: int):
    """Edit a draft."""
    row = _notice(notice_id)
    if (why := rules.notice_refusal(row.status, "edit")) is not None:
        return _to(row.id, why, "danger")
    return _form_page(row, {"kind": row.kind, "title": row.title, "notice_date": row.notice_date.isoformat(),
                            "body": row.body}, {})


@bp.post("/notices/<int:notice_id>/edit")
@township_view("kiosk.edit")
def notice_update(township_id: int, notice_id: int):
    """Save an edited draft."""
    data = _typed()
    try:
        with transaction(db.session):
            row = service.update(db.session, _notice(notice_id), data, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        row = _notice(notice_id)
        moved = rules.notice_refusal(row.status, "edit") is not None  # published meanwhile (another page)
        return _form_page(row, vars(data), exc.fields, 409 if moved else 422, stale=moved)
    return _to(row.id, "公告已保存")


def _move(notice_id: int, act, done: str):
    """Apply one workflow move (publish, withdraw, redraft) and say what happened or why not."""
    try:
        with transaction(db.session):
            row = act(db.session, _notice(notice_id), actor=current_user)
    except RuleError as exc:
        return _to(notice_id, str(exc), "danger")
    return _to(row.id, done.format(title=row.title))


@bp.post("/notices/<int:notice_id>/publish")
@township_view("kiosk.edit")
def notice_publish(township_id: int, notice_id: int):
    """Publish a draft on the kiosk."""
    return _move(notice_id, service.publish, "公告“{title}”已发布，触摸屏和手机上即可查看")


@bp.post("/notices/<int:notice_id>/withdraw")
@township_view("kiosk.edit")
def notice_withdraw(township_id: int, notice_id: int):
    """Take a published notice off the kiosk."""
    return _move(notice_id, service.withdraw, "公告“{title}”已撤回，公众不能再查看")


@bp.post("/notices/<int:notice_id>/redraft")
@township_view("kiosk.edit")
def notice_redraft(township_id: int, notice_id: int):
    """Bring a withdrawn notice back to draft."""
    return _move(notice_id, service.redraft, "公告“{title}”已退回草稿，可修改后重新发布")


@bp.post("/notices/<int:notice_id>/delete")
@township_view("kiosk.edit")
def notice_delete(township_id: int, notice_id: int):
    """Delete a draft."""
    try:
        with transaction(db.session):
            row = _notice(notice_id)
            title = row.title
            service.delete(db.session, row, actor=current_user)
    except RuleError as exc:
        return _to(notice_id, str(exc), "danger")
    return _to(None, f"草稿“{title}”已删除")


@bp.post("/notices/<int:notice_id>/files")
@township_view("kiosk.edit")
def file_add(township_id: int, notice_id: int):
    """Attach the uploaded files to a draft (all or none)."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _to(notice_id, "请选择要上传的文件（JPG、PNG 图片或 PDF）", "danger")
    try:
        with transaction(db.session):
            row = _notice(notice_id)
            for f in files:
                service.add_file(db.session, row, f.filename, f.read(), actor=current_user)
    except RuleError as exc:
        return _to(notice_id, str(exc), "danger")
    return _to(notice_id, f"已上传{len(files)}个附件")


def _file(file_id: int) -> KioskNoticeFile:
    """A file of one of the township's notices, or 404."""
    row = db.session.get(KioskNoticeFile, file_id)
    if row is None or row.township_id != g.township.id:
        abort(404)
    return row


@bp.get("/files/<int:file_id>")
@township_view("kiosk.read")
def file_download(township_id: int, file_id: int):
    """A notice's file, whatever the notice's state (staff check drafts before publishing)."""
    row = _file(file_id)
    resp = Response(row.data, mimetype=row.content_type)
    resp.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(row.filename)}"
    return resp


@bp.post("/files/<int:file_id>/delete")
@township_view("kiosk.edit")
def file_delete(township_id: int, file_id: int):
    """Remove a file from a draft."""
    row = _file(file_id)
    notice_id, name = row.notice_id, row.filename
    try:
        with transaction(db.session):
            service.remove_file(db.session, _notice(notice_id), file_id, actor=current_user)
    except RuleError as exc:
        return _to(notice_id, str(exc), "danger")
    return _to(notice_id, f"附件“{name}”已删除")
