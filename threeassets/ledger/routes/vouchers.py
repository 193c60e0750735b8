"""Voucher pages of one village: list, entry, review, posting, reversal, print. Thin: load, check, call a
service, redirect."""
from __future__ import annotations

from datetime import date

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from threeassets.attachments import service as attachment_service
from threeassets.auth.access import village_view
from threeassets.auth.rules import permissions_of
from threeassets.core import hooks
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.forms import say_refused
from threeassets.core.pagination import any_contains, paginate, search_word
from threeassets.core.params import arg_page
from threeassets.core.periods import PeriodError, parse_day, parse_ym, ym_of
from threeassets.core.refused import NONE, refused
from threeassets.core.tenancy import get_owned
from threeassets.ledger import service
from threeassets.ledger.forms import ReverseForm, header, raw_lines
from threeassets.ledger.models import Voucher, VoucherLine
from threeassets.ledger.posting import month_problem
from threeassets.ledger.routes import bp
from threeassets.ledger.rules import (
    Problems,
    VoucherInvalid,
    VoucherStatus,
    four_eyes_withheld,
    validate_lines,
    voucher_actions,
    voucher_refusal,
)


def _load_voucher(village_id: int, voucher_id: int) -> Voucher:
    """The village's voucher with lines and accounts, or 404."""
    return get_owned(db.session, Voucher, voucher_id, village_id)


def _voucher_query(village_id: int, args):
    """Vouchers of a village filtered by month, status and text, newest first."""
    q = select(Voucher).where(Voucher.village_id == village_id)
    if args.get("ym"):
        try:
            q = q.where(Voucher.ym == parse_ym(args["ym"]))
        except RuleError as exc:
            flash(str(exc), "warning")
    if args.get("status") in set(VoucherStatus):
        q = q.where(Voucher.status == args["status"])
    term = search_word(args.get("q"))
    if term:
        sub = select(VoucherLine.voucher_id).where(VoucherLine.village_id == village_id,
                                                   any_contains((VoucherLine.summary,), term))
        q = q.where(or_(Voucher.id.in_(sub), Voucher.source_ref == term))
    return q.order_by(Voucher.voucher_date.desc(), Voucher.number.desc(), Voucher.id.desc())


@bp.get("/vouchers")
@village_view("books.read")
def vouchers(village_id: int):
    """凭证列表: search form above a paginated table."""
    q = _voucher_query(village_id, request.args)
    page = paginate(db.session, q, arg_page(), current_app.config["PAGE_SIZE"])
    mine = permissions_of(current_user.role)
    facts = service.facts_for(db.session, page.items)
    me = current_user.id
    actions = {v.id: voucher_actions(facts[v.id], me, mine) for v in page.items}
    return render_template("ledger/vouchers.html", page=page, args=request.args, actions=actions,
                           returned=service.sent_back(db.session, page.items),
                           summaries=service.first_summaries(db.session, village_id, [v.id for v in page.items]))


def _entry_page(voucher: Voucher | None, form_data=None, problems: Problems | None = None, status: int = 200,
                stale: bool = False):
    """Render the entry page with either a voucher's lines or the data just typed; `stale`: the voucher moved on
    while it was being edited, so the page offers the voucher as it now is instead of saving again."""
    if form_data is not None:
        lines, day, attachments = raw_lines(form_data), form_data.get("voucher_date"), form_data.get("attachments")
    elif voucher is not None:
        lines = [{"summary": ln.summary, "account": ln.account.code, "debit": ln.debit or "",
                  "credit": ln.credit or ""} for ln in voucher.lines]
        day, attachments = voucher.voucher_date.isoformat(), voucher.attachments
    else:
        lines, day, attachments = [], request.args.get("date") or date.today().isoformat(), 0
    while len(lines) < 4:
        lines.append({"summary": "", "account": "", "debit": "", "credit": ""})
    try:
        parsed = parse_day(day) if day else None
    except PeriodError:
        parsed = None
    expected = service.next_number(db.session, g.village.id, ym_of(parsed)) if parsed else None
    return render_template("ledger/entry.html", voucher=voucher, lines=lines, day=day, attachments=attachments,
                           problems=problems or Problems(), expected=expected, stale=stale,
                           expected_ym=parsed.strftime("%Y-%m") if parsed else ""), status


