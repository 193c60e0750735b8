"""资产负债表 and 收益及收益分配表 from posted books, per village or consolidated over a township's villages.

Balances and movements come from reports.service.trial_balance (monthly turnover, never voucher lines). Two
small extra aggregates: per-leaf balances of the few accounts whose sub-accounts are split by side (113
内部往来) or read by kind (322 收益分配), and the lines of the year-close vouchers (Voucher.kind year_close /
carry), which the income statement leaves out so that it still shows the year's income and expense.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import BigInteger, bindparam, case, func, select, text
from sqlalchemy.orm import Session

from threeassets.core.db import END, IDS, START
from threeassets.core.money import from_fen
from threeassets.core.periods import year_start
from threeassets.ledger.chart import standard_chart
from threeassets.ledger.models import GENERATED, Account, AccountTurnover, Voucher, VoucherLine
from threeassets.ledger.rules import VoucherStatus
from threeassets.reports.service import trial_balance
from threeassets.statements import layouts
from threeassets.statements.rules import ZERO, Column, classify_distribution, evaluate, parse_layout

# Generated year-end vouchers (结转本年收益, 收益分配结转): their lines are not the year's income or expense.
CLOSE_KINDS = ("year_close", "carry")
DIST_ROOT = "322"
BS_LINES = parse_layout(layouts.BALANCE_SHEET)
IS_LINES = parse_layout(layouts.INCOME_STATEMENT)
SPLIT_ROOTS = tuple(sorted({t.arg.split(":")[0] for ln in BS_LINES for t in ln.terms if t.kind == "split"}))


@lru_cache(maxsize=1)
def pl_codes() -> tuple[str, ...]:
    """The chart's income and expense accounts (what PL means in a layout)."""
    return tuple(r["code"] for r in standard_chart() if r["category"] in ("income", "expense"))


@dataclass
class StatementLine:
    """One printed line: a heading (no row number, no amounts) or a numbered line with two amounts."""

    row_no: int | None
    item: str
    prefix: str
    values: tuple[Decimal, Decimal] | None

    @property
    def is_total(self) -> bool:
        """合计/总计 and result lines, printed in bold."""
        return self.item.endswith(("合计", "总计")) or self.item in TOTAL_ITEMS


TOTAL_ITEMS = {"经营收益", "收益总额", "本年收益", "可分配收益", "年末未分配收益", "生产性生物资产净值",
               "固定资产净值", "无形资产净值"}


@dataclass
class Statement:
    """A statement ready to render: its kind, whose books, the period and its lines."""

    kind: str  # balance_sheet | income_statement
    title: str
    org_name: str
    ym: int
    columns: tuple[str, str]
    lines: list[StatementLine]

    def value(self, item: str, column: int = 1) -> Decimal:
        """The amount of a line by its item name (column 0 or 1)."""
        for ln in self.lines:
            if ln.item == item and ln.values is not None:
                return ln.values[column]
        raise KeyError(item)

    def numbered(self) -> list[StatementLine]:
        """The lines with a row number (what the CSV export lists)."""
        return [ln for ln in self.lines if ln.row_no is not None]


def _statement(kind: str, title: str, org: str, ym: int, columns, lines, cols: tuple[Column, Column]):
    """Evaluate a layout for two columns and pair the amounts per line."""
    first, second = (evaluate(lines, c, pl_codes()) for c in cols)
    out = [StatementLine(ln.row_no, ln.item, ln.prefix,
                         None if ln.row_no is None else (first[ln.row_no], second[ln.row_no])) for ln in lines]
    return Statement(kind, title, org, ym, columns, out)


def _sum_fen(expr):
    """SUM over integer fen, typed so every database hands back an integer."""
    return func.sum(expr, type_=BigInteger)


_ROOTS_OF = select(Account.id, Account.code, Account.name, Account.is_leaf).where(
    Account.village_id.in_(IDS), Account.code.in_(bindparam("codes", expanding=True)))
