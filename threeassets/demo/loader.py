"""The demo: a township, three villages, one user per role and a year of plausible books."""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from threeassets import features
from threeassets.auth.rules import ROLE_LABELS, Role
from threeassets.auth.service import create_user
from threeassets.core.csvio import Table
from threeassets.core.db import refresh_statistics
from threeassets.ledger import service as ledger
from threeassets.ledger.chart import add_sub_account
from threeassets.ledger.importer import COLUMNS, import_vouchers
from threeassets.ledger.models import Account, Voucher
from threeassets.ledger.rules import LineInput
from threeassets.orgs.models import Township, Village
from threeassets.orgs.service import upsert_township, upsert_village

PASSWORD = "demo2024!"
ZERO = Decimal(0)
# what the demo's year of books fills (refresh_statistics before its notices and registers read them)
BOOK_TABLES = ("account", "period", "voucher", "voucher_line", "account_turnover", "period_balance")
TOWNSHIP = ("DEMO", "示范镇")
VILLAGES = [("DEMO01", "东风村", "91340100MA2N0DEM0Q"), ("DEMO02", "红旗村", None), ("DEMO03", "新华村", None)]
# A second, smaller township, so the county's view (全县概览) compares two: books from January, months closed a
# little late, the last one still open in one village, no notices yet (the county's alerts show it).
TOWNSHIP2 = ("DEMO2", "青山镇")
VILLAGES2 = [("DEMO21", "青山村", None), ("DEMO22", "石桥村", None)]
USERS = [  # username, name, role, scope ("T" township, "V" first village, "V2"/"V3" the others, None)
    ("admin", "系统管理员", Role.ADMIN, None), ("zhuren", "王主任", Role.AGENCY_HEAD, "T"),
    ("kuaiji", "李会计", Role.AGENCY_ACCOUNTANT, "T"), ("shenhe", "赵审核", Role.REVIEWER, "T"),
    ("chuangkou", "陈窗口", Role.WINDOW_CLERK, "T"), ("baozhang", "张报账", Role.VILLAGE_ACCOUNTANT, "V"),
    ("licai", "刘理财", Role.VILLAGE_BOARD, "V"), ("xianjian", "周监管", Role.COUNTY_SUPERVISOR, None),
    # each village's own oversight group signs its own disclosure notices
    ("licai2", "红旗村理财小组", Role.VILLAGE_BOARD, "V2"), ("licai3", "新华村理财小组", Role.VILLAGE_BOARD, "V3"),
]
SUBS = [("102", "01", "农商银行基本户"), ("102", "02", "邮储银行专户"), ("112", "01", "张三"),
        ("112", "02", "李四"), ("112", "03", "王五养殖场"), ("211", "01", "村道施工队"),
        ("501", "01", "土地发包收入"), ("501", "02", "厂房出租收入"), ("513", "01", "办公费"), ("513", "02", "差旅费"),
        ("513", "03", "村干部报酬")]
DRAWING = Decimal(1000)  # cash is drawn from the bank in whole thousands
# (debit, credit, summary, low, high) in yuan
TEMPLATES = [
    ("10201", "50101", "收到{who}土地承包费", 2000, 60000), ("10201", "50102", "收到厂房租金", 5000, 30000),
    ("10201", "503", "收到上级转移支付补助", 20000, 150000), ("101", "10201", "提取备用金", 1000, 5000),
    ("51301", "101", "购买办公用品", 80, 1500), ("51302", "101", "报销{who}差旅费", 100, 2000),
    ("514", "10201", "支付村道维修费", 3000, 50000), ("11201", "50101", "应收{who}承包费", 3000, 20000),
    ("10201", "11201", "收回{who}欠款", 1000, 20000), ("51303", "212", "计提村干部报酬", 8000, 15000),
    ("212", "10201", "发放村干部报酬", 8000, 15000), ("514", "10202", "支付村卫生保洁费", 500, 2000),
    ("515", "101", "支付其他零星支出", 50, 800),
]
WHO = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九", "郑十"]


class DemoExists(Exception):
    """The demo is already loaded; carries the logins to print again."""

    def __init__(self, logins):
        super().__init__("demo data already present; logins unchanged")
        self.logins = logins


class DemoRefused(Exception):
    """The database holds books that are not the demo's: the demo is never mixed into real books."""