def _save(village_id: int, voucher: Voucher | None):
    """Validate and save the posted entry form; on problems re-show it with every error marked."""
    problems = Problems()
    day, attachments = header(request.form, problems)
    typed = raw_lines(request.form)
    lines, line_problems = validate_lines(typed)
    problems.fields.update(line_problems.fields)
    if day is None or line_problems.fields:  # with the accounts and the month, so every problem shows at once
        problems.general.extend(line_problems.general)
        service.account_problems(db.session, village_id, {i: r["account"] for i, r in enumerate(typed)}, problems)
        if day is not None and (why := month_problem(db.session, village_id, ym_of(day))):
            problems.add(None, "date", why)
        return _entry_page(voucher, request.form, problems, 422)
    # Voucher-wide rules (balance, total) are checked once more by the service, which adds their messages.
    try:
        with transaction(db.session):
            target = _load_voucher(village_id, voucher.id) if voucher else None
            saved = service.save_draft(db.session, village=g.village, actor=current_user, voucher_date=day,
                                       attachments=attachments, lines=lines, problems=problems, voucher=target)
    except VoucherInvalid as exc:
        return _entry_page(voucher, request.form, exc.problems, 422)
    except RuleError as exc:
        problems.add(None, "voucher", str(exc))
        if voucher is not None:  # reviewed between the page's check and the write: saving again cannot help
            voucher = _load_voucher(village_id, voucher.id)
            moved = voucher_refusal(service.facts_of(db.session, voucher), "edit", current_user.id) is not None
            return _entry_page(voucher, request.form, problems, 409 if moved else 422, stale=moved)
        return _entry_page(voucher, request.form, problems, 422)
    shown = url_for(".voucher_show", village_id=village_id, voucher_id=saved.id)
    flash(Markup('凭证已保存（{}，合计 {}），等待审核。<a href="{}" id="saved-voucher">查看刚保存的凭证</a>')
          .format(saved.voucher_date, f"{saved.total:,.2f}", shown), "success")
    _warn(saved)
    if request.form.get("next") == "new":
        return redirect(url_for(".voucher_new", village_id=village_id, date=day.isoformat()))
    return redirect(url_for(".voucher_show", village_id=village_id, voucher_id=saved.id))


@bp.route("/vouchers/new", methods=["GET", "POST"])
@village_view("voucher.prepare")
def voucher_new(village_id: int):
    """Enter a new voucher (saved as a draft awaiting review)."""
    if request.method == "POST":
        return _save(village_id, None)
    return _entry_page(None)


@bp.route("/vouchers/<int:voucher_id>/edit", methods=["GET", "POST"])
@village_view("voucher.prepare")
def voucher_edit(village_id: int, voucher_id: int):
    """Correct a draft (reviewed or posted vouchers cannot be edited)."""
    voucher = _load_voucher(village_id, voucher_id)
    if why := voucher_refusal(service.facts_of(db.session, voucher), "edit", current_user.id):
        if request.method == "POST":  # reviewed or posted meanwhile: what was typed is shown, not thrown away
            problems = Problems()
            problems.add(None, "voucher", f"{why}（该凭证已在其他页面或由其他人员处理）")
            return _entry_page(voucher, request.form, problems, 409, stale=True)
        flash("只有未审核的普通凭证可以修改", "warning")
        return redirect(url_for(".voucher_show", village_id=village_id, voucher_id=voucher_id))
    if request.method == "POST":
        return _save(village_id, voucher)
    return _entry_page(voucher)


# The page shows every line with its account: one joined query (of the ways to load them, the cheapest)
_LINES_WITH_ACCOUNTS = (joinedload(Voucher.lines).joinedload(VoucherLine.account),)


@bp.get("/vouchers/<int:voucher_id>")
@village_view("books.read")
def voucher_show(village_id: int, voucher_id: int):
    """One voucher in the familiar layout, with the actions its state allows."""
    return _voucher_page(village_id, voucher_id)


def _voucher_page(village_id: int, voucher_id: int, *, reverse_form=None, refused=NONE, status: int = 200):
    """The voucher's page; after a refused 退回 or 红字冲销, drawn again with what was typed (422)."""
    voucher = get_owned(db.session, Voucher, voucher_id, village_id, options=_LINES_WITH_ACCOUNTS)
    reversal = service.reversal_of(db.session, voucher)
    files = attachment_service.for_owner(db.session, village_id, "voucher", voucher.id)
    facts, mine = service.facts_of(db.session, voucher, reversal is not None), permissions_of(current_user.role)
    actions = voucher_actions(facts, current_user.id, mine)
    sources = hooks.answers(hooks.voucher_source, voucher, session=db.session)
    white = set().union(*(s.get("white_lines", ()) for s in sources))
    return render_template("ledger/voucher.html", voucher=voucher, reversal=reversal, actions=actions,
                           signatures=service.signatures(db.session, voucher), voucher_files=files,
                           reverse_form=reverse_form or ReverseForm(formdata=None, on=date.today()), sources=sources,
                           white_lines=white, returned=service.sent_back(db.session, [voucher]).get(voucher.id),
                           withheld=four_eyes_withheld(facts, current_user.id, mine), refused=refused), status