_CHILDREN_OF = select(Account.id, Account.parent_id, Account.name, Account.is_leaf).where(
    Account.village_id.in_(IDS),  # the (village, code) index
    Account.parent_id.in_(bindparam("parents", expanding=True)))


def leaves_under(session: Session, village_ids: list[int], codes) -> dict[int, tuple[str, str]]:
    """Leaf accounts under the given first-level codes, by the account tree: id → (root code, leaf name)."""
    ids = list(village_ids)
    rows = session.execute(_ROOTS_OF, {"ids": ids, "codes": list(codes)}).all()
    out, frontier = {}, {}
    for aid, code, name, leaf in rows:
        if leaf:
            out[aid] = (code, name)
        else:
            frontier[aid] = code
    while frontier:
        children = session.execute(_CHILDREN_OF, {"ids": ids, "parents": list(frontier)}).all()
        nxt = {}
        for aid, pid, name, leaf in children:
            if leaf:
                out[aid] = (frontier[pid], name)
            else:
                nxt[aid] = frontier[pid]
        frontier = nxt
    return out


def _leaf_moves_query():
    """The select of leaf_moves, over IDS, START, END and the leaves."""
    t = AccountTurnover
    return (select(t.account_id, _sum_fen(case((t.ym < START, t.debit - t.credit), else_=0)),
                   _sum_fen(t.debit - t.credit), _sum_fen(case((t.ym >= START, t.debit), else_=0)),
                   _sum_fen(case((t.ym == END, t.debit), else_=0)))
            .where(t.village_id.in_(IDS), t.account_id.in_(bindparam("leaves", expanding=True)), t.ym <= END)
            .group_by(t.account_id))


_LEAF_MOVES = _leaf_moves_query()


def leaf_moves(session: Session, village_ids: list[int], leaf_ids, start: int, end: int) -> dict[int, tuple]:
    """Per leaf: (net before start, net at end, debit start..end, debit in month end), from the turnover."""
    if not leaf_ids:
        return {}
    rows = session.execute(_LEAF_MOVES, {"ids": list(village_ids), "leaves": list(leaf_ids), "start": start,
                                         "end": end})
    return {aid: tuple(from_fen(int(x or 0)) for x in vals) for aid, *vals in rows}


def _splits(session: Session, village_ids: list[int], start: int, end: int) -> tuple[dict, dict]:
    """(opening, closing) debit and credit balances of the split accounts' leaves, per leaf then summed."""
    leaves = leaves_under(session, village_ids, SPLIT_ROOTS)
    opening: dict[tuple[str, str], Decimal] = {}
    closing: dict[tuple[str, str], Decimal] = {}
    for aid, (before, at_end, _d, _m) in leaf_moves(session, village_ids, leaves, start, end).items():
        code = leaves[aid][0]
        for target, net in ((opening, before), (closing, at_end)):
            key = (code, "D") if net > 0 else (code, "C")
            target[key] = target.get(key, ZERO) + abs(net)
    return opening, closing


def balance_sheet(session: Session, village_ids: list[int], ym: int, org_name: str) -> Statement:
    """资产负债表 at the end of month ym: 年初数 (end of last year) and 期末数."""
    rows = trial_balance(session, village_ids, year_start(ym), ym)
    split_open, split_close = _splits(session, village_ids, year_start(ym), ym)
    cols = (Column({r.code: r.opening for r in rows}, split_open),
            Column({r.code: r.closing for r in rows}, split_close))
    return _statement("balance_sheet", "资产负债表", org_name, ym, ("年初数", "期末数"), BS_LINES, cols)


def _ancestor_codes(session: Session, account_ids) -> dict[int, list[str]]:
    """Each account's code and the codes of all its parents (by parent links)."""
    chain: dict[int, list[str]] = {aid: [] for aid in account_ids}
    cursor = {aid: aid for aid in account_ids}  # original id → the ancestor to read next
    while cursor:
        rows = dict((aid, (code, pid)) for aid, code, pid in session.execute(
            select(Account.id, Account.code, Account.parent_id).where(Account.id.in_(set(cursor.values())))))
        nxt = {}
        for orig, cur in cursor.items():
            code, pid = rows[cur]
            chain[orig].append(code)
            if pid is not None:
                nxt[orig] = pid
        cursor = nxt
    return chain