def foreign_books(session: Session) -> str | None:
    """Why the demo must not load here (villages or vouchers other than the demo's), or None."""
    demo = or_(and_(Township.code == TOWNSHIP[0], Village.code.in_([code for code, _n, _c in VILLAGES])),
               and_(Township.code == TOWNSHIP2[0], Village.code.in_([code for code, _n, _c in VILLAGES2])))
    villages = session.scalar(select(func.count()).select_from(Village)
                              .join(Township, Township.id == Village.township_id).where(~demo))
    vouchers = session.scalar(select(func.count()).select_from(Voucher).join(Village, Village.id == Voucher.village_id)
                              .join(Township, Township.id == Village.township_id).where(~demo))
    if not villages and not vouchers:
        return None
    return (f"the database already holds books that are not the demo's ({villages} villages, {vouchers} vouchers); "
            "load the demo into an empty database")


def _village_of(villages: list[Village], scope: str | None) -> int | None:
    """The village id a demo user's scope names ("V" = first, "V2" = second …), None for others."""
    if not scope or not scope.startswith("V"):
        return None
    return villages[int(scope[1:] or 1) - 1].id


def logins() -> list[tuple[str, str, str]]:
    """(username, password, role label) of every demo user."""
    return [(u, PASSWORD, ROLE_LABELS[r]) for u, _n, r, _s in USERS]


def _rows(code: str, day: str, ref: str, summary: str, dr: str, cr: str, amount: Decimal) -> list[dict]:
    """The two import lines of a simple voucher."""
    text = f"{amount:.2f}"
    return [dict(zip(COLUMNS, [code, day, ref, summary, dr, text, ""], strict=True)),
            dict(zip(COLUMNS, [code, day, ref, summary, cr, "", text], strict=True))]


def _settled(owed: dict[str, Decimal], dr: str, cr: str, amount: Decimal) -> Decimal:
    """Cap a collection or a wage payment at what is outstanding, and track what is owed."""
    if cr == "11201" or dr == "212":
        amount = min(amount, owed[cr if cr == "11201" else dr])
    for code in owed:
        if code == dr:
            owed[code] += amount if code == "11201" else -amount
        if code == cr:
            owed[code] += amount if code == "212" else -amount
    return amount


def _journal(villages: list[Village], year: int, last_month: int, rnd: random.Random,
             first_month: dict[int, int], today: date) -> Table:
    """A year of balanced vouchers per village (from its first month on the system) as an import table (posted
    through the importer). The money they move starts from the village's opening balances; none is dated after
    today, and cash is drawn from the bank (提取备用金) before the till would go below nothing."""
    rows: list[dict] = []
    for v in villages:
        n = 0
        owed = {"11201": Decimal(0), "212": Decimal(0)}  # receivable and wages due, so settlements never overshoot
        cash = Decimal(0)  # no demo village opens with cash on hand
        for month in range(first_month.get(v.id, 1), last_month + 1):
            last_day = min(28, today.day) if (year, month) == (today.year, today.month) else 28
            days = sorted(rnd.randrange(1, last_day + 1) for _ in range(rnd.randrange(10, 16)))
            for day in days:
                dr, cr, summary, lo, hi = TEMPLATES[rnd.randrange(len(TEMPLATES))]
                amount = _settled(owed, dr, cr, Decimal(rnd.randrange(lo * 100, hi * 100)) / 100)
                if not amount:
                    continue
                when = date(year, month, day).isoformat()
                if cr == "101" and amount > cash:  # the till first: no day of the cash journal shows a deficit
                    drawn = max(DRAWING, ((amount - cash) / DRAWING).to_integral_value(ROUND_CEILING) * DRAWING)
                    n += 1
                    rows += _rows(v.code, when, f"{v.code}-{n:04d}", "提取备用金", "101", "10201", drawn)
                    cash += drawn
                cash += amount if dr == "101" else -amount if cr == "101" else 0
                n += 1
                rows += _rows(v.code, when, f"{v.code}-{n:04d}", summary.format(who=rnd.choice(WHO)), dr, cr, amount)
    return Table("demo.csv", COLUMNS, list(enumerate(rows, start=2)))


