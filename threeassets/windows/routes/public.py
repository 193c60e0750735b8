"""Public case lookup (办件进度查询): a case number and the applicant's phone tail, no login, nothing more shown.

A wrong number and a wrong phone tail get the same answer. Failed lookups are counted per client address
and per case number in this process (PUBLIC_LOOKUP_LIMIT failures per PUBLIC_LOOKUP_WINDOW seconds); past
the limit the page answers 429 until the window has passed. Several app processes count separately.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from flask import abort, current_app, render_template, request
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from threeassets.core.db import db
from threeassets.windows import queries
from threeassets.windows.routes import public_bp

NOT_FOUND = "未查到符合条件的办件，请核对办件编号和手机号后四位。"


class LookupForm(FlaskForm):
    """Case number and the last four digits of the applicant's phone."""

    number = StringField("办件编号", validators=[DataRequired("请输入办件编号"), Length(max=48)])
    tail = StringField("申请人手机号后四位", validators=[DataRequired("请输入手机号后四位"),
                                                         Regexp(r"^\d{4}$", message="请输入4位数字")])


class Limiter:
    """Sliding-window counter of failed lookups by key (client address, case number)."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self.hits: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque:
        """The key's failures inside the window."""
        q = self.hits[key]
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        """Whether any key has used up its failures."""
        now = time.monotonic()
        with self.lock:
            return any(len(self._trim(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        """Count a failed lookup against every key."""
        now = time.monotonic()
        with self.lock:
            for k in keys:
                self._trim(k, now).append(now)


def limiter() -> Limiter:
    """This app's limiter (created on first use from the config)."""
    ext = current_app.extensions
    if "windows_lookup" not in ext:
        ext["windows_lookup"] = Limiter(current_app.config.get("PUBLIC_LOOKUP_LIMIT", 10),
                                        current_app.config.get("PUBLIC_LOOKUP_WINDOW", 600))
    return ext["windows_lookup"]


# Frozen: /public/case is the address printed as a QR code on case papers (tests/web/test_frozen_public_addresses.py).
@public_bp.route("/case", methods=["GET", "POST"])
def lookup():
    """办件进度查询 for applicants, at the hall's kiosk or on a phone."""
    form = LookupForm()
    status, message = None, None
    if form.validate_on_submit():
        keys = (f"ip:{request.remote_addr}", f"no:{form.number.data.strip().upper()}")
        if limiter().blocked(*keys):
            abort(429)
        status = queries.public_status(db.session, form.number.data, form.tail.data)
        if status is None:
            limiter().fail(*keys)
            message = NOT_FOUND
    return render_template("windows/public_case.html", form=form, status=status, message=message)
