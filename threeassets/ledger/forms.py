"""Reading the voucher entry form (lines are dynamic, so they are parsed by hand) and small forms."""
from __future__ import annotations

from datetime import date

from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length

from threeassets.core.forms import DayField, DayRequired, Form, most
from threeassets.core.parse import to_int
from threeassets.core.periods import PeriodError, parse_day
from threeassets.ledger.rules import MAX_LINES, Problems

FIELDS = ("summary", "account", "debit", "credit")


def _filled_lines(form) -> list[dict]:
    """Every lines-N-* row with something typed in it, in N order (the page's spare blank rows are skipped)."""
    idx = sorted({n for k in form if k.startswith("lines-") and (n := to_int(k.split("-")[1])) is not None})
    rows = [{f: form.get(f"lines-{i}-{f}", "") for f in FIELDS} for i in idx]
    return [row for row in rows if any(v.strip() for v in row.values())]


def raw_lines(form) -> list[dict]:
    """Lines posted as lines-N-summary/account/debit/credit, in N order: at most one more than a voucher may
    have, so that the rules refuse a long voucher (never cut it) without reading a huge form to the end."""
    return _filled_lines(form)[:MAX_LINES + 1]


def header(form, problems: Problems) -> tuple[date | None, int]:
    """The voucher date and attachment count, noting problems."""
    day = None
    try:
        day = parse_day(form.get("voucher_date", ""), "凭证日期")
    except PeriodError as exc:
        problems.add(None, "date", str(exc))
    else:
        if day is None:
            problems.add(None, "date", "请填写凭证日期")
    count = to_int(form.get("attachments", "0").strip() or "0")
    if count is None:
        problems.add(None, "attachments", "附单据张数应为整数")
        return day, 0
    return day, count


class SubAccountForm(Form):
    """A new sub-account under a parent."""

    parent_id = IntegerField("上级科目", validators=[DataRequired("请选择上级科目")])
    suffix = StringField("下级编码", validators=[DataRequired("请填写下级编码"),
                                              Length(min=2, max=4, message="下级编码应为2～4位数字")])
    name = StringField("科目名称", validators=[DataRequired("请填写科目名称"),
                                            most(60, "科目名称")])


class ReverseForm(Form):
    """Date of a reversal voucher."""

    on = DayField("冲销日期", validators=[DayRequired("请填写冲销日期")])


