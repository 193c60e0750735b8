"""Form fields every feature shares: a date typed the way people write it (core.periods.parse_day), drawn as a
text box so the browser's language never decides how a date looks (a date input shows 12/06/2026 in an English
browser and refuses 2026年10月5日)."""
from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, StopValidation

from threeassets.core.periods import DAY_PLACEHOLDER, PeriodError, parse_day


class Form(FlaskForm):
    """Every form of the app: CSRF (Flask-WTF) and WTForms' own messages in Chinese (字段长度…), not English, for
    any validator not given a message of its own (the app sets WTF_I18N_ENABLED off: Flask-WTF's translations need
    Babel, which the app does not use)."""

    class Meta:
        locales = ("zh",)


def say_refused(what: str, form: FlaskForm) -> None:
    """A form its checks refused, said at the top of the page with every reason (each is also at its box):
    what + '；'-joined reasons, e.g. 签字未保存：签字日期“…”不存在."""
    flash(what + "；".join(e for errors in form.errors.values() for e in errors), "danger")


def most(n: int, label: str) -> Length:
    """At most n characters (a rare character outside the BMP counts one), refused as '用户名最多64字'."""
    return Length(max=n, message=f"{label}最多{n}字")


class DayRequired:
    """A DayField that must hold a date: blank (spaces too) is refused with the message; a date that cannot be read
    keeps its own reason ("2026年2月没有30日"), which DataRequired would replace."""

    def __init__(self, message: str) -> None:
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(self.message)


class DayField(StringField):
    """A date: 2026-10-05, 2026/10/5, 2026年10月5日 or 20261005 (full-width too); shown as 2026-10-05."""

    def __init__(self, label=None, validators=None, **kwargs):
        render = {"placeholder": DAY_PLACEHOLDER, "data-day": "", "autocomplete": "off", "inputmode": "text"}
        kwargs["render_kw"] = {**render, **kwargs.get("render_kw", {})}
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        """Read the typed text; an unreadable date is the field's error in words (the text stays in the box)."""
        self.raw = valuelist[0] if valuelist else ""
        try:
            self.data = parse_day(self.raw, str(self.label.text))
        except PeriodError as exc:
            self.data = None
            raise ValueError(str(exc)) from None

    def _value(self) -> str:
        """What the box shows: the text as typed after a refusal, else the date as 2026-10-05."""
        if self.raw_data:
            return self.raw_data[0]
        return self.data.isoformat() if self.data else ""
