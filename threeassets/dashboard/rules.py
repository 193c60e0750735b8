"""Pure dashboard rules: which first-level accounts feed which figure, the 12-month window, and folding
aggregated turnover rows into a village's figures and monthly trends. No database here."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)
CASH, BANK = "101", "102"
RECEIVABLE = ("112",)  # 应收款: its balance as is
INTERNAL = "113"  # 内部往来: debit-balance sub-accounts are receivables, credit-balance ones payables
PAYABLE = ("211", "212", "213")  # 应付款, 应付工资, 应付劳务费: their credit balance
BALANCE_CODES = (CASH, BANK, *RECEIVABLE, INTERNAL, *PAYABLE)
INCOME, EXPENSE = "income", "expense"  # categories of the chart (5xx 收入 / 支出 accounts)
WINDOW = 12


@dataclass(frozen=True)
class Movement:
    """Posted turnover of one leaf account of a village in one bucket (a month, or 0 = before the window)."""

    village_id: int
    account_id: int
    root_code: str
    category: str
    bucket: int
    debit: Decimal
    credit: Decimal


@dataclass
class Figures:
    """What a dashboard shows for one village (or a township's sum of villages), in yuan."""

    cash: Decimal = ZERO
    bank: Decimal = ZERO
    income_month: Decimal = ZERO
    expense_month: Decimal = ZERO
    income_ytd: Decimal = ZERO
    expense_ytd: Decimal = ZERO
    receivables: Decimal = ZERO
    payables: Decimal = ZERO
    drafts: int = 0
    reviewed: int = 0

    @property
    def cash_bank(self) -> Decimal:
        """库存现金 + 银行存款."""
        return self.cash + self.bank

    @property
    def net_month(self) -> Decimal:
        """Income less expense of the month."""
        return self.income_month - self.expense_month

    @property
    def net_ytd(self) -> Decimal:
        """Income less expense of the year to date."""
        return self.income_ytd - self.expense_ytd

    def add(self, other: Figures) -> None:
        """Add another village's figures into this one."""
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Trend:
    """Monthly income, expense and month-end cash+bank over the window's months."""

    months: list[int]
    income: list[Decimal] = field(default_factory=list)
    expense: list[Decimal] = field(default_factory=list)
    cash_bank: list[Decimal] = field(default_factory=list)


def add_months(ym: int, n: int) -> int:
    """202405 plus n months (n may be negative)."""
    index = ym // 100 * 12 + ym % 100 - 1 + n
    return index // 12 * 100 + index % 12 + 1


def window(end: int, size: int = WINDOW) -> list[int]:
    """The `size` months ending with `end`, oldest first."""
    return [add_months(end, i - size + 1) for i in range(size)]


def month_labels(months: list[int]) -> list[str]:
    """1月…12月; the first month and every January carry their year (2025) on a second line."""
    return [f"{ym % 100}月" + (f"\n{ym // 100}" if i == 0 or ym % 100 == 1 else "") for i, ym in enumerate(months)]


def _balances(moves: list[Movement]) -> dict[tuple[int, int], Decimal]:
    """Net debit balance per (village, leaf account) at the window's end."""
    out: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for m in moves:
        out[(m.village_id, m.account_id)] += m.debit - m.credit
    return out


def _balance_figures(moves: list[Movement], figures: dict[int, Figures]) -> None:
    """Cash, bank, receivables and payables from the leaf balances (内部往来 by each sub-account's side)."""
    roots = {(m.village_id, m.account_id): m.root_code for m in moves}
    for (vid, aid), net in _balances(moves).items():
        f, code = figures[vid], roots[(vid, aid)]
        if code == CASH:
            f.cash += net
        elif code == BANK:
            f.bank += net
        elif code in RECEIVABLE:
            f.receivables += net
        elif code in PAYABLE:
            f.payables -= net
        elif code == INTERNAL:
            if net > 0:
                f.receivables += net
            else:
                f.payables -= net


def fold(moves: list[Movement], village_ids: list[int], end: int) -> tuple[dict[int, Figures], Trend]:
    """Figures per village and the summed trend over the window ending at `end` from aggregated rows."""
    months = window(end)
    figures = {vid: Figures() for vid in village_ids}
    income, expense, cash_move = (dict.fromkeys(months, ZERO) for _ in range(3))
    opening = ZERO
    _balance_figures(moves, figures)
    for m in moves:
        f, in_year = figures[m.village_id], m.bucket // 100 == end // 100
        if m.category == INCOME and m.bucket:
            amount = m.credit - m.debit
            income[m.bucket] += amount
            f.income_month += amount if m.bucket == end else ZERO
            f.income_ytd += amount if in_year else ZERO
        elif m.category == EXPENSE and m.bucket:
            amount = m.debit - m.credit
            expense[m.bucket] += amount
            f.expense_month += amount if m.bucket == end else ZERO
            f.expense_ytd += amount if in_year else ZERO
        elif m.root_code in (CASH, BANK):
            if m.bucket:
                cash_move[m.bucket] += m.debit - m.credit
            else:
                opening += m.debit - m.credit
    trend = Trend(months, [income[ym] for ym in months], [expense[ym] for ym in months])
    for ym in months:
        opening += cash_move[ym]
        trend.cash_bank.append(opening)
    return figures, trend


def total(figures: dict[int, Figures]) -> Figures:
    """The sum of several villages' figures."""
    out = Figures()
    for f in figures.values():
        out.add(f)
    return out
