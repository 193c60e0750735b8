"""Pure dashboard rules: which first-level accounts feed which figure, the 12-month window, and folding
aggregated turnover rows into a village's figures and monthly trends. No database here."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from threeassets.core.periods import add_months

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
    """Summed posted amounts of a village under one key in one bucket.

    key is 'income' or 'expense' (all accounts of that category) or the code of a first-level account the
    dashboard reads; leaf is the sub-account id for 内部往来 (whose sub-accounts count by their own side), else 0;
    bucket is a month of the window, or 0 for everything before it (always 0 for receivables and payables), or
    a month of the window negated: before the village came onto the system (its opening figures as turnover).
    """

    village_id: int
    key: str
    leaf: int
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


def window(end: int, size: int = WINDOW) -> list[int]:
    """The `size` months ending with `end`, oldest first."""
    return [add_months(end, i - size + 1) for i in range(size)]


def month_labels(months: list[int]) -> list[str]:
    """1月…12月; the first month and every January carry their year (2025) on a second line."""
    return [f"{ym % 100}月" + (f"\n{ym // 100}" if i == 0 or ym % 100 == 1 else "") for i, ym in enumerate(months)]


def _flow(f: Figures, m: Movement, end: int, income: dict, expense: dict) -> None:
    """Add an income or expense movement of a window month to the trend and the month / year figures. A negative
    bucket is a month before the village came onto the system (its opening figures): the year's figures count it,
    the trend does not show it as that month's."""
    month = -m.bucket if m.bucket < 0 else m.bucket
    if month not in income:
        return
    this_month, this_year = m.bucket == end, month // 100 == end // 100
    trend = income if m.key == INCOME else expense
    amount = m.credit - m.debit if m.key == INCOME else m.debit - m.credit
    if m.bucket > 0:
        trend[m.bucket] += amount
    if m.key == INCOME:
        f.income_month += amount if this_month else ZERO
        f.income_ytd += amount if this_year else ZERO
    else:
        f.expense_month += amount if this_month else ZERO
        f.expense_ytd += amount if this_year else ZERO


def _internal(figures: dict[int, Figures], nets: dict[tuple[int, int], Decimal]) -> None:
    """内部往来 sub-accounts: a debit balance is owed to the village, a credit balance is owed by it."""
    for (vid, _leaf), net in nets.items():
        if net > 0:
            figures[vid].receivables += net
        else:
            figures[vid].payables -= net


def fold(moves: list[Movement], village_ids: list[int], end: int) -> tuple[dict[int, Figures], Trend]:
    """Figures per village and the summed trend over the window ending at `end` from aggregated rows."""
    months = window(end)
    figures = {vid: Figures() for vid in village_ids}
    income, expense, cash_move = (dict.fromkeys(months, ZERO) for _ in range(3))
    opening, internal = ZERO, defaultdict(lambda: ZERO)
    for m in moves:
        f, net = figures[m.village_id], m.debit - m.credit
        if m.key in (INCOME, EXPENSE):
            _flow(f, m, end, income, expense)
        elif m.key in (CASH, BANK):
            f.cash += net if m.key == CASH else ZERO
            f.bank += net if m.key == BANK else ZERO
            if m.bucket in cash_move:
                cash_move[m.bucket] += net
            else:
                opening += net
        elif m.key in RECEIVABLE:
            f.receivables += net
        elif m.key in PAYABLE:
            f.payables -= net
        elif m.key == INTERNAL:
            internal[(m.village_id, m.leaf)] += net
    _internal(figures, internal)
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
