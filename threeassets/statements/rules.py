"""Pure rules of the statements and books: formula parsing, layout evaluation, running-balance books.

No database here: the service hands in balances and movements, these functions do the arithmetic.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

ZERO = Decimal("0")
TERM_RE = re.compile(r"^(R\d+|PL(@open)?|DIST:[a-z_]+|\d+(:[DC]|@open)?)$")


class LayoutError(ValueError):
    """A layout line's formula cannot be read or refers to a missing line."""


@dataclass(frozen=True)
class Term:
    """One signed term of a formula: an account, a leaf split, all of P&L, a distribution kind or a row."""

    sign: int
    kind: str  # acct | split | pl | dist | row
    arg: str = ""
    opening: bool = False


@dataclass(frozen=True)
class Line:
    """A parsed layout line."""

    row_no: int | None
    item: str
    prefix: str
    side: str
    terms: tuple[Term, ...]


@dataclass
class Column:
    """What one amount column is computed from (all amounts Decimal yuan, net debit unless said otherwise)."""

    amounts: Mapping[str, Decimal]  # code → balance at the column's date, or movement within it
    split: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)  # (code, D|C) → positive sum
    opening: Mapping[str, Decimal] = field(default_factory=dict)  # code → balance at the column's start
    dist: Mapping[str, Decimal] = field(default_factory=dict)  # distribution kind → amount


def _term(sign: int, text: str) -> Term:
    """Read one unsigned term of a formula."""
    if not TERM_RE.match(text):
        raise LayoutError(f"cannot read formula term {text!r}")
    if text.startswith("R"):
        return Term(sign, "row", text[1:])
    if text.startswith("DIST:"):
        return Term(sign, "dist", text[5:])
    if text.startswith("PL"):
        return Term(sign, "pl", opening=text.endswith("@open"))
    if ":" in text:
        code, part = text.split(":")
        return Term(sign, "split", f"{code}:{part}")
    return Term(sign, "acct", text.removesuffix("@open"), opening=text.endswith("@open"))


def parse_formula(formula: str) -> tuple[Term, ...]:
    """Split '112 + 113:D - R3' into signed terms; an empty formula has none."""
    terms, sign, need_operator = [], 1, False
    tokens = re.findall(r"[+-]|[^\s+-]+", formula)
    for tok in tokens:
        if tok in ("+", "-"):
            sign, need_operator = (-sign if tok == "-" else sign), False
            continue
        if need_operator:
            raise LayoutError(f"missing + or - before {tok!r} in {formula!r}")
        terms.append(_term(sign, tok))
        sign, need_operator = 1, True
    if tokens and not need_operator:
        raise LayoutError(f"formula {formula!r} ends with an operator")
    return tuple(terms)


def parse_layout(raw: Iterable[tuple]) -> tuple[Line, ...]:
    """Parse a layout's lines and check that row numbers are unique and every R-reference exists."""
    lines = tuple(Line(no, item, prefix, side, parse_formula(formula)) for no, item, prefix, side, formula in raw)
    numbers = [ln.row_no for ln in lines if ln.row_no is not None]
    if len(numbers) != len(set(numbers)):
        raise LayoutError("duplicate row numbers")
    for ln in lines:
        for t in ln.terms:
            if t.kind == "row" and int(t.arg) not in numbers:
                raise LayoutError(f"line {ln.row_no} refers to missing row {t.arg}")
        if ln.side not in ("D", "C"):
            raise LayoutError(f"line {ln.row_no} has side {ln.side!r}")
    return lines


def _account_value(t: Term, side: str, col: Column, pl_codes: tuple[str, ...]) -> Decimal:
    """An account (or all P&L accounts) read on the line's side."""
    source = col.opening if t.opening else col.amounts
    codes = pl_codes if t.kind == "pl" else (t.arg,)
    net = sum((source.get(c, ZERO) for c in codes), ZERO)
    return net if side == "D" else -net


def evaluate(lines: tuple[Line, ...], col: Column, pl_codes: tuple[str, ...]) -> dict[int, Decimal]:
    """Amount of every numbered line for one column; rows may refer to rows before or after them."""
    by_no = {ln.row_no: ln for ln in lines if ln.row_no is not None}
    out: dict[int, Decimal] = {}
    busy: set[int] = set()

    def value(no: int) -> Decimal:
        if no in out:
            return out[no]
        if no in busy:
            raise LayoutError(f"row {no} refers to itself")
        busy.add(no)
        ln, total = by_no[no], ZERO
        for t in ln.terms:
            if t.kind in ("acct", "pl"):
                v = _account_value(t, ln.side, col, pl_codes)
            elif t.kind == "split":
                code, part = t.arg.split(":")
                v = col.split.get((code, part), ZERO)
            elif t.kind == "dist":
                v = col.dist.get(t.arg, ZERO)
            else:
                v = value(int(t.arg))
            total += t.sign * v
        out[no] = total if total else ZERO  # no "-0" on paper
        return out[no]

    for no in by_no:
        value(no)
    return out


