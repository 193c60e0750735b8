"""Disclosure notices of a village: list, generate, the notice page and its workflow actions."""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from threeassets.auth.access import village_view
from threeassets.auth.rules import permissions_of
from threeassets.closing.rules import CLOSED
from threeassets.core.audit import AuditEvent
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.forms import say_refused
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.parse import to_int
from threeassets.core.public import public_base
from threeassets.core.tenancy import get_owned
from threeassets.disclosure import rules, service
from threeassets.disclosure.forms import GenerateForm, PublishForm, RegenerateForm, SendBackForm, SignoffForm
from threeassets.disclosure.models import Disclosure
from threeassets.disclosure.published import published_in
from threeassets.disclosure.routes import bp, field_errors, recent_periods
from threeassets.disclosure.rules import NoticeFacts
from threeassets.ledger.models import Period


def _notice(notice_id: int) -> Disclosure:
    """The village's notice by id; another village's notice is missing (404)."""
    return get_owned(db.session, Disclosure, notice_id, g.village.id)


def _facts(notices, today: date) -> dict[int, NoticeFacts]:
    """What the notice rules need to know about each of the village's notices today (one query for the versions
    still being prepared)."""
    pending = service.pending_versions(db.session, g.village.id)
    return {n.id: service.facts_of(n, today, pending.get(n.period)) for n in notices}


def _list_page(form: GenerateForm | None = None, status: int = 200):
    """The village's notices, newest period first, with the generate form."""
    q = select(Disclosure).where(Disclosure.village_id == g.village.id)
    state = request.args.get("status", "")
    if state in rules.STATUS_LABELS:
        q = q.where(Disclosure.status == state)
    period = request.args.get("period", "").strip()
    if period:
        q = q.where(Disclosure.period.startswith(period))
    published = to_int(request.args.get("published"), lo=2000, hi=2100)
    if published:
        q = q.where(*published_in(published))
    q = q.order_by(Disclosure.period.desc(), Disclosure.version.desc())
    page = paginate(db.session, q, arg_page(), current_app.config["PAGE_SIZE"])
    waiting = db.session.scalar(select(Disclosure.id).where(
        Disclosure.village_id == g.village.id, Disclosure.status == rules.State.SUBMITTED).limit(1))
    form = form or GenerateForm(formdata=None, period=recent_periods(date.today())[1][0])
    mine = permissions_of(current_user.role)
    actions = {nid: rules.notice_actions(facts, current_user.id, mine)
               for nid, facts in _facts(page.items, date.today()).items()}
    return render_template("disclosure/index.html", page=page, form=form, state=state, period=period,
                           published=published,
                           labels=rules.STATUS_LABELS, periods=recent_periods(date.today()),
                           waiting=waiting is not None, actions=actions), status


@bp.get("")
@village_view("disclosure.read")
def index(village_id: int):
    """财务公开: the village's notices (period, version, status, actions) and 生成公开榜."""
    return _list_page()


@bp.post("/generate")
@village_view("disclosure.prepare")
def generate(village_id: int):
    """生成公开榜 for a month or quarter (or regenerate that period's draft)."""
    form = GenerateForm()
    if not form.validate():
        return _list_page(form, 422)
    try:
        with transaction(db.session):
            notice = service.generate(db.session, village=g.village, period=form.period.data,
                                      layout=form.layout.data, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        field_errors(form, exc)
        return _list_page(form, 422)
    flash(f"已生成 {notice.period} 公开榜（第{notice.version}版，草稿）", "success")
    return redirect(url_for(".show", village_id=village_id, notice_id=notice.id))


def _history(notice: Disclosure) -> list[tuple[AuditEvent, str]]:
    """The notice's audit rows, oldest first (who generated, submitted, signed, sent back, published), each with
    its person's name (staff know each other by name, not by login)."""
    from threeassets.auth.models import User
    q = (select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.actor_id)
         .where(AuditEvent.village_id == notice.village_id, AuditEvent.object_type == "Disclosure",
                AuditEvent.object_id == notice.id).order_by(AuditEvent.id))
    return [(e, name or ("系统" if e.actor_name == "system" else e.actor_name)) for e, name in db.session.execute(q)]


def _related(notice: Disclosure) -> dict:
    """The versions this notice corrects and is corrected by (same village)."""
    out = {}
    for key in ("supersedes_id", "superseded_by_id"):
        rid = getattr(notice, key)
        out[key] = get_owned(db.session, Disclosure, rid, notice.village_id) if rid else None
    return out


def _forms(notice: Disclosure, posted: dict, today: date) -> dict:
    """The notice page's action forms: one just posted (with its errors), blank ones for the others."""
    return {"regen": posted.get("regenerate") or RegenerateForm(formdata=None, other=service.other_of(notice),
                                                                layout=notice.layout),
            "signoff": posted.get("signoff") or SignoffForm(formdata=None, signoff_on=today),
            "send_back": posted.get("send_back") or SendBackForm(formdata=None),
            "publish": posted.get("publish") or PublishForm(formdata=None, posted_on=today,
                                                            display_until=rules.default_display_until(today))}


def _show_page(notice: Disclosure, forms: dict | None = None, status: int = 200):
    """The notice page: preview link, key totals, the actions the notice rules allow to this user."""
    today = date.today()
    facts, mine = _facts([notice], today)[notice.id], permissions_of(current_user.role)
    data, base = service.data_of(notice), public_base()
    period = rules.parse_period(notice.period)
    closed = set(db.session.scalars(select(Period.ym).where(Period.village_id == notice.village_id,
                                                             Period.ym.in_(period.months), Period.status == CLOSED)))
    return render_template(
        "disclosure/show.html", notice=notice, data=data, key_figures=service.key_figures(data),
        actions=rules.notice_actions(facts, current_user.id, mine),
        refusals=rules.notice_refusals(facts, current_user.id, mine), history_labels=rules.HISTORY_LABELS,
        labels=rules.STATUS_LABELS, history=_history(notice), related=_related(notice),
        verify_url=service.verify_url(base, notice.verify_code) if base else None, min_days=rules.MIN_DISPLAY_DAYS,
        layouts=service.LAYOUTS, unfinished=rules.unfinished_warning(period, today, closed),
        **_forms(notice, forms or {}, today)), status