def _year_openings(rnd: random.Random) -> dict[str, tuple[Decimal, Decimal]]:
    """A village's balances on 1 January: code → (debit, credit); they balance."""
    capital, special, owed = (Decimal(rnd.randrange(lo, hi)) for lo, hi in
                              ((300000, 900000), (50000, 120000), (5000, 30000)))
    own = (capital * Decimal("0.6")).quantize(Decimal(1))
    return {"10201": (capital - special, ZERO), "10202": (special, ZERO), "11201": (owed, ZERO),
            "301": (ZERO, own), "322": (ZERO, capital + owed - own)}


def _so_far(rnd: random.Random, months: int) -> dict[str, tuple[Decimal, Decimal]]:
    """The turnover of a year's first months (累计借方, 累计贷方) for a village coming on mid-year; it balances."""
    income = {code: Decimal(rnd.randrange(lo, hi)) * months for code, lo, hi in
              (("50101", 8000, 20000), ("503", 30000, 60000))}
    spent = {code: Decimal(rnd.randrange(lo, hi)) * months for code, lo, hi in
             (("51303", 8000, 12000), ("514", 5000, 20000))}
    return {**{c: (ZERO, a) for c, a in income.items()}, **{c: (a, ZERO) for c, a in spent.items()},
            "10201": (sum(income.values(), ZERO), sum(spent.values(), ZERO))}


def _openings(session: Session, villages: list[Village], year: int, last_month: int, rnd: random.Random,
              actor) -> dict[int, int]:
    """The demo villages come onto the system as real ones do (期初余额): the first in January of the demo year,
    the second switched from the 2004 chart on 2024-01-01, the third in July (or this month, if earlier) with the
    year's turnover so far. Returns village id → first month of the demo year with vouchers."""
    from threeassets.ledger.openings.rules import OpeningFigures
    from threeassets.ledger.openings.service import OpeningRow, save_openings
    first, switched, mid_year = villages
    opening = _with_registers(session, first, 0, year * 100 + 1, actor, _year_openings(rnd))
    save_openings(session, village=first, start_ym=year * 100 + 1, actor=actor, rows=[
        OpeningRow(code, OpeningFigures(year_debit=d, year_credit=c)) for code, (d, c) in opening.items()])
    _switch_from_2004(session, switched, year,
                      _with_registers(session, switched, 1, 202401, actor, _year_openings(rnd)), actor)
    start = min(7, last_month)
    opening = _with_registers(session, mid_year, 2, year * 100 + start, actor, _year_openings(rnd))
    so_far = _so_far(rnd, start - 1) if start > 1 else {}
    rows = []
    for code in sorted(set(opening) | set(so_far)):
        (yd, yc), (td, tc) = opening.get(code, (ZERO, ZERO)), so_far.get(code, (ZERO, ZERO))
        rows.append(OpeningRow(code, OpeningFigures(yd, yc, td, tc)))
    save_openings(session, village=mid_year, start_ym=year * 100 + start, rows=rows, actor=actor)
    return {first.id: 1, switched.id: 1, mid_year.id: start}


def _demo_hooks(part: str) -> list:
    """The feature demos that take part in bringing a village on (opening_balances) or closing a month
    (month_end)."""
    return [m for m in features.modules(features.DEMOS, "demo") if hasattr(m, part)]


def _with_registers(session: Session, village: Village, index: int, start_ym: int, actor,
                    balances: dict[str, tuple[Decimal, Decimal]]) -> dict[str, tuple[Decimal, Decimal]]:
    """A village's opening balances with what its registers bring in at the start (the asset cards)."""
    out = dict(balances)
    for module in _demo_hooks("opening_balances"):
        for code, (debit, credit) in module.opening_balances(session, village, index, start_ym, actor).items():
            d0, c0 = out.get(code, (ZERO, ZERO))
            out[code] = (d0 + debit, c0 + credit)
    return out


def _month_end(session: Session, village: Village, ym: int, actor) -> None:
    """What the registers do before a month is closed (the depreciation run)."""
    for module in _demo_hooks("month_end"):
        module.month_end(session, village, ym, actor)


# The 2023-12-31 trial balance of the switched demo village under the 2004 chart (codes and names as its old
# books had them; sub-accounts named as the village's 2023 chart names them, so they map onto them).
TB_2004 = [("101", "现金"), ("102", "银行存款"), ("10201", "农商银行基本户"), ("10202", "邮储银行专户"),
           ("112", "应收款"), ("11201", "张三"), ("151", "固定资产"), ("152", "累计折旧"), ("301", "资本"),
           ("322", "收益分配")]


