"""Reading the claim form: header fields and a variable number of lines, parsed by hand into ClaimInput."""
from __future__ import annotations

from datetime import date

from threeassets.claims.rules import ClaimInput, LineDraft
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.parse import length_problems, to_int, too_long
from threeassets.core.periods import PeriodError, parse_day

MAX_LINES = 50
LINE_FIELDS = ("purpose", "account_code", "amount", "invoice")
TEXT_LIMITS = {"payee": 100, "payee_account": 40, "contact_phone": 20, "handler_name": 50, "oversight_name": 50,
               "head_name": 50}
TEXT_LABELS = {"payee": "收款人", "payee_account": "收款账号", "contact_phone": "报账员电话", "handler_name": "经办人",
               "oversight_name": "民主理财小组签字人", "head_name": "村主任"}
PURPOSE_MAX = 200
DATE_LABELS = {"occurred_on": "发生日期", "signed_on": "签字日期"}
# Every field a problem may name, in the page's order: the summary above the form lists them so.
HEADER_ORDER = ("payee", "payee_kind", "pay_method", "payee_account", "occurred_on", "lines")
FOOTER_ORDER = ("handler_name", "oversight_name", "head_name", "signed_on", "contact_phone", "receipts")
# Full-width digits, hyphen and space as half-width: an account number or phone typed on a Chinese keyboard.
HALF_WIDTH = str.maketrans("０１２３４５６７８９－\u3000", "0123456789- ")


def _date(form, name: str, problems: dict, required: bool) -> date | None:
    """A date field as people type it (core.periods.parse_day), noting a problem that names the field when it
    is bad (or blank and required)."""
    text = form.get(name, "").strip()
    if not text:
        if required:
            problems[name] = f"请填写{DATE_LABELS[name]}"
        return None
    try:
        return parse_day(text, DATE_LABELS[name])
    except PeriodError as exc:
        problems[name] = str(exc)
        return None


def _account(text: str) -> str:
    """The account code from what the picker left in the cell ('51301 管理费用-办公费' → '51301')."""
    return text.strip().split(" ")[0] if text.strip() else ""


def line_rows(form) -> list[tuple[int, dict]]:
    """(index, raw fields) of every lines-N-* row with something typed, in N order."""
    idx = sorted({n for k in form if k.startswith("lines-") and (n := to_int(k.split("-")[1])) is not None})
    rows = [(i, {f: form.get(f"lines-{i}-{f}", "") for f in LINE_FIELDS}) for i in idx]
    return [(i, row) for i, row in rows if any(row[f].strip() for f in ("purpose", "account_code", "amount"))]


def _lines(form, problems: dict) -> list[LineDraft]:
    """The typed lines; an unreadable amount is noted against its own row."""
    out = []
    rows = line_rows(form)
    if len(rows) > MAX_LINES:
        problems["lines"] = f"一张报账单最多{MAX_LINES}行"
    for n, (_, row) in enumerate(rows[:MAX_LINES]):
        try:
            amount = parse_amount(row["amount"])
        except AmountError as exc:
            problems[f"lines-{n}-amount"] = f"第{n + 1}行：{exc}"
            amount = None
        if amount is None and f"lines-{n}-amount" not in problems:
            problems[f"lines-{n}-amount"] = f"第{n + 1}行：请填写金额"
        if why := too_long(row["purpose"].strip(), PURPOSE_MAX, f"第{n + 1}行：用途"):
            problems[f"lines-{n}-purpose"] = why
        out.append(LineDraft(row["purpose"].strip(), _account(row["account_code"]), amount or 0,
                             row["invoice"] or "vat"))
    return out


def parse(form) -> tuple[ClaimInput, dict[str, str]]:
    """The claim typed on the page and the problems reading it (field → reason)."""
    problems: dict[str, str] = {}
    text = {name: form.get(name, "").strip() for name in TEXT_LIMITS}
    for name in ("payee_account", "contact_phone"):
        text[name] = text[name].translate(HALF_WIDTH).strip()
    problems |= length_problems({name: (text[name], most, TEXT_LABELS[name]) for name, most in TEXT_LIMITS.items()})
    data = ClaimInput(
        payee=text["payee"], payee_kind=form.get("payee_kind", "person"), payee_account=text["payee_account"],
        pay_method=form.get("pay_method", "bank"), occurred_on=_date(form, "occurred_on", problems, True),
        contact_phone=text["contact_phone"], handler_name=text["handler_name"],
        oversight_name=text["oversight_name"], head_name=text["head_name"],
        signed_on=_date(form, "signed_on", problems, False), lines=tuple(_lines(form, problems)))
    return data, problems


def page_order(problems: dict[str, str]) -> list[tuple[str, str]]:
    """The problems as (field, reason) in the order their fields stand on the page (lines by row, then field)."""
    def key(name: str) -> tuple:
        if name.startswith("lines-"):
            _, row, field = (name.split("-", 2) + ["", ""])[:3]
            col = LINE_FIELDS.index(field) if field in LINE_FIELDS else len(LINE_FIELDS)
            return (len(HEADER_ORDER), to_int(row) or 0, col)
        if name in HEADER_ORDER:
            return (HEADER_ORDER.index(name), 0, 0)
        rank = FOOTER_ORDER.index(name) if name in FOOTER_ORDER else len(FOOTER_ORDER)
        return (len(HEADER_ORDER) + 1 + rank, 0, 0)
    return sorted(problems.items(), key=lambda item: key(item[0]))