@bp.get("/<int:notice_id>")
@village_view("disclosure.read")
def show(village_id: int, notice_id: int):
    """One notice: preview, key totals, state, history and the allowed actions."""
    return _show_page(_notice(notice_id))


@bp.get("/<int:notice_id>/pdf")
@village_view("disclosure.read")
def pdf(village_id: int, notice_id: int):
    """The notice's PDF inline: the stored bytes once published, else a preview marked with its state."""
    notice = _notice(notice_id)
    try:
        data = service.render(notice, public_base())
    except RuleError as exc:
        flash(str(exc), "danger")
        return redirect(url_for(".show", village_id=village_id, notice_id=notice_id))
    name = rules.pdf_name(g.village.code, g.village.name, notice.period).replace(".pdf", f"-v{notice.version}.pdf")
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}"})


def _act(notice_id: int, fn, done: str, form_key: str | None = None, form=None, **kw):
    """Run one workflow action in a transaction; a refusal is shown on the notice page, nothing written."""
    notice = _notice(notice_id)
    try:
        with transaction(db.session):
            fn(db.session, notice=notice, village=g.village, actor=current_user, **kw)
    except RuleError as exc:
        db.session.expire_all()
        flash(str(exc), "danger")
        if form is not None:
            field_errors(form, exc)
            return _show_page(_notice(notice_id), {form_key: form}, 422)
        return redirect(url_for(".show", village_id=g.village.id, notice_id=notice_id))
    flash(done, "success")
    return redirect(url_for(".show", village_id=g.village.id, notice_id=notice_id))


@bp.post("/<int:notice_id>/regenerate")
@village_view("disclosure.prepare")
def regenerate(village_id: int, notice_id: int):
    """Rebuild a draft from the books as they are now, with the 其他事项 text."""
    form = RegenerateForm()
    if not form.validate():
        return _show_page(_notice(notice_id), {"regenerate": form}, 422)
    return _act(notice_id, service.regenerate, "已按账簿重新生成", "regenerate", form, other=form.other.data or "",
                layout=form.layout.data)


@bp.post("/<int:notice_id>/submit")
@village_view("disclosure.prepare")
def submit(village_id: int, notice_id: int):
    """Hand the draft to the village's 民主理财小组."""
    return _act(notice_id, service.submit, "已提交民主理财小组审核")


@bp.post("/<int:notice_id>/withdraw")
@village_view("disclosure.prepare")
def withdraw(village_id: int, notice_id: int):
    """Take a submitted or signed-off notice back to draft."""
    return _act(notice_id, service.withdraw, "已撤回为草稿")


@bp.post("/<int:notice_id>/signoff")
@village_view("disclosure.signoff")
def signoff(village_id: int, notice_id: int):
    """民主理财小组 signs the notice off (only a board member of this village reaches here)."""
    form = SignoffForm()
    if not form.validate():  # a date typed wrong: the names are still checked, and both said at the top
        if (why := rules.signers(form.names.data)[1]) and not form.names.errors:
            form.names.errors = [*form.names.errors, why]
        say_refused("签字未保存：", form)
        return _show_page(_notice(notice_id), {"signoff": form}, 422)
    return _act(notice_id, service.sign_off, "已审核签字，待代理中心公布", "signoff", form, names=form.names.data,
                on=form.signoff_on.data, remarks=form.remarks.data or "")


@bp.post("/<int:notice_id>/send-back")
@village_view("disclosure.signoff")
def send_back(village_id: int, notice_id: int):
    """民主理财小组 returns the notice to the agency with remarks."""
    form = SendBackForm()
    if not form.validate():
        say_refused("未退回：", form)
        return _show_page(_notice(notice_id), {"send_back": form}, 422)
    return _act(notice_id, service.send_back, "已退回代理中心修改", "send_back", form, remarks=form.remarks.data)


@bp.post("/<int:notice_id>/publish")
@village_view("disclosure.publish")
def publish(village_id: int, notice_id: int):
    """公布: store the final PDF and its SHA-256; from now on the notice never changes."""
    form = PublishForm()
    if not form.validate():
        return _show_page(_notice(notice_id), {"publish": form}, 422)
    return _act(notice_id, service.publish, "已公布：PDF 与校验码已存档", "publish", form,
                posted_on=form.posted_on.data, display_until=form.display_until.data, base_url=public_base())


@bp.post("/<int:notice_id>/archive")
@village_view("disclosure.publish")
def archive(village_id: int, notice_id: int):
    """撤榜归档 after the display period."""
    return _act(notice_id, service.archive, "已归档（仍可公开查验）")


@bp.post("/<int:notice_id>/correct")
@village_view("disclosure.prepare")
def correct(village_id: int, notice_id: int):
    """更正: start a new version of a published notice."""
    notice = _notice(notice_id)
    try:
        with transaction(db.session):
            new = service.correct(db.session, notice=notice, village=g.village, actor=current_user)
    except RuleError as exc:
        flash(str(exc), "danger")
        return redirect(url_for(".show", village_id=village_id, notice_id=notice_id))
    flash(f"已生成更正版本（第{new.version}版，草稿）；公布后将替代第{notice.version}版", "success")
    return redirect(url_for(".show", village_id=village_id, notice_id=new.id))