def _switch_from_2004(session: Session, village: Village, year: int, balances, actor) -> None:
    """Switch a village from the 2004 chart with the township's default mapping, then close 2024 to the year
    before the demo's (nothing was booked in between: the demo's books are one year)."""
    from threeassets.closing.service import close_period
    from threeassets.closing.yearend import close_year
    from threeassets.core.csvio import csv_text, read_table
    from threeassets.switchover.rules import TB_COLUMNS
    from threeassets.switchover.service import switch_over
    amounts = {**balances, "102": (balances["10201"][0] + balances["10202"][0], ZERO),
               "112": balances["11201"], "101": (ZERO, ZERO)}
    text = csv_text(TB_COLUMNS, [[code, name, amounts[code][0] or "", amounts[code][1] or ""]
                                 for code, name in TB_2004])
    table = read_table(text.encode("utf-8"), "2023年末科目余额表.csv", TB_COLUMNS)
    switch_over(session, village=village, table=table, actor=actor)
    from threeassets.ledger.openings.service import add_adjustment
    add_adjustment(session, village=village, kind="liability", debit_code="322", credit_code="21101",
                   amount=Decimal("12000.00"), reason="清产核资发现2023年村道维修尾款未入账，经村民代表会议确认补记",
                   actor=actor)
    for y in range(2024, year):
        for month in range(1, 12):
            _month_end(session, village, y * 100 + month, actor)
            close_period(session, village, y * 100 + month, actor)
        _month_end(session, village, y * 100 + 12, actor)
        close_year(session, village, y, actor)


def _pending(session: Session, village: Village, preparer, today: date) -> None:
    """A few drafts and reviewed vouchers this month, so reviewers and posters have work to do."""
    lines = [LineInput("购买打印纸和墨盒", "51301", debit=Decimal("356.00")),
             LineInput("购买打印纸和墨盒", "101", credit=Decimal("356.00"))]
    ledger.save_draft(session, village=village, actor=preparer, voucher_date=today, attachments=2, lines=lines)
    lines = [LineInput("收到李四土地承包费", "10201", debit=Decimal("12500.00")),
             LineInput("收到李四土地承包费", "50101", credit=Decimal("12500.00"))]
    ledger.save_draft(session, village=village, actor=preparer, voucher_date=today, attachments=1, lines=lines)


def load_demo(session: Session, year: int | None = None) -> list[tuple[str, str, str]]:
    """Create everything the demo needs in the caller's transaction; returns the logins. Refuses (DemoRefused)
    a database with other books; raises DemoExists when the demo is there already."""
    refusal = foreign_books(session)
    if refusal:
        raise DemoRefused(refusal)
    if session.scalar(select(Township.id).where(Township.code == TOWNSHIP[0])):
        raise DemoExists(logins())
    today = date.today()
    year = year or today.year
    last_month = today.month if year == today.year else 12
    township = upsert_township(session, *TOWNSHIP)
    villages = [upsert_village(session, township, c, n, cc) for c, n, cc in VILLAGES]
    second = upsert_township(session, *TOWNSHIP2)
    villages2 = [upsert_village(session, second, c, n, cc) for c, n, cc in VILLAGES2]
    for v in villages + villages2:
        by_code = {}
        for parent_code, suffix, name in SUBS:
            parent = by_code.get(parent_code) or session.scalar(
                select(Account).where(Account.village_id == v.id, Account.code == parent_code))
            add_sub_account(session, village_id=v.id, parent=parent, suffix=suffix, name=name, actor=None)
    users = {}
    for username, name, role, scope in USERS:
        users[username] = create_user(session, actor=None, username=username, display_name=name, password=PASSWORD,
                                      role=role, township_id=township.id if scope == "T" else None,
                                      village_id=_village_of(villages, scope))
    rnd = random.Random(2024)
    first_month = _openings(session, villages, year, last_month, rnd, users["kuaiji"])
    import_vouchers(session, _journal(villages, year, last_month, rnd, first_month, today), post=True,
                    actor=users["kuaiji"])
    _close_past_months(session, villages, year, today, users["kuaiji"], first_month)
    _second_township(session, villages2, year, today, rnd, users["kuaiji"])
    _close_dates(session, villages, villages2)
    refresh_statistics(session, BOOK_TABLES)  # a year of books in this transaction: plan what reads them next
    _budgets(session, villages, year, users["kuaiji"])
    if year == today.year:
        for v in villages:
            _pending(session, v, users["kuaiji"], today - timedelta(days=0))
        for module in features.modules(features.DEMOS, "demo"):  # registers, hall, notices: in the open month
            module.load(session, township, villages, users, today)
    return logins()


