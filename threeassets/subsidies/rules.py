"""Pure rules of the subsidy side: policies and their years, resident IDs and their masks, quantity × rate, the
notice period, the batch's state machine and matching a bank's payment file to the noticed list.

No Flask, no SQLAlchemy: the services, the importers and the pages all decide through these functions.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from threeassets.core.masking import refusal
from threeassets.core.money import AmountError, parse_amount
from threeassets.core.parse import to_int, too_long
from threeassets.core.periods import PeriodError, parse_day
from threeassets.core.workflow import Workflow, permitted

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")

LEVEL_LABELS = {"central": "中央", "province": "省", "city": "市", "county": "县"}
UNIT_LABELS = {"mu": "元/亩", "person_year": "元/人/年", "person_month": "元/人/月", "household": "元/户",
               "head": "元/头", "person": "元/人", "percent": "%（保费）"}
POLICY_STATUS_LABELS = {"active": "执行中", "retired": "已停止"}


def quantity_unit(rate_unit: str) -> str:
    """What a list's quantity counts, read from its standard's unit: 元/亩 → 亩, 元/人/年 → 人; '' when the unit
    is not money per something (a premium's %)."""
    head, slash, rest = rate_unit.partition("/")
    return rest.split("/")[0] if head == "元" and slash else ""
YEARS_KEPT = 3  # the catalogue shows the last three years' policies (issue 13)

# --- words and names ---------------------------------------------------------------------------------------


def same_name(a: str, b: str) -> bool:
    """Whether two names are the same person's name as typed: NFKC-normalised (full-width letters, compatibility
    forms) and stripped of spaces, so 张 三 and 张三 match, and a rare character (𠮷) survives untouched."""
    return name_key(a) == name_key(b)


def name_key(name: str) -> str:
    """A name as compared: NFKC, without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", name or "").split())


def initials(name: str) -> str:
    """Pinyin initials of a name (耕地地力保护补贴 → gdllbhbt) for the keyword search, as the chart's 助记码."""
    from pypinyin import Style, lazy_pinyin
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()[:100]


# --- resident IDs ------------------------------------------------------------------------------------------


def clean_digits(text: str | None) -> str:
    """Digits as typed in a spreadsheet: full-width read as half-width, spaces and a leading apostrophe gone."""
    return "".join((text or "").translate(FULL_WIDTH).split()).lstrip("'").upper()


def check_id(text: str | None) -> tuple[str | None, str | None]:
    """A resident ID (居民身份证号码) checked with python-stdnum: (the 18 characters, None) or (None, why)."""
    number = clean_digits(text)
    if not number:
        return None, "请填写身份证号"
    if len(number) != 18:
        return None, f"身份证号应为18位（现为{len(number)}位）"
    try:
        return ric.validate(number), None
    except ValidationError:
        return None, "身份证号无效（校验码、出生日期或地区码不对）"


def last4(text: str | None) -> str:
    """The last four digits (or X) of an ID or a card number as typed; "" when fewer than four."""
    digits = clean_digits(text)
    return digits[-4:] if len(digits) >= 4 else ""


# --- amounts -----------------------------------------------------------------------------------------------


def round_fen(value: Decimal) -> Decimal:
    """To the fen, half up (the one rounding of subsidy amounts)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def expected_amount(quantity: Decimal, rate: Decimal, unit: str = "") -> Decimal:
    """quantity × rate to the fen (ROUND_HALF_UP); a percent unit takes rate % of the quantity (the premium)."""
    product = quantity * rate
    return round_fen(product / HUNDRED if unit == "percent" else product)


def amount_problem(quantity: Decimal, rate: Decimal, amount: Decimal, unit: str = "") -> str | None:
    """Why a typed amount is not quantity × rate to the fen; None when it is."""
    want = expected_amount(quantity, rate, unit)
    if amount == want:
        return None
    how = f"{quantity} × {rate}%" if unit == "percent" else f"{quantity} × {rate}"
    return f"金额 {amount:.2f} 与 数量×标准（{how} = {want:.2f}）不符"


def parse_decimal(text: str | None, what: str, *, required: bool = True) -> tuple[Decimal | None, str | None]:
    """A non-negative number with at most two decimals (an amount, an area, a quantity): (value, why)."""
    try:
        value = parse_amount(text)
    except AmountError as exc:
        negative = str(text or "").strip().startswith(("-", "－"))
        return None, f"{what}不能为负数" if negative else f"{what}：{exc}".replace("金额", what)
    if value is None and required:
        return None, f"请填写{what}"
    return value, None


# --- years and the notice ----------------------------------------------------------------------------------


def applies_in(year_from: int, year_to: int | None, year: int) -> bool:
    """Whether a policy applies in a year (year_to None: open)."""
    return year_from <= year and (year_to is None or year <= year_to)


def kept_years(this_year: int) -> tuple[int, int]:
    """The catalogue's years, first and last: this year and the two before."""
    return this_year - YEARS_KEPT + 1, this_year


def kept(year_from: int, year_to: int | None, this_year: int) -> bool:
    """Whether a policy belongs to the catalogue's three years (it applied in one of them): started by this year
    and not ended before the first of them, whatever its status (an active policy whose years are long past is
    not shown either)."""
    first, last = kept_years(this_year)
    return year_from <= last and (year_to is None or year_to >= first)


def notice_end(start: date, days: int) -> date:
    """The last day of a notice of `days` calendar days starting on `start` (7 days from the 1st: to the 7th)."""
    return start + timedelta(days=days - 1)


def notice_complete(notice_to: date | None, today: date) -> bool:
    """Whether the notice has run its full period: the day after its last day has come."""
    return notice_to is not None and today > notice_to


def notice_days_left(notice_to: date | None, today: date) -> int:
    """Calendar days the notice still runs, today included (0 once complete)."""
    return 0 if notice_to is None else max(0, (notice_to - today).days + 1)


# --- the batch's life --------------------------------------------------------------------------------------

BATCH_STATE_LABELS = {"draft": "草稿", "noticing": "公示中", "notice_ended": "公示期满", "paid": "已发放"}
BATCH_ACTION_LABELS = {"edit": "修改名单", "delete": "删除", "start_notice": "开始公示", "withdraw": "撤回公示",
                       "object": "登记异议", "end_notice": "公示期满", "pay": "导入发放结果"}
BATCH_TRANSITIONS: dict[tuple[str, str], str | None] = {
    ("draft", "edit"): "draft",
    ("draft", "delete"): None,
    ("draft", "start_notice"): "noticing",
    ("noticing", "object"): "noticing",
    ("noticing", "withdraw"): "draft",
    ("noticing", "end_notice"): "notice_ended",
    ("notice_ended", "object"): "notice_ended",  # an objection may come late: it is recorded all the same
    ("notice_ended", "withdraw"): "draft",  # ... and one upheld after the period is corrected like any other
    ("notice_ended", "pay"): "paid",
}
BATCH_ACTIONS = ("edit", "start_notice", "object", "withdraw", "end_notice", "pay", "delete")
BATCH_FLOW = Workflow(BATCH_TRANSITIONS, "名单{state}，不能{action}", BATCH_STATE_LABELS, BATCH_ACTION_LABELS, {
    ("draft", "pay"): "名单尚未公示，不能导入发放结果：须先公示并满公示期",
    ("noticing", "pay"): "名单正在公示，公示期满后才能导入发放结果",
    ("noticing", "edit"): "名单正在公示，不能修改；如需更正请先撤回公示",
    ("paid", "pay"): "名单已发放，发放结果已导入",
})
PUBLISHED_STATES = ("noticing", "notice_ended", "paid")  # from the notice on: public, and printed as a 公示


def notice_printable(state: str) -> bool:
    """Whether a list's 公示 may be printed: only once its notice has started (a draft is no notice)."""
    return state in PUBLISHED_STATES


BATCH_PERMISSION = {"edit": "subsidies.edit", "delete": "subsidies.edit", "start_notice": "subsidies.edit",
                    "withdraw": "subsidies.edit", "object": "subsidies.edit", "end_notice": "subsidies.edit",
                    "pay": "subsidies.edit"}


@dataclass(frozen=True)
class BatchFacts:
    """What the batch's rules need to know: its state, its rows, its notice's last day and today."""

    state: str
    rows: int
    notice_to: date | None
    today: date


def batch_refusal(facts: BatchFacts, action: str) -> str | None:
    """Why an action may not be taken on a batch now (its state, an empty list, a notice not yet run); None when
    the rules allow it. The services refuse with this sentence; the pages offer only what it allows."""
    if why := BATCH_FLOW.why_not(facts.state, action):
        return why
    if action == "start_notice" and facts.rows == 0:
        return "名单没有任何农户，不能公示"
    if action == "end_notice" and not notice_complete(facts.notice_to, facts.today):
        return (f"公示期至 {facts.notice_to.isoformat()}，还有 {notice_days_left(facts.notice_to, facts.today)} 天"
                "，未满公示期不能结束公示")
    return None


def batch_actions(facts: BatchFacts, permissions: Collection[str]) -> list[str]:
    """The actions a person holding `permissions` may take on the batch, in BATCH_ACTIONS order."""
    return permitted(BATCH_ACTIONS, permissions, BATCH_PERMISSION, lambda a: batch_refusal(facts, a))


# --- matching the bank's payment file ----------------------------------------------------------------------

OUTCOME_LABELS = {"matched": "已发放（相符）", "amount_differs": "发放金额与公示不符", "not_on_list": "不在公示名单",
                  "duplicate": "重复发放", "failed": "发放失败", "unpaid": "未发放"}


@dataclass(frozen=True)
class ListRow:
    """A row of the noticed list as the matcher sees it."""

    row_id: int
    head_name: str
    id_number: str
    card_last4: str
    amount: Decimal


@dataclass(frozen=True)
class BankLine:
    """A line of the bank's result file: the holder, an ID (whole, masked or its last four) or the card's last
    four, the amount, the date and whether it went through."""

    line: int
    holder_name: str
    id_text: str
    card_last4: str
    amount: Decimal
    paid_on: date | None
    succeeded: bool
    reference: str = ""


@dataclass
class Matching:
    """The outcome of matching a file: each line's outcome and row, and the rows nobody was paid for."""

    outcomes: dict[int, tuple[str, int | None]] = field(default_factory=dict)  # line → (outcome, row id)
    unpaid: list[int] = field(default_factory=list)  # row ids

    def mismatches(self) -> int:
        """How many lines and rows are not a clean payment of the noticed amount."""
        return sum(1 for o, _r in self.outcomes.values() if o != "matched") + len(self.unpaid)


class _RowIndex:
    """The noticed rows indexed for matching: by name as compared (`name_key`) and then by the whole ID, the ID's
    last four and the card's last four, each list in the rows' order. A line finds the rows it names in a few
    look-ups, so a file of tens of thousands of lines is matched in one pass (a line naming a row: the same name
    and the same ID — whole when the bank gave it whole, else its last four — or the same card's last four)."""

    def __init__(self, rows: list[ListRow]) -> None:
        self.by_id: dict[tuple[str, str], list[int]] = {}
        self.by_tail: dict[tuple[str, str], list[int]] = {}
        self.by_card: dict[tuple[str, str], list[int]] = {}
        for pos, row in enumerate(rows):
            name = name_key(row.head_name)
            self.by_id.setdefault((name, row.id_number), []).append(pos)
            if tail := row.id_number[-4:]:
                self.by_tail.setdefault((name, tail), []).append(pos)
            if row.card_last4:
                self.by_card.setdefault((name, row.card_last4), []).append(pos)

    def named(self, line: BankLine) -> list[int]:
        """The positions of the rows the line names, in the rows' order."""
        name = name_key(line.holder_name)
        digits = clean_digits(line.id_text)
        if len(digits) == 18 and "*" not in digits:
            return self.by_id.get((name, digits), [])
        tail = last4(line.id_text.replace("*", "")) if line.id_text else ""
        by_tail = self.by_tail.get((name, tail), []) if tail else []
        by_card = self.by_card.get((name, line.card_last4), []) if line.card_last4 else []
        if not by_card:
            return by_tail
        return sorted(set(by_tail) | set(by_card)) if by_tail else by_card


def _outcome(line: BankLine, row: ListRow | None, paid: set[int]) -> str:
    if not line.succeeded:
        return "failed"
    if row is None:
        return "not_on_list"
    if row.row_id in paid:
        return "duplicate"
    return "matched" if line.amount == row.amount else "amount_differs"


def match_payments(rows: Iterable[ListRow], lines: Iterable[BankLine]) -> Matching:
    """Match the bank's lines to the noticed rows, line by line in file order: a line takes the first row it
    identifies that no earlier successful line took (else any row it identifies, as a duplicate). A failed line
    pays nothing; a row without a successful line is unpaid."""
    rows = list(rows)
    index = _RowIndex(rows)
    out, paid = Matching(), set()
    for line in lines:
        named = [rows[pos] for pos in index.named(line)]
        row = next((r for r in named if r.row_id not in paid), named[0] if named else None)
        outcome = _outcome(line, row, paid)
        out.outcomes[line.line] = (outcome, row.row_id if row else None)
        if row is not None and outcome in ("matched", "amount_differs"):
            paid.add(row.row_id)
    out.unpaid = [r.row_id for r in rows if r.row_id not in paid]
    return out


SUCCESS_WORDS = {"", "成功", "已发放", "发放成功", "已入账", "入账成功", "正常", "success", "ok", "paid", "s", "1"}
FAILURE_WORDS = {"失败", "发放失败", "退回", "未发放", "账户异常", "failed", "fail", "f", "0"}


def read_status(text: str | None) -> bool | None:
    """A bank file's status as success (True) or failure (False); None when it is neither."""
    word = (text or "").strip().lower()
    if word in SUCCESS_WORDS:
        return True
    if word in FAILURE_WORDS:
        return False
    return None


# --- import columns: the code names and the Chinese headers villages and banks use ----------------------------


def header_map(aliases: Mapping[str, str], header: Iterable[str]) -> dict[str, str]:
    """File header → code name, for every header cell that is a code name or one of its Chinese names (spaces
    and full-width brackets ignored). Unknown headers are left out."""
    out = {}
    for cell in header:
        key = unicodedata.normalize("NFKC", cell or "").replace(" ", "").strip().lower()
        if key in aliases:
            out[cell] = aliases[key]
    return out


HOUSEHOLD_COLUMNS = ["group", "number", "head_name", "id_number", "members", "land_area", "card_last4", "note"]
HOUSEHOLD_REQUIRED = ["number", "head_name", "id_number"]
HOUSEHOLD_ALIASES = {**{c: c for c in HOUSEHOLD_COLUMNS},
                     "组": "group", "组别": "group", "村民小组": "group", "所在组": "group",
                     "户号": "number", "户编号": "number", "户主姓名": "head_name", "户主": "head_name",
                     "姓名": "head_name", "身份证号": "id_number", "身份证号码": "id_number",
                     "户主身份证号": "id_number", "户主身份证号码": "id_number", "家庭人口": "members",
                     "人口": "members", "家庭人口数": "members", "人数": "members", "承包地面积": "land_area",
                     "承包地面积(亩)": "land_area", "承包面积": "land_area", "承包面积(亩)": "land_area",
                     "确权面积(亩)": "land_area", "一卡通后四位": "card_last4", "一卡通卡号": "card_last4",
                     "一卡通账号": "card_last4", "卡号后四位": "card_last4", "备注": "note"}
ROW_COLUMNS = ["id_number", "org_code", "number", "quantity", "rate", "amount", "note"]
ROW_ALIASES = {**{c: c for c in ROW_COLUMNS},
               "身份证号": "id_number", "身份证号码": "id_number", "户主身份证号": "id_number",
               "村编码": "org_code", "村代码": "org_code", "户号": "number", "数量": "quantity",
               "面积(亩)": "quantity", "补贴面积(亩)": "quantity", "补贴数量": "quantity", "标准": "rate",
               "补贴标准": "rate", "单价": "rate", "金额": "amount", "补贴金额": "amount", "备注": "note",
               "户主姓名": "head_name", "户主": "head_name", "head_name": "head_name"}
PAYMENT_COLUMNS = ["holder_name", "id_number", "card_last4", "amount", "paid_on", "status", "reference"]
PAYMENT_ALIASES = {**{c: c for c in PAYMENT_COLUMNS},
                   "户名": "holder_name", "账户名": "holder_name", "账户名称": "holder_name", "姓名": "holder_name",
                   "收款人": "holder_name", "身份证号": "id_number", "身份证号码": "id_number", "证件号码": "id_number",
                   "卡号后四位": "card_last4", "卡号": "card_last4", "账号": "card_last4", "一卡通账号": "card_last4",
                   "金额": "amount", "发放金额": "amount", "实发金额": "amount", "交易金额": "amount",
                   "日期": "paid_on", "发放日期": "paid_on", "交易日期": "paid_on", "入账日期": "paid_on",
                   "状态": "status", "发放状态": "status", "交易状态": "status", "处理结果": "status",
                   "流水号": "reference", "交易流水号": "reference", "备注": "reference"}


@dataclass
class HouseholdInput:
    """A household as typed (import row or form), checked."""

    group_name: str
    number: str
    head_name: str
    id_number: str
    members: int
    land_area: Decimal
    card_last4: str
    note: str


def _text(raw: Mapping[str, str], key: str, limit: int, problems: dict, label: str, required: bool = False) -> str:
    """A typed text, stripped; noted in `problems` when required and blank, or over `limit` (never cut)."""
    value = (raw.get(key) or "").strip()
    if required and not value:
        problems[key] = f"请填写{label}"
    elif why := too_long(value, limit, label):
        problems[key] = why
    return value


def _members(text: str | None, problems: dict) -> int:
    digits = clean_digits(text)
    digits = digits[:-2] if digits.endswith(".0") else digits  # 4.0 saved by Excel
    if not digits:
        return 1
    members = to_int(digits, lo=1, hi=99)
    if members is None:
        problems["members"] = "家庭人口应为 1 至 99 的整数"
        return 1
    return members


def _card(text: str | None, problems: dict) -> str:
    """The card's last four digits: a whole card number is cut to its last four (the rest is never kept)."""
    digits = clean_digits(text)
    if not digits:
        return ""
    if not digits.isascii() or not digits.isdigit() or len(digits) < 4:
        problems["card_last4"] = "一卡通应填卡号或其后四位数字"
        return ""
    return digits[-4:]


def parse_household(raw: Mapping[str, str]) -> tuple[HouseholdInput | None, dict[str, str]]:
    """A household's fields checked: (input, {}) or (None, {column: why})."""
    problems: dict[str, str] = {}
    number = _text(raw, "number", 20, problems, "户号", required=True)
    head = _text(raw, "head_name", 50, problems, "户主姓名", required=True)
    id_number, why = check_id(raw.get("id_number"))
    if why:
        problems["id_number"] = why
    area, why = parse_decimal(raw.get("land_area"), "承包地面积", required=False)
    if why:
        problems["land_area"] = why
    out = HouseholdInput(group_name=_text(raw, "group", 20, problems, "组"), number=clean_digits(number) or number,
                         head_name=head, id_number=id_number or "", members=_members(raw.get("members"), problems),
                         land_area=area or Decimal("0.00"), card_last4=_card(raw.get("card_last4"), problems),
                         note=_text(raw, "note", 200, problems, "备注"))
    return (None, problems) if problems else (out, problems)


# --- a policy as typed on its form -------------------------------------------------------------------------

POLICY_TEXTS = {"code": ("编码", 16), "department": ("主管部门", 50), "name": ("政策名称", 100),
                "basis": ("政策依据（文号）", 300), "service_item": ("咨询窗口事项编码", 16)}
POLICY_LONG = ("eligibility", "standard", "payment", "summary", "full_text")
POLICY_LONG_MAX = 20000
# Every text of a policy the public kiosk shows, as the form names it (the masking check names the field).
POLICY_PUBLIC = {"code": "编码", "department": "主管部门", "name": "政策名称", "basis": "政策依据（文号）",
                 "service_item": "咨询服务事项编码", "eligibility": "补贴对象", "standard": "补贴标准",
                 "payment": "发放方式与时间", "summary": "政策摘要", "full_text": "政策全文"}
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


@dataclass
class PolicyInput:
    """A policy's fields, checked."""

    code: str
    level: str
    department: str
    name: str
    basis: str
    basis_date: date | None
    eligibility: str
    standard: str
    rate: Decimal | None
    unit: str
    year_from: int
    year_to: int | None
    payment: str
    service_item: str
    summary: str
    full_text: str


def _year(text: str | None, key: str, problems: dict, required: bool) -> int | None:
    s = clean_digits(text)
    if not s:
        if required:
            problems[key] = "请填写年份"
        return None
    year = to_int(s, lo=1949, hi=2100)
    if year is None:
        problems[key] = "年份应为四位数字，如 2024"
    return year


def _basis_date(text: str | None, problems: dict) -> date | None:
    try:
        return parse_day(text, "发文日期")
    except PeriodError as exc:
        problems["basis_date"] = str(exc)
        return None


def _policy_texts(form: Mapping[str, str], problems: dict) -> dict[str, str]:
    out = {}
    for key, (label, limit) in POLICY_TEXTS.items():
        out[key] = _text(form, key, limit, problems, label, required=key in ("code", "department", "name"))
    if out["code"] and set(out["code"]) - CODE_CHARS:
        problems["code"] = "编码只能用字母、数字、“-”或“_”"
    for key in POLICY_LONG:
        out[key] = _text(form, key, POLICY_LONG_MAX, problems, POLICY_PUBLIC[key])
    return out


def policy_text_problems(texts: Mapping[str, str | None]) -> dict[str, str]:
    """The texts of a policy the public must not read, each with its sentence: a resident ID, a mobile or a bank
    number (core.masking, the same check as the kiosk's notices). The catalogue is shown on the public kiosk as
    typed, so such a text is refused where it is typed, not masked where it is shown."""
    out = {}
    for key, label in POLICY_PUBLIC.items():
        if why := refusal(label, texts.get(key) or ""):
            out[key] = why
    return out


def parse_policy(form: Mapping[str, str]) -> tuple[PolicyInput | None, dict[str, str]]:
    """A policy form checked: (input, {}) or (None, {field: why}); a text the public kiosk must not show (an ID,
    a mobile, a bank number) is refused naming its field."""
    problems: dict[str, str] = {}
    texts = _policy_texts(form, problems)
    for key, why in policy_text_problems(texts).items():
        problems.setdefault(key, why)
    level = (form.get("level") or "").strip()
    if level not in LEVEL_LABELS:
        problems["level"] = "请选择政策层级（中央/省/市/县）"
    unit = (form.get("unit") or "").strip()
    if unit and unit not in UNIT_LABELS:
        problems["unit"] = "请选择标准单位"
    rate, why = parse_decimal(form.get("rate"), "标准金额", required=False)
    if why:
        problems["rate"] = why
    elif rate is not None and not unit:
        problems["unit"] = "填写了标准金额，请选择单位"
    year_from = _year(form.get("year_from"), "year_from", problems, required=True)
    year_to = _year(form.get("year_to"), "year_to", problems, required=False)
    if year_from and year_to and year_to < year_from:
        problems["year_to"] = "截止年份不能早于起始年份"
    basis_date = _basis_date(form.get("basis_date"), problems)
    if problems:
        return None, problems
    return PolicyInput(level=level, basis_date=basis_date, rate=rate, unit=unit, year_from=year_from,
                       year_to=year_to, **texts), problems