def close_moves(session: Session, village_ids: list[int], start: int, end: int) -> tuple[dict, dict, dict]:
    """Lines of posted year-close vouchers in start..end: (by code rolled up for the range, the same for month
    end, by leaf id for the range); values are [debit, credit]."""
    q = (select(VoucherLine.account_id, Voucher.ym, _sum_fen(VoucherLine.debit), _sum_fen(VoucherLine.credit))
         .join(Voucher, Voucher.id == VoucherLine.voucher_id)
         .where(Voucher.village_id.in_(village_ids), Voucher.status == VoucherStatus.POSTED,
                text(GENERATED), Voucher.kind.in_(CLOSE_KINDS), Voucher.ym.between(start, end))
         .group_by(VoucherLine.account_id, Voucher.ym))
    found = session.execute(q).all()
    chains = _ancestor_codes(session, {aid for aid, *_ in found}) if found else {}
    by_code: dict[str, list[Decimal]] = {}
    month: dict[str, list[Decimal]] = {}
    by_leaf: dict[int, list[Decimal]] = {}
    for aid, ym, debit, credit in found:
        d, c = from_fen(int(debit or 0)), from_fen(int(credit or 0))
        targets = [by_code] + ([month] if ym == end else [])
        for code in chains[aid]:
            for target in targets:
                acc = target.setdefault(code, [ZERO, ZERO])
                acc[0] += d
                acc[1] += c
        leaf = by_leaf.setdefault(aid, [ZERO, ZERO, ZERO])  # range debit, range credit, month-end debit
        leaf[0] += d
        leaf[1] += c
        leaf[2] += d if ym == end else ZERO
    return by_code, month, by_leaf


def movements(rows, closing: dict[str, list[Decimal]]) -> dict[str, Decimal]:
    """Net debit movement per code over a trial balance's range, year-close lines left out."""
    out = {}
    for r in rows:
        d, c = closing.get(r.code, (ZERO, ZERO))
        out[r.code] = (r.debit - d) - (r.credit - c)
    return out


def _distributions(session: Session, village_ids: list[int], start: int, end: int, close_leaf: dict):
    """(year, month) distributions per kind: debits to 322's leaves other than 未分配收益, close lines left out."""
    leaves = leaves_under(session, village_ids, (DIST_ROOT,))
    year: dict[str, Decimal] = {}
    month: dict[str, Decimal] = {}
    for aid, (_b, _e, debit, month_debit) in leaf_moves(session, village_ids, leaves, start, end).items():
        kind = classify_distribution(leaves[aid][1], layouts.DISTRIBUTION_KINDS)
        if kind == "undistributed":
            continue
        closed = close_leaf.get(aid, (ZERO, ZERO, ZERO))
        year[kind] = year.get(kind, ZERO) + debit - closed[0]
        month[kind] = month.get(kind, ZERO) + month_debit - closed[2]
    return year, month


def income_statement(session: Session, village_ids: list[int], ym: int, org_name: str) -> Statement:
    """收益及收益分配表 for month ym: 本月数 and 本年累计数 (the distribution half reads 年初 as 月初 in 本月数)."""
    start = year_start(ym)
    ytd = trial_balance(session, village_ids, start, ym)
    month = trial_balance(session, village_ids, ym, ym) if ym != start else ytd
    close_ytd, close_month, close_leaf = close_moves(session, village_ids, start, ym)
    dist_year, dist_month = _distributions(session, village_ids, start, ym, close_leaf)
    cols = (Column(movements(month, close_month), opening={r.code: r.opening for r in month}, dist=dist_month),
            Column(movements(ytd, close_ytd), opening={r.code: r.opening for r in ytd}, dist=dist_year))
    return _statement("income_statement", "收益及收益分配表", org_name, ym, ("本月数", "本年累计数"), IS_LINES, cols)

