"""Public case lookup (办件进度查询): a case number and the applicant's phone tail, no login, nothing more shown.

A wrong number and a wrong phone tail get the same answer. Failed lookups are counted in the database
(windows.service.public_lookup, core/throttle.py: every app process sees them) under windows.rules.LOOKUP_THROTTLE:
an address that keeps guessing waits longer and longer (429 with the wait named); a case number being guessed at
makes the guessing addresses wait, never the applicant at another address, whose right answer is shown as usual.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from threeassets.core import clock
from threeassets.core.backoff import NO_WAIT, wait_text
from threeassets.core.db import db, transaction
from threeassets.core.forms import Form, most
from threeassets.core.periods import typed
from threeassets.windows import service
from threeassets.windows.routes import public_bp
from threeassets.windows.rules import LOOKUP_THROTTLE

NOT_FOUND = "未查到符合条件的办件，请核对办件编号和手机号后四位。"
BUSY = "查询过于频繁，请{wait}后再试。"


class LookupForm(Form):
    """Case number and the last four digits of the applicant's phone."""

    # typed: full-width letters, digits and dashes (ＤＥＭＯ－２０２６…, ８０００) read as half-width
    number = StringField("办件编号", filters=[typed], validators=[DataRequired("请输入办件编号"), most(48, "办件编号")])
    tail = StringField("申请人手机号后四位", filters=[typed], validators=[
        DataRequired("请输入手机号后四位"), Regexp(r"^[0-9]{4}$", message="请输入4位数字")])


# Frozen: /public/case is the address printed as a QR code on case papers (tests/web/test_frozen_public_addresses.py).
@public_bp.route("/case", methods=["GET", "POST"])
def lookup():
    """办件进度查询 for applicants, at the hall's kiosk or on a phone."""
    form = LookupForm()
    status, message, code = answer(form) if form.validate_on_submit() else (None, None, 200)
    return render_template("windows/public_case.html", form=form, status=status, message=message), code


def answer(form: LookupForm) -> tuple[object | None, str | None, int]:
    """Look a validated form's case up under the throttle: (public status or None, message or None, HTTP
    status). The kiosk's 办事公开 asks through this too, so both pages answer and count alike."""
    with transaction(db.session):
        status, owed = service.public_lookup(db.session, form.number.data, form.tail.data,
                                             address=request.remote_addr, now=clock.now(),
                                             policy=current_app.config.get("LOOKUP_THROTTLE", LOOKUP_THROTTLE))
    if owed > NO_WAIT:
        return None, BUSY.format(wait=wait_text(owed)), 429
    return status, (NOT_FOUND if status is None else None), 200
