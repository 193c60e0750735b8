"""Statements and books laid out as printed tables (Chinese headers, amount cells), shared by the page, XLSX and
PDF renderers. Pure functions of the service's data."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from threeassets.core.periods import month_end, ym_label
from threeassets.statements import layouts
from threeassets.statements.books import IncomeExpenseDetail, Journal, LedgerAccount
from threeassets.statements.notes import DEPRECIATION_LABEL
from threeassets.statements.rules import BookRow
from threeassets.statements.service import Statement

Cell = str | Decimal | None


@dataclass
class Table:
    """A printable table: header rows, body rows of cells, which columns hold amounts, which rows are bold."""

    title: str
    org: str
    period: str
    form_no: str
    head: list[list[str]]
    rows: list[list[Cell]]
    widths: list[int]  # millimetres on paper, proportions on screen
    amount_cols: frozenset[int]
    landscape: bool = False
    bold: set[int] = field(default_factory=set)
    bold_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column) where only part of a row is
    shaded: set[int] = field(default_factory=set)
    sections: set[int] = field(default_factory=set)  # rows printed as one cell across the table
    voucher_ids: dict[int, int] = field(default_factory=dict)  # row → voucher shown in it (linked on the page)
    signatures: bool = False
    wrap_cols: frozenset[int] = frozenset()  # text columns that wrap in print (long sentences)

    def add(self, cells: list[Cell], bold: bool = False, shaded: bool = False) -> None:
        """Append a body row."""
        if bold:
            self.bold.add(len(self.rows))
        if shaded:
            self.shaded.add(len(self.rows))
        self.rows.append(cells)

    def column_classes(self) -> list[str]:
        """Each body column's class on the screen, worked out once per table rather than per cell: amounts right
        aligned, short codes (行次, 借或贷, dates, voucher numbers) centred."""
        centred = ("行次", "借或贷", "期间", "日期", "凭证号")
        return ["text-end amount" if c in self.amount_cols else "text-center" if h in centred else ""
                for c, h in enumerate(self.head[-1])]

    def section(self, text: str) -> None:
        """Append a heading row spanning the table."""
        self.sections.add(len(self.rows))
        self.add([text] + [None] * (len(self.head[-1]) - 1), shaded=True)


def month_end_label(ym: int) -> str:
    """202412 → 2024年12月31日 (the date a balance sheet is drawn up at)."""
    end = month_end(ym)
    return f"{end.year}年{end.month}月{end.day}日"


def month_label(ym: int) -> str:
    """202412 → 2024年12月."""
    return f"{ym // 100}年{ym % 100}月"


def _label(ln, indent: str = "") -> str:
    """Printed name of a statement line: its prefix and item (or an indent where the form has no prefix)."""
    return f"{ln.prefix or indent}{ln.item}"


def balance_sheet_table(st: Statement) -> Table:
    """资产负债表 in the two-sided paper layout: assets left, liabilities and equity right."""
    left = [ln for ln in st.lines if ln.row_no is None and ln.item in ("流动资产", "非流动资产")
            or ln.row_no is not None and ln.row_no < layouts.BALANCE_SHEET_RIGHT_FROM]
    on_left = {id(ln) for ln in left}  # by identity: comparing the lines field by field cost ~800 compares a page
    right = [ln for ln in st.lines if id(ln) not in on_left]
    t = Table(st.title, st.org_name, month_end_label(st.ym), f"会农01表（格式 {layouts.FORM_VERSION}）",
              [["资产", "行次", "年初数", "期末数", "负债和所有者权益", "行次", "年初数", "期末数"]], [],
              [52, 11, 30, 30, 52, 11, 30, 30], frozenset({2, 3, 6, 7}), landscape=True, signatures=True)
    for i in range(max(len(left), len(right))):
        cells: list[Cell] = []
        for side in (left, right):
            ln = side[i] if i < len(side) else None
            if ln is None:
                cells += ["", "", None, None]
            elif ln.values is None:
                cells += [f"{ln.item}：", "", None, None]
            else:
                if ln.is_total:
                    t.bold_cells.update((len(t.rows), len(cells) + c) for c in range(4))
                cells += [_label(ln), str(ln.row_no), *ln.values]
        t.add(cells)
    return t


def income_statement_table(st: Statement) -> Table:
    """收益及收益分配表: 项目 | 行次 | 本月数 | 本年累计数, the distribution half under its own heading."""
    t = Table(st.title, st.org_name, month_label(st.ym), f"会农02表（格式 {layouts.FORM_VERSION}）",
              [["项目", "行次", *st.columns]], [],
              [90, 14, 38, 38], frozenset({2, 3}), signatures=True)
    for ln in st.lines:
        if ln.row_no == layouts.DISTRIBUTION_FROM:
            t.section("收益分配")
        t.add([_label(ln, "　　"), str(ln.row_no), *ln.values], bold=ln.is_total)
    return t


def _book_cells(r: BookRow, first: list[Cell]) -> list[Cell]:
    """Amount, side and balance cells of a book line after its leading cells."""
    return [*first, r.summary, r.debit if r.kind != "opening" else None, r.credit if r.kind != "opening" else None,
            r.side, abs(r.balance)]


def general_ledger_table(accounts: list[LedgerAccount], org: str, ym: int) -> Table:
    """总账: per account a heading, 上年结转, then 本月合计 and 本年累计 per month."""
    t = Table("总账", org, f"{ym // 100}年1月至{ym % 100}月", "",
              [["期间", "摘要", "借方", "贷方", "借或贷", "余额"]], [],
              [24, 34, 38, 38, 16, 38], frozenset({2, 3, 5}))
    for acct in accounts:
        t.section(f"{acct.code} {acct.name}")
        t.add(_book_cells(acct.opening_row, [""]))
        if acct.carried is not None:
            t.add(_book_cells(acct.carried, [ym_label(acct.carried_ym)]))
        for m, month_row, year_row in acct.months:
            t.add(_book_cells(month_row, [ym_label(m)]))
            t.add(_book_cells(year_row, [ym_label(m)]), bold=True)
    return t


def journal_table(j: Journal, org: str) -> Table:
    """日记账 / 明细账: 日期 | 凭证号 | 摘要 | 借方 | 贷方 | 借或贷 | 余额 with the totals lines in bold."""
    period = month_label(j.start) if j.start == j.end else f"{month_label(j.start)}至{month_label(j.end)}"
    t = Table(j.title, org, f"{j.code} {j.name}　{period}", "",
              [["日期", "凭证号", "摘要", "借方", "贷方", "借或贷", "余额"]], [],
              [24, 22, 92, 36, 36, 14, 36], frozenset({3, 4, 6}), landscape=True)
    for r in j.rows:
        day = r.day.isoformat() if r.day else ""
        if r.voucher_id:
            t.voucher_ids[len(t.rows)] = r.voucher_id
        t.add(_book_cells(r, [day, r.label]), bold=r.kind in ("month", "year"), shaded=r.kind == "day")
    return t


def income_expense_table(d: IncomeExpenseDetail, org: str) -> Table:
    """收支明细表: 科目编码 | 科目名称 | 本月数 | 本年累计数 with 收入合计, 支出合计 and 收支差额."""
    t = Table("收支明细表", org, month_label(d.ym), "", [["科目编码", "科目名称", "本月数", "本年累计数"]], [],
              [26, 76, 38, 38], frozenset({2, 3}))
    totals = d.totals
    for title, rows, total in (("收入", d.income, "收入合计"), ("支出", d.expense, "支出合计")):
        t.section(title)
        for r in rows:
            t.add([r.code, "　" * (r.level - 1) + r.name, r.current, r.year_to_date])
        t.add(["", total, *totals[total]], bold=True)
    t.add(["", "收支差额", *totals["收支差额"]], bold=True)
    return t


NOTES_TITLE = "会计报表附注"


def _none_row(t: Table) -> None:
    """The row a list without entries prints."""
    t.add(["无"] + [None] * (len(t.head[-1]) - 1))


def _detail_table(title: str, head: list[str], lines, org: str, period: str, total: str = "",
                  minus: str | None = None) -> Table:
    """A 年初数/期末数 list (counterparties, categories) with its total (lines of the `minus` account subtract)."""
    t = Table(title, org, period, "", [head], [], [40, 92, 34, 34], frozenset({2, 3}))
    sums = [Decimal(0), Decimal(0)]
    for ln in lines:
        t.add([ln.account, ln.detail, ln.opening, ln.closing])
        sign = -1 if ln.account == minus else 1
        sums = [sums[0] + sign * ln.opening, sums[1] + sign * ln.closing]
    if not lines:
        _none_row(t)
    t.add(["合计", total, *sums], bold=True)
    return t


def _assets_table(n, org: str, period: str) -> Table:
    """Fixed assets by card category (原值, 累计折旧, 净值) and 151–154 as booked, with 固定资产小计."""
    t = Table("四、固定资产", org, period, "", [["项目", "年初数", "本年增加", "本年减少", "期末数"]], [],
              [62, 30, 30, 30, 30], frozenset({1, 2, 3, 4}))
    for heading, attr in (("原值（按资产卡片类别）", "cost"), ("累计折旧", "depreciation")):
        t.section(heading)
        for m in n.assets:
            t.add([f"　{m.category}", *getattr(m, attr)])
        t.add(["合计", *(sum((getattr(m, attr)[i] for m in n.assets), Decimal(0)) for i in range(4))], bold=True)
    t.section("净值")
    for m in n.assets:
        t.add([f"　{m.category}", m.net[0], None, None, m.net[1]])
    t.add(["合计", sum((m.net[0] for m in n.assets), Decimal(0)), None, None,
           sum((m.net[1] for m in n.assets), Decimal(0))], bold=True)
    t.section("账面数（资产负债表）")
    for ln in n.books.values():
        t.add([f"　{ln.account}", ln.opening, None, None, ln.closing])
    books = n.books
    subtotal = [books["151"].opening - books["152"].opening + books["153"].opening + books["154"].opening,
                books["151"].closing - books["152"].closing + books["153"].closing + books["154"].closing]
    t.add(["固定资产小计", subtotal[0], None, None, subtotal[1]], bold=True)
    cards = [sum((getattr(m, attr)[i] for m in n.assets), Decimal(0)) for attr in ("cost", "depreciation")
             for i in (0, 3)]
    gaps = [books["151"].opening - cards[0], books["151"].closing - cards[1],
            books["152"].opening - cards[2], books["152"].closing - cards[3]]
    if any(gaps):  # the reader is sent to 资产对账 rather than left to subtract
        t.section("账面与卡片不符（账面 − 卡片），请在资产对账中核对")
        t.add(["　原值差额", gaps[0], None, None, gaps[1]])
        t.add(["　累计折旧差额", gaps[2], None, None, gaps[3]])
    return t


def notes_tables(n) -> list[Table]:
    """会计报表附注 as printed tables: policies, receivables and payables by counterparty, fixed and biological
    assets by category, losses not yet dealt with, the profit distribution."""
    period = month_end_label(n.ym)
    policies = Table("一、会计政策", n.org, period, "", [["事项", "说明"]], [], [30, 170], frozenset(),
                     wrap_cols=frozenset({1}))
    for head, text in n.policies:
        policies.add([head, text])
    pair = ["年初数", "期末数"]
    distribution = Table("七、收益分配", n.org, month_label(n.ym), "", [["项目", "本年累计数"]], [], [120, 60],
                         frozenset({1}))
    for item, value in n.distribution:
        distribution.add([item, value], bold=item.startswith(("四、", "五、", "六、")))
    return [
        policies,
        _detail_table("二、应收款项（按单位或个人）", ["科目", "单位或个人", *pair], n.receivables, n.org, period,
                      "即资产负债表“应收款项”"),
        _detail_table("三、应付款项（按单位或个人）", ["科目", "单位或个人", *pair], n.payables, n.org, period,
                      "即资产负债表“应付款项”"),
        _assets_table(n, n.org, period),
        _detail_table("五、生物资产（按类别）", ["项目", "类别", *pair], n.biological, n.org, period,
                      "消耗性 + 生产性净值 + 公益性", minus=DEPRECIATION_LABEL),
        _detail_table("六、尚未处理的财产损失（待处理财产损溢）", ["科目", "明细", *pair], n.losses, n.org, period),
        distribution,
    ]
