"""Pure rules of the notice's content: disclosure periods, masking of personal numbers, section words."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from threeassets.core.errors import RuleError

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")
QUARTER_WORDS = "一二三四"
MIN_YEAR, MAX_YEAR = 2000, 2100

# An 18-character resident ID (17 digits and a digit or X) standing alone, or an old 15-digit one: both are
# masked as IDs (first 4, last 4) whether or not the check digit is right — a mistyped ID is still personal.
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Bank card and account numbers: 13 or more digits in a row, or four or more groups of four split by spaces or
# dashes as people copy them from a card (cards have 16 to 19 digits). Mobile numbers (11 digits), landlines
# with their area code (at most 12 digits, e.g. 0551-6288 1234) and dates stay readable.
BANK_RE = re.compile(r"(?<![0-9A-Za-z])(\d{4}(?:[ -]\d{4}){3,}(?:[ -]\d{1,4})?|\d{13,})(?![0-9A-Za-z])")
AMOUNT_RE = re.compile(r"^-?\d+\.\d{2}$")


@dataclass(frozen=True)
class Period:
    """A disclosure period: one month ("2026-10") or one quarter ("2026-Q3")."""

    text: str
    label: str
    start_ym: int
    end_ym: int
    start: date
    end: date

    @property
    def is_quarter(self) -> bool:
        """Whether the period spans a quarter rather than one month."""
        return self.start_ym != self.end_ym

    @property
    def year(self) -> int:
        """The calendar year of the period."""
        return self.start_ym // 100

    @property
    def months(self) -> list[int]:
        """The period's months as YYYYMM integers."""
        return list(range(self.start_ym, self.end_ym + 1))


def _period(text: str, year: int, first: int, last: int, label: str) -> Period:
    """Build a Period of months first..last of a year."""
    end = date(year, last, calendar.monthrange(year, last)[1])
    return Period(text, label, year * 100 + first, year * 100 + last, date(year, first, 1), end)


def parse_period(text) -> Period:
    """Parse "YYYY-MM" or "YYYY-Qn" into a Period; RuleError on anything else."""
    s = str(text or "").strip()
    month, quarter = MONTH_RE.match(s), QUARTER_RE.match(s)
    if not (month or quarter):
        raise RuleError(f"公开期间“{s}”格式不对，应为 2026-10（月）或 2026-Q3（季度）", fields={"period": "格式不对"})
    year = int((month or quarter).group(1))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise RuleError(f"公开期间年份应在{MIN_YEAR}至{MAX_YEAR}之间", fields={"period": "年份超出范围"})
    if quarter:
        q = int(quarter.group(2))
        return _period(f"{year}-Q{q}", year, 3 * q - 2, 3 * q, f"{year}年第{QUARTER_WORDS[q - 1]}季度")
    m = int(month.group(2))
    if not 1 <= m <= 12:
        raise RuleError(f"公开期间月份“{m}”不对，应为1至12", fields={"period": "月份不对"})
    return _period(f"{year}-{m:02d}", year, m, m, f"{year}年{m}月")


def mask_id(s) -> str:
    """A resident ID with only its first 4 and last 4 characters shown: 2201**********1234."""
    s = str(s or "").strip()
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def mask_bank(s) -> str:
    """A bank card or account number with only its last 4 digits shown (separators dropped)."""
    digits = re.sub(r"[ -]", "", str(s or "").strip())
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


def mask_text(text) -> str:
    """A free text (voucher summary, name, note) with every ID number and bank number in it masked."""
    if not text:
        return text or ""
    out = ID_RE.sub(lambda m: mask_id(m.group(1)), str(text))
    return BANK_RE.sub(lambda m: mask_bank(m.group(1)), out)


def mask_tree(value):
    """Mask every text in a JSON-like tree (dicts, lists, strings); amount strings ("1234.50") are left alone."""
    if isinstance(value, dict):
        return {k: mask_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_tree(v) for v in value]
    if isinstance(value, str) and not AMOUNT_RE.match(value):
        return mask_text(value)
    return value


def party_id_shown(party_type: str, id_no: str) -> str:
    """A contract party's number as printed: a person's ID masked, an organisation's public credit code kept."""
    return mask_id(id_no) if party_type == "person" else (id_no or "")


def grouped_label(section: str, count: int) -> str:
    """The line that stands for the small items of one account: 其他小额支出（12笔）."""
    word = "收入" if section == "income" else "支出"
    return f"其他小额{word}（{count}笔）"


def overdue(due_to_date, received_to_date):
    """What a contract party still owes on instalments fallen due (never negative: prepayment is not a debt)."""
    gap = due_to_date - received_to_date
    return gap if gap > 0 else gap * 0
