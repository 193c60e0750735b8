"""Pure rules of the county's view (县农经站): the months a figure counts, the due days, what a township's or a
village's row holds, and the county-wide alert rules over plain facts. No database, no request here.

docs/county.md defines every figure and rule in words.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from threeassets.core.money import fmt
from threeassets.core.periods import add_months, ym_label, ym_of
from threeassets.disclosure.rules import MIN_DISPLAY_DAYS

ZERO = Decimal(0)
# No township setting holds these yet (orgs.models.TownshipSettings has no closing day or cash limit): the
# county's defaults, one place to change them.
CLOSE_DAY = 10  # a month is closed on time by the 10th of the next month (会计核算: 月度终了10日内结账)
NOTICE_DAY = 10  # a month's (or quarter's) notice is posted by the 10th after it ends (每月/季度终了后10日内公开)
CASH_LIMIT = Decimal("5000.00")  # 库存现金限额 of a village: cash on hand above it is deposited
WHITE_SLIP_SHARE = Decimal("0.05")  # 白条 above 5% of the amount of the accepted claims is flagged
EXPIRY_DAYS = 90  # contracts ending within this many days of the day shown
MONTHS = 12  # months of the flows (closes, notices, cases, claims) shown


def due_day(ym: int, day: int = CLOSE_DAY) -> date:
    """The last day on which the work of month ym is on time: `day` of the month after it."""
    nxt = add_months(ym, 1)
    return date(nxt // 100, nxt % 100, day)


def quarter_end(ym: int) -> int:
    """The last month of ym's quarter (202405 → 202406)."""
    return ym // 100 * 100 + ((ym % 100 - 1) // 3 + 1) * 3


def report_months(as_of: date, day: int = CLOSE_DAY, count: int = MONTHS) -> list[int]:
    """The `count` latest months whose due day is before as_of (the due day itself still counts as on time),
    oldest first: on 2025-06-10 the window ends with April, on 2025-06-11 with May."""
    last = ym_of(as_of)
    while due_day(last, day) >= as_of:
        last = add_months(last, -1)
    return [add_months(last, i - count + 1) for i in range(count)]


def period_text(ym: int) -> str:
    """The disclosure period string of a month (202405 → '2024-05')."""
    return f"{ym // 100:04d}-{ym % 100:02d}"