@bp.post("/vouchers/<int:voucher_id>/send-back")
@village_view("voucher.review")
def voucher_send_back(village_id: int, voucher_id: int):
    """退回（标错）: return a draft to its preparer with the reason; a refusal draws the page again with the
    reason as typed."""
    reason = (request.form.get("reason") or "").strip()
    ok, exc = _act(village_id, voucher_id, lambda session, **kw: service.send_back(session, reason=reason, **kw),
                   "已退回制单人")
    if not ok:
        return _voucher_page(village_id, voucher_id, status=422,
                             refused=refused("send-back", request.form, ["reason"], exc.fields))
    return redirect(url_for(".voucher_show", village_id=village_id, voucher_id=voucher_id))


def _act(village_id: int, voucher_id: int, fn, done: str, **kw) -> tuple[bool, object]:
    """Run one state change on a voucher in a transaction; flash the outcome; returns (ok, result), the result
    being the refusal when not ok."""
    try:
        with transaction(db.session):
            voucher = _load_voucher(village_id, voucher_id)
            result = fn(db.session, voucher=voucher, village=g.village, actor=current_user, **kw)
    except RuleError as exc:
        flash(str(exc), "danger")
        return False, exc
    flash(done.format(result=result), "success")
    return True, result


def _warn(voucher) -> None:
    """Flash what the township's book controls only warn about (a future date; cash on hand in credit)."""
    for text in service.warnings(db.session, voucher, g.village):
        flash(text, "warning")


def _act_then_show(village_id: int, voucher_id: int, fn, done: str):
    """Run one state change and go back to the voucher, whatever came of it (the flash says)."""
    ok, _result = _act(village_id, voucher_id, fn, done)
    if ok and fn is service.post:
        _warn(_load_voucher(village_id, voucher_id))
    return redirect(url_for(".voucher_show", village_id=village_id, voucher_id=voucher_id))


@bp.post("/vouchers/<int:voucher_id>/review")
@village_view("voucher.review")
def voucher_review(village_id: int, voucher_id: int):
    """Review a draft."""
    return _act_then_show(village_id, voucher_id, service.review, "已审核")


@bp.post("/vouchers/<int:voucher_id>/unreview")
@village_view("voucher.review")
def voucher_unreview(village_id: int, voucher_id: int):
    """Take back a review."""
    return _act_then_show(village_id, voucher_id, service.unreview, "已取消审核")


@bp.post("/vouchers/<int:voucher_id>/post")
@village_view("voucher.post")
def voucher_post(village_id: int, voucher_id: int):
    """Post a reviewed voucher and give it its number."""
    return _act_then_show(village_id, voucher_id, service.post, "已记账，凭证号 记-{result:04d}")


@bp.post("/vouchers/<int:voucher_id>/delete")
@village_view("voucher.prepare")
def voucher_delete(village_id: int, voucher_id: int):
    """Delete a draft."""
    ok, _ = _act(village_id, voucher_id, service.delete_draft, "草稿已删除")
    if not ok:
        return redirect(url_for(".voucher_show", village_id=village_id, voucher_id=voucher_id))
    return redirect(url_for(".vouchers", village_id=village_id))


@bp.post("/vouchers/<int:voucher_id>/reverse")
@village_view("voucher.reverse")
def voucher_reverse(village_id: int, voucher_id: int):
    """Generate the red reversal of a posted voucher (as a draft to be reviewed and posted)."""
    form = ReverseForm()
    if not form.validate_on_submit():
        say_refused("红字冲销未生成：", form)
        return _voucher_page(village_id, voucher_id, reverse_form=form, status=422)
    ok, result = _act(village_id, voucher_id, service.reverse, "已生成红字冲销凭证，请审核后记账", on=form.on.data)
    if not ok:  # result: the refusal; a date problem goes to the date's box
        form.on.errors = [result.fields["on"]] if "on" in result.fields else []
        return _voucher_page(village_id, voucher_id, reverse_form=form, status=422)
    return redirect(url_for(".voucher_show", village_id=village_id, voucher_id=result.id))


@bp.get("/vouchers/<int:voucher_id>/pdf")
@village_view("books.read")
def voucher_pdf(village_id: int, voucher_id: int):
    """The printable voucher (PDF, CJK font embedded)."""
    from threeassets.ledger.pdf import render_voucher, voucher_data
    voucher = _load_voucher(village_id, voucher_id)
    pdf = render_voucher(voucher_data(db.session, voucher, g.village))
    name = f"voucher-{g.village.code}-{voucher.ym}-{voucher.number or voucher.id}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f"inline; filename={name}"})