def accounts_of(lines: tuple[Line, ...], pl_codes: tuple[str, ...]) -> list[str]:
    """Every account reference of a layout (PL expanded, splits as 'code:D'), in order, repeats kept."""
    refs = []
    for ln in lines:
        for t in ln.terms:
            if t.kind == "pl":
                refs.extend(pl_codes)
            elif t.kind in ("acct", "split"):
                refs.append(t.arg)
    return refs


def classify_distribution(name: str, kinds: list[tuple[str, tuple[str, ...]]]) -> str:
    """Kind of a 322 leaf by words in its name: the first matching kind, else 'other'."""
    for kind, words in kinds:
        if any(w in name for w in words):
            return kind
    return "other"


def direction(net: Decimal) -> str:
    """借 / 贷 / 平 of a net debit balance, as ledgers print it beside the amount."""
    return "借" if net > 0 else ("贷" if net < 0 else "平")


@dataclass
class BookRow:
    """A printed line of a ledger or journal: an entry, or a 本日合计/本月合计/本年累计/期初 line."""

    kind: str  # opening | entry | day | month | year
    day: date | None
    summary: str
    debit: Decimal
    credit: Decimal
    balance: Decimal  # net debit after this line
    label: str = ""  # voucher number of an entry
    voucher_id: int | None = None

    @property
    def side(self) -> str:
        """借 / 贷 / 平 of the balance."""
        return direction(self.balance)


def _totals(kind: str, day, summary: str, rows: list, balance: Decimal) -> BookRow:
    """A totals line over some entries."""
    return BookRow(kind, day, summary, sum((r.debit for r in rows), ZERO), sum((r.credit for r in rows), ZERO),
                   balance)


def book_rows(opening: Decimal, opening_day: date, entries: list, ytd_before: tuple[Decimal, Decimal],
              daily: bool = False) -> list[BookRow]:
    """期初余额, the entries, optional 本日合计, then 本月合计 and 本年累计 after each month with entries.

    entries are ledger entries in date order with .date .label .summary .debit .credit .balance .voucher_id;
    ytd_before is the (debit, credit) of the same year before the first entry's month.
    """
    rows = [BookRow("opening", opening_day, "上年结转" if opening_day.month == 1 else "期初余额", ZERO, ZERO,
                    opening)]
    ytd_d, ytd_c = ytd_before
    year = opening_day.year
    for (y, _m), month_entries in _group(entries, lambda e: (e.date.year, e.date.month)):
        if y != year:
            year, ytd_d, ytd_c = y, ZERO, ZERO
        for day, day_entries in _group(month_entries, lambda e: e.date):
            rows.extend(BookRow("entry", e.date, e.summary, e.debit, e.credit, e.balance, e.label, e.voucher_id)
                        for e in day_entries)
            if daily:
                rows.append(_totals("day", day, "本日合计", day_entries, day_entries[-1].balance))
        month_total = _totals("month", month_entries[-1].date, "本月合计", month_entries, month_entries[-1].balance)
        ytd_d, ytd_c = ytd_d + month_total.debit, ytd_c + month_total.credit
        rows.append(month_total)
        rows.append(BookRow("year", month_total.day, "本年累计", ytd_d, ytd_c, month_total.balance))
    return rows


def _group(items: list, key) -> list[tuple[object, list]]:
    """Consecutive runs of items with the same key (items are already in order)."""
    out: list[tuple[object, list]] = []
    for it in items:
        k = key(it)
        if out and out[-1][0] == k:
            out[-1][1].append(it)
        else:
            out.append((k, [it]))
    return out


def ledger_months(opening: Decimal, moves: list[tuple[int, Decimal, Decimal]],
                  ytd_before: tuple[Decimal, Decimal] = (ZERO, ZERO)) -> list[tuple[int, BookRow, BookRow]]:
    """总账 lines of one account: per month (ym, 本月合计, 本年累计) from (ym, debit, credit) in order; ytd_before
    is the year's turnover before the first month (a village that came onto the system mid-year)."""
    out, balance, (ytd_d, ytd_c) = [], opening, ytd_before
    for ym, debit, credit in moves:
        if out and ym // 100 != out[-1][0] // 100:
            ytd_d = ytd_c = ZERO
        balance += debit - credit
        ytd_d, ytd_c = ytd_d + debit, ytd_c + credit
        out.append((ym, BookRow("month", None, "本月合计", debit, credit, balance),
                    BookRow("year", None, "本年累计", ytd_d, ytd_c, balance)))
    return out
