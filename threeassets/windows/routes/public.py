"""Public case lookup (办件进度查询): a case number and the applicant's phone tail, no login, nothing more shown.

A wrong number and a wrong phone tail get the same answer. Failed lookups are counted in the database
(core/throttle.py, so every app process sees them) under windows.rules.LOOKUP_THROTTLE: an address that keeps
guessing waits longer and longer (429 with the wait named); a case number being guessed at makes the guessing
addresses wait, never the applicant at another address, whose right answer is shown as usual.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from threeassets.core import clock, throttle
from threeassets.core.backoff import NO_WAIT, wait_text
from threeassets.core.db import db, transaction
from threeassets.windows import queries
from threeassets.windows.routes import public_bp
from threeassets.windows.rules import LOOKUP_THROTTLE

NOT_FOUND = "未查到符合条件的办件，请核对办件编号和手机号后四位。"
BUSY = "查询过于频繁，请{wait}后再试。"
SCOPE = "case"  # the throttle's scope


class LookupForm(FlaskForm):
    """Case number and the last four digits of the applicant's phone."""

    number = StringField("办件编号", validators=[DataRequired("请输入办件编号"), Length(max=48)])
    tail = StringField("申请人手机号后四位", validators=[DataRequired("请输入手机号后四位"),
                                                         Regexp(r"^\d{4}$", message="请输入4位数字")])


def _look_up(number: str, tail: str):
    """(status or None, wait owed): the lookup, counted as a failure or a success for the client's address."""
    subject, address, now = number.strip().upper(), request.remote_addr, clock.now()
    policy = current_app.config.get("LOOKUP_THROTTLE", LOOKUP_THROTTLE)
    with transaction(db.session):
        owed = throttle.wait(db.session, SCOPE, subject, address, now)
        if owed > NO_WAIT:
            return None, owed
        status = queries.public_status(db.session, number, tail)
        if status is None:
            throttle.failed(db.session, policy, SCOPE, subject, address, now)
        else:
            throttle.succeeded(db.session, SCOPE, subject, address, now)
    return status, NO_WAIT


# Frozen: /public/case is the address printed as a QR code on case papers (tests/web/test_frozen_public_addresses.py).
@public_bp.route("/case", methods=["GET", "POST"])
def lookup():
    """办件进度查询 for applicants, at the hall's kiosk or on a phone."""
    form = LookupForm()
    status, message, code = None, None, 200
    if form.validate_on_submit():
        status, owed = _look_up(form.number.data, form.tail.data)
        if owed > NO_WAIT:
            message, code = BUSY.format(wait=wait_text(owed)), 429
        elif status is None:
            message = NOT_FOUND
    return render_template("windows/public_case.html", form=form, status=status, message=message), code