def _second_township(session: Session, villages: list[Village], year: int, today: date, rnd: random.Random,
                     actor) -> None:
    """青山镇: its villages open in January with their asset cards, a year of books; the months before the last
    complete one are closed (the last one only in the first village)."""
    from threeassets.closing.service import close_period
    from threeassets.closing.yearend import close_year
    from threeassets.ledger.openings.rules import OpeningFigures
    from threeassets.ledger.openings.service import OpeningRow, save_openings
    last_month = today.month if year == today.year else 12
    for i, v in enumerate(villages):
        balances = _year_openings(rnd)
        cash = Decimal(20000)  # a till to pay the journal's cash expenses from
        balances["101"], balances["322"] = (cash, ZERO), (ZERO, balances["322"][1] + cash)
        opening = _with_registers(session, v, i + 1, year * 100 + 1, actor, balances)
        save_openings(session, village=v, start_ym=year * 100 + 1, actor=actor, rows=[
            OpeningRow(code, OpeningFigures(year_debit=d, year_credit=c)) for code, (d, c) in opening.items()])
    import_vouchers(session, _journal(villages, year, last_month, rnd, {}, today), post=True, actor=actor)
    last = 12 if year < today.year else today.month - 1
    for i, v in enumerate(villages):
        for month in range(1, last + (1 if i == 0 else 0)):
            _month_end(session, v, year * 100 + month, actor)
            if month == 12:
                close_year(session, v, year, actor)
            else:
                close_period(session, v, year * 100 + month, actor)


def _close_dates(session: Session, villages: list[Village], villages2: list[Village]) -> None:
    """The demo closes a year of months at once; date each close as an agency would have done it: 示范镇 on the
    5th of the next month (on time), 青山镇 on the 5th in the first half of the year and on the 15th after
    (late: the county's view counts them)."""
    from datetime import datetime

    from threeassets.core.periods import next_ym
    from threeassets.ledger.models import Period
    late = {v.id for v in villages2}
    for p in session.scalars(select(Period).where(Period.village_id.in_([v.id for v in villages + villages2]),
                                                  Period.status == "closed")):
        after = next_ym(p.ym)
        day = 15 if p.village_id in late and p.ym % 100 > 6 else 5
        p.closed_at = datetime(after // 100, after % 100, day, 17, 30)
    session.flush()


# The demo year's 财务计划 per village (yuan), near what the demo journal produces in a year (each template
# about twelve times a year at its mean amount), so budget-vs-actual reads like a real year.
BUDGET = [("50101", 500000, "土地发包"), ("50102", 200000, "厂房出租"), ("503", 1000000, "上级补助"),
          ("51301", 10000, "办公费"), ("51302", 12000, "差旅费"), ("51303", 140000, "村干部报酬"),
          ("514", 330000, "村道维修、保洁"), ("515", 6000, "")]


def _budgets(session: Session, villages: list[Village], year: int, actor) -> None:
    """Each demo village's budget for the year, so budget-vs-actual and the notices' 财务计划 have figures."""
    from threeassets.budgets.rules import Entry
    from threeassets.budgets.service import set_budgets
    for i, v in enumerate(villages):
        scale = Decimal((100, 95, 105)[i % 3]) / 100
        entries = [Entry(code, (Decimal(amount) * scale).quantize(Decimal("1")), note) for code, amount, note in BUDGET]
        set_budgets(session, village=v, year=year, entries=entries, actor=actor)


def _close_past_months(session: Session, villages: list[Village], year: int, today: date, actor,
                       first_month: dict[int, int]) -> None:
    """Close every complete month of the demo year from the village's first before the current one (December by
    the year close)."""
    from threeassets.closing.service import close_period
    from threeassets.closing.yearend import close_year
    last = 12 if year < today.year else today.month - 1
    for v in villages:
        for month in range(first_month.get(v.id, 1), last + 1):
            _month_end(session, v, year * 100 + month, actor)
            if month == 12:
                close_year(session, v, year, actor)
            else:
                close_period(session, v, year * 100 + month, actor)