def quarter_text(ym: int) -> str:
    """The disclosure period string of ym's quarter (202405 → '2024-Q2')."""
    return f"{ym // 100:04d}-Q{(ym % 100 - 1) // 3 + 1}"


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal, None when nothing was due."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Figures:
    """One row of the county's tables: a township (its villages summed) or a village, as of a day."""

    villages: int = 0
    cash: Decimal = ZERO  # 101 库存现金, end of the day's month
    bank: Decimal = ZERO  # 102 银行存款
    receivables: Decimal = ZERO  # 112 + debit-balance leaves of 113 (资产负债表 应收款项)
    payables: Decimal = ZERO  # 211 + credit-balance leaves of 113, 212, 213 (as the dashboards show them)
    assets: int = 0  # asset cards on the register, not disposed, acquired by the day
    assets_cost: Decimal = ZERO
    assets_net: Decimal = ZERO
    resources: int = 0
    resources_area: Decimal = ZERO  # 亩
    expiring: int = 0  # active contracts ending within EXPIRY_DAYS
    overdue: int = 0  # installments due before the day, not fully received
    overdue_amount: Decimal = ZERO  # what they still owe
    closes_due: int = 0  # village-months of the window that had to be closed
    closes_on_time: int = 0  # … closed by their due day
    notices_due: int = 0  # village-months of the window that had to be disclosed
    notices_on_time: int = 0  # … posted by their due day (a month's notice, or its quarter's)
    notices_displayed: int = 0  # … of those posted, on the board at least 15 days and not taken down early
    notices_posted: int = 0  # … posted at all (on time or late)
    cases_done: int = 0  # service-hall cases completed in the window
    cases_rejected: int = 0
    cases_on_time: int = 0  # completed by their promised day
    open_alerts: int = 0  # stored alerts still open (待处理)

    @property
    def cash_bank(self) -> Decimal:
        """库存现金 + 银行存款."""
        return self.cash + self.bank

    @property
    def close_rate(self) -> Decimal | None:
        """Months closed on time, percent."""
        return rate(self.closes_on_time, self.closes_due)

    @property
    def notice_rate(self) -> Decimal | None:
        """Months disclosed on time, percent."""
        return rate(self.notices_on_time, self.notices_due)

    @property
    def display_rate(self) -> Decimal | None:
        """Posted months whose notice stayed up its full display period, percent."""
        return rate(self.notices_displayed, self.notices_posted)

    @property
    def cases_handled(self) -> int:
        """Cases finished either way."""
        return self.cases_done + self.cases_rejected

    @property
    def case_rate(self) -> Decimal | None:
        """Completed cases finished by their promised day, percent."""
        return rate(self.cases_on_time, self.cases_done)

    def add(self, other: Figures) -> None:
        """Add another row into this one."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def total(rows: Iterable[Figures]) -> Figures:
    """The sum of rows (the county's totals row is the sum of its townships)."""
    out = Figures()
    for r in rows:
        out.add(r)
    return out


# ---------------------------------------------------------------- month closes

def due_months(months: list[int], start: int | None) -> list[int]:
    """The months of the window a village had to close: from its first month on the system (None: no books)."""
    return [] if start is None else [m for m in months if m >= start]


def close_counts(months: list[int], start: int | None, closed: dict[int, date], day: int = CLOSE_DAY
                 ) -> tuple[int, int, list[int]]:
    """(months due, closed on time, months still open) of one village: `closed` maps its closed months to the
    day they were closed."""
    due = due_months(months, start)
    on_time = sum(1 for m in due if m in closed and closed[m] <= due_day(m, day))
    return len(due), on_time, [m for m in due if m not in closed]


# ---------------------------------------------------------------- disclosure

@dataclass(frozen=True)
class NoticeFact:
    """The published (or archived) versions of one village's notice for a period, folded: when it first went up
    and whether any version stayed up too short (display period under 15 days, or taken down before its 15th
    day other than by its own correction)."""

    village_id: int
    period: str  # 2024-05 or 2024-Q2
    notice_id: int  # the first published version
    posted_on: date
    short: bool


def display_short(posted_on: date, until: date | None, taken_down: date | None, superseded: bool) -> bool:
    """Whether a published version stayed on the board less than MIN_DISPLAY_DAYS days: a display period set
    shorter, or archived before its last required day (a correction replacing it keeps the board full)."""
    last = posted_on + timedelta(days=MIN_DISPLAY_DAYS - 1)
    if until is None or until < last:
        return True
    return taken_down is not None and not superseded and taken_down < last


@dataclass
class NoticeCounts:
    """One village's disclosure over the window."""

    due: int = 0
    on_time: int = 0
    posted: int = 0
    displayed: int = 0
    late: list[int] = field(default_factory=list)  # months not posted by their due day
    short: list[NoticeFact] = field(default_factory=list)  # notices taken down too early


def notice_counts(months: list[int], start: int | None, notices: dict[str, NoticeFact], as_of: date,
                  day: int = NOTICE_DAY) -> NoticeCounts:
    """Each month of the window a village had books for is disclosed by its month's notice or its quarter's,
    on time when posted by the due day of that notice's period. A village that posts monthly notices is held to
    each month's due day; one that posts only quarterly ones (or none yet) to the quarter's: a month of a quarter
    not yet due waits (it is counted once the quarter is due)."""
    out = NoticeCounts()
    monthly = any("Q" not in period for period in notices)
    for m in due_months(months, start):
        own, quarter = notices.get(period_text(m)), notices.get(quarter_text(m))
        quarter_due = due_day(quarter_end(m), day)
        if own is None and not monthly and quarter_due >= as_of:
            continue  # waits for its quarter's notice
        out.due += 1
        on_time = ((own is not None and own.posted_on <= due_day(m, day))
                   or (quarter is not None and quarter.posted_on <= quarter_due))
        posted = [n for n in (own, quarter) if n is not None]
        out.on_time += on_time
        if not on_time:
            out.late.append(m)
        if posted:
            out.posted += 1
            out.displayed += not any(n.short for n in posted)
    seen: set[int] = set()
    for n in notices.values():
        if n.short and n.notice_id not in seen:
            seen.add(n.notice_id)
            out.short.append(n)
    return out


# ---------------------------------------------------------------- county-wide alerts

LATE_CLOSE = "late_close"
LATE_NOTICE = "late_notice"
SHORT_DISPLAY = "short_display"
CASH_OVER_LIMIT = "cash_over_limit"
WHITE_SLIPS = "white_slips"
ALERT_LABELS = {
    LATE_CLOSE: "逾期未结账",
    LATE_NOTICE: "财务公开未按期公布",
    SHORT_DISPLAY: "公示期不足15天",
    CASH_OVER_LIMIT: "库存现金超限额",
    WHITE_SLIPS: "白条占比过高",
}


@dataclass(frozen=True)
class CountyAlert:
    """One finding of the county's rules; `target` says what the page links to: ("township", id),
    ("closing", village id), ("disclosure", village id), ("notice", village id, notice id), ("cash", village id),
    ("claims", village id)."""

    rule: str
    severity: str  # danger | warning
    township_id: int
    village_id: int | None
    message: str
    target: tuple


def listed(items: list[str], limit: int, unit: str) -> str:
    """The first `limit` items joined with 、, and how many there are when some were left out."""
    return "、".join(items[:limit]) + (f" 等{len(items)}{unit}" if len(items) > limit else "")


def late_close_alerts(township_id: int, township: str, open_months: dict[int, list[tuple[int, str]]],
                      day: int = CLOSE_DAY) -> list[CountyAlert]:
    """A township whose villages have not closed a month by its due day: one alert per month, naming the
    villages (month → [(village id, village name)]). Severe once the next month is overdue too."""
    out = []
    newest = max(open_months, default=0)
    for ym in sorted(open_months):
        names = listed([name for _vid, name in open_months[ym]], 5, "个村")
        out.append(CountyAlert(LATE_CLOSE, "danger" if ym < newest else "warning", township_id, None,
                               f"{township}：{ym_label(ym)} 应于 {due_day(ym, day).isoformat()} 前结账，"
                               f"{names} 尚未结账", ("township", township_id)))
    return out


def late_notice_alerts(township_id: int, village_id: int, village: str, late: list[int],
                       day: int = NOTICE_DAY) -> list[CountyAlert]:
    """A village's months not disclosed by their due day (one alert per village, listing the months)."""
    if not late:
        return []
    months = listed([ym_label(m) for m in late], 6, "个月")
    return [CountyAlert(LATE_NOTICE, "danger" if len(late) > 1 else "warning", township_id, village_id,
                        f"{village}：{months} 的财务公开未在次月{day}日前张贴公布", ("disclosure", village_id))]


def short_display_alerts(township_id: int, village: str, short: list[NoticeFact]) -> list[CountyAlert]:
    """Each notice whose display period was under 15 days or that was taken down early."""
    return [CountyAlert(SHORT_DISPLAY, "warning", township_id, n.village_id,
                        f"{village}：{n.period} 公开榜 {n.posted_on.isoformat()} 张贴，公示不足{MIN_DISPLAY_DAYS}天",
                        ("notice", n.village_id, n.notice_id)) for n in short]


def cash_alert(township_id: int, village_id: int, village: str, cash: Decimal, limit: Decimal = CASH_LIMIT
               ) -> list[CountyAlert]:
    """Cash on hand above the limit at the end of the month shown."""
    if cash <= limit:
        return []
    severity = "danger" if cash > limit * 2 else "warning"
    return [CountyAlert(CASH_OVER_LIMIT, severity, township_id, village_id,
                        f"{village}：库存现金 {fmt(cash)} 元，超过限额 {fmt(limit)} 元", ("cash", village_id))]


def white_slip_alert(township_id: int, village_id: int, village: str, white: Decimal, whole: Decimal,
                     threshold: Decimal = WHITE_SLIP_SHARE) -> list[CountyAlert]:
    """The 白条 share of a village's accepted claims above the threshold."""
    if whole <= 0 or white / whole <= threshold:
        return []
    share = (white * 100 / whole).quantize(Decimal("0.1"))
    return [CountyAlert(WHITE_SLIPS, "danger" if white / whole > threshold * 2 else "warning", township_id,
                        village_id, f"{village}：已受理报账中白条（无增值税发票）{fmt(white)} 元，占 {share}%，"
                        f"超过 {(threshold * 100).normalize()}%", ("claims", village_id))]


SEVERITY_ORDER = {"danger": 0, "warning": 1}


def sort_alerts(alerts: Iterable[CountyAlert], order: dict[int, int]) -> list[CountyAlert]:
    """Severe first, then by the townships' order (`order`: township id → position) and rule."""
    rules = list(ALERT_LABELS)
    return sorted(alerts, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), order.get(a.township_id, 0),
                                         rules.index(a.rule), a.village_id or 0))
