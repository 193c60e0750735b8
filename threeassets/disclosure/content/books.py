"""The notice's sections from the posted books: cash, income and expense lines, the plan, debts, distribution.

Each section is one or two aggregate queries over one village's rows (the village's indexes), never a walk over
voucher objects: a city database has millions of lines and one notice stays fast.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, case, func, select, type_coerce
from sqlalchemy.orm import Session

from threeassets.budgets.service import budget_vs_actual
from threeassets.core.money import from_fen, plain, to_chinese_upper
from threeassets.disclosure.rules import Period, grouped_label
from threeassets.ledger.chart import standard_chart
from threeassets.ledger.models import Account, Voucher, VoucherLine
from threeassets.ledger.rules import OPENING_VOUCHER, VoucherStatus
from threeassets.reports.service import trial_balance
from threeassets.statements.service import CLOSE_KINDS, income_statement, leaves_under

ZERO = Decimal("0")
CASH_ROOTS = ("101", "102")
# 债权: 应收款 and the debit-balance sub-accounts of 内部往来; 债务: every liability account of the 2023 chart
# and the credit-balance sub-accounts of 内部往来 (the balance sheet splits 113 the same way, layouts.py).
RECEIVABLE_ROOTS = ("112", "113")
PAYABLE_ROOTS = ("201", "211", "212", "213", "214", "221", "231", "241")
SPLIT_ROOT = "113"
# The income statement's result half starts here; a quarter column is only meaningful above it.
FLOW_ROWS_BELOW = 14


def _fen(column):
    """A Money column as raw integer fen, so sums stay exact on every database."""
    return type_coerce(column, BigInteger)


def _roots(category: str) -> tuple[str, ...]:
    """First-level codes of the chart in a category (income, expense)."""
    return tuple(r["code"] for r in standard_chart() if r["category"] == category)


def _root_names() -> dict[str, str]:
    """First-level code → the chart's name."""
    return {r["code"]: r["name"] for r in standard_chart()}


def _line_base(village_id: int, period: Period, leaf_ids, section: str):
    """Posted lines of the period on the given leaves (year-close vouchers left out) and their signed amount."""
    vl, v = VoucherLine, Voucher
    amount = (_fen(vl.credit) - _fen(vl.debit)) if section == "income" else (_fen(vl.debit) - _fen(vl.credit))
    where = (vl.village_id == village_id, vl.account_id.in_(list(leaf_ids)), v.village_id == village_id,
             v.status == VoucherStatus.POSTED, v.ym.between(period.start_ym, period.end_ym),
             v.kind.notin_((*CLOSE_KINDS, OPENING_VOUCHER)))
    return amount, where


def _items(session: Session, village_id: int, period: Period, leaves: dict, section: str, threshold: int):
    """Itemised lines (date, voucher, summary, account, amount) and, under the threshold, one line per account."""
    if not leaves:
        return []
    amount, where = _line_base(village_id, period, leaves, section)
    small = func.abs(amount) < threshold if threshold else None
    q = (select(Voucher.voucher_date, Voucher.number, VoucherLine.summary, VoucherLine.account_id, amount)
         .join(Voucher, Voucher.id == VoucherLine.voucher_id).where(*where)
         .order_by(Voucher.voucher_date, Voucher.ym, Voucher.number, VoucherLine.line_no))
    if small is not None:
        q = q.where(~small)
    names = _leaf_names(session, village_id, leaves)
    out = [{"date": day.isoformat(), "voucher": f"记-{number:04d}", "summary": summary, "account": names[aid],
            "amount": plain(from_fen(fen)), "count": 1} for day, number, summary, aid, fen in session.execute(q)
           if fen]
    if small is not None:
        g = (select(VoucherLine.account_id, func.count(), func.sum(amount, type_=BigInteger))
             .join(Voucher, Voucher.id == VoucherLine.voucher_id).where(*where, small)
             .group_by(VoucherLine.account_id))
        for aid, count, fen in sorted(session.execute(g), key=lambda r: names[r[0]]):
            out.append({"date": "", "voucher": "", "summary": grouped_label(section, count), "account": names[aid],
                        "amount": plain(from_fen(fen)), "count": count})
    return out


def _leaf_names(session: Session, village_id: int, leaves: dict) -> dict[int, str]:
    """Leaf id → its full name as the books show it (管理费用—办公费)."""
    q = select(Account.id, Account.full_name, Account.name).where(
        Account.village_id == village_id, Account.id.in_(list(leaves)))
    return {aid: full or name for aid, full, name in session.execute(q)}


def _by_root(session: Session, village_id: int, period: Period, leaves: dict, section: str) -> list[dict]:
    """The period's amount per first-level account (the chart's composition and the section total)."""
    if not leaves:
        return []
    amount, where = _line_base(village_id, period, leaves, section)
    q = (select(VoucherLine.account_id, func.sum(amount, type_=BigInteger))
         .join(Voucher, Voucher.id == VoucherLine.voucher_id).where(*where).group_by(VoucherLine.account_id))
    totals: dict[str, int] = {}
    for aid, fen in session.execute(q):
        root = leaves[aid][0]
        totals[root] = totals.get(root, 0) + int(fen or 0)
    names = _root_names()
    return [{"code": code, "name": names.get(code, code), "amount": plain(from_fen(fen))}
            for code, fen in sorted(totals.items()) if fen]


def flows(session: Session, village_id: int, period: Period, section: str, threshold: int) -> dict:
    """各项收入 or 各项支出: itemised lines, amount per first-level account, the total and its 大写."""
    leaves = leaves_under(session, [village_id], _roots(section))
    by_root = _by_root(session, village_id, period, leaves, section)
    total = sum((Decimal(r["amount"]) for r in by_root), ZERO)
    return {"items": _items(session, village_id, period, leaves, section, threshold), "by_account": by_root,
            "total": plain(total), "total_upper": to_chinese_upper(total)}


def cash(session: Session, village_id: int, period: Period) -> dict:
    """库存现金 and 银行存款 (with their sub-accounts): balance at the start, receipts, payments, balance at the end."""
    rows = [r for r in trial_balance(session, [village_id], period.start_ym, period.end_ym, include_zero=True)
            if r.code.startswith(CASH_ROOTS) and (r.level == 1 or r.used)]
    out = [{"code": r.code, "name": r.name, "level": r.level, "opening": plain(r.opening), "debit": plain(r.debit),
            "credit": plain(r.credit), "closing": plain(r.closing)} for r in rows]
    top = [r for r in rows if r.level == 1]
    opening, closing = sum((r.opening for r in top), ZERO), sum((r.closing for r in top), ZERO)
    return {"rows": out, "opening": plain(opening), "closing": plain(closing),
            "closing_upper": to_chinese_upper(closing)}


def _leaf_balances(session: Session, village_id: int, period: Period, leaf_ids) -> dict[int, tuple[int, ...]]:
    """Per leaf, in fen: (net debit before the period, debit in it, credit in it), from the monthly turnover."""
    from threeassets.ledger.models import AccountTurnover as T
    if not leaf_ids:
        return {}
    inside = T.ym >= period.start_ym
    q = (select(T.account_id, func.sum(case((~inside, _fen(T.debit) - _fen(T.credit)), else_=0), type_=BigInteger),
                func.sum(case((inside, _fen(T.debit)), else_=0), type_=BigInteger),
                func.sum(case((inside, _fen(T.credit)), else_=0), type_=BigInteger))
         .where(T.village_id == village_id, T.account_id.in_(list(leaf_ids)), T.ym <= period.end_ym)
         .group_by(T.account_id))
    return {aid: tuple(int(x or 0) for x in vals) for aid, *vals in session.execute(q)}


def _debt_row(root: str, leaf: str, kind: str, moves: tuple[int, int, int]) -> dict:
    """One counterparty's line: opening, increase, decrease, closing on the side of its kind."""
    before, debit, credit = moves
    sign = 1 if kind == "receivable" else -1
    up, down = (debit, credit) if kind == "receivable" else (credit, debit)
    names = _root_names()
    counterparty = leaf if leaf != names.get(root) else "（未设明细）"
    return {"code": root, "account": names.get(root, root), "counterparty": counterparty,
            "opening": plain(from_fen(sign * before)), "increase": plain(from_fen(up)),
            "decrease": plain(from_fen(down)),
            "closing": plain(from_fen(sign * (before + debit - credit)))}


def debts(session: Session, village_id: int, period: Period) -> dict:
    """债权债务 per counterparty: the leaf sub-accounts of the receivable and payable accounts (see module docs)."""
    leaves = leaves_under(session, [village_id], RECEIVABLE_ROOTS + PAYABLE_ROOTS)
    out: dict[str, list[dict]] = {"receivable": [], "payable": []}
    for aid, moves in _leaf_balances(session, village_id, period, leaves).items():
        root, leaf = leaves[aid]
        closing = moves[0] + moves[1] - moves[2]
        if root == SPLIT_ROOT:
            kind = "payable" if closing < 0 or (closing == 0 and moves[0] < 0) else "receivable"
        else:
            kind = "receivable" if root in RECEIVABLE_ROOTS else "payable"
        if any(moves):
            out[kind].append(_debt_row(root, leaf, kind, moves))
    result = {}
    for kind, rows in out.items():
        rows.sort(key=lambda r: (r["code"], r["counterparty"]))
        total = sum((Decimal(r["closing"]) for r in rows), ZERO)
        result[kind] = {"rows": rows, "total": plain(total)}
    return result


def plan(session: Session, village_id: int, period: Period) -> dict:
    """财务计划: the year's budget against the actual from January to the period's end, when a budget exists."""
    rows = budget_vs_actual(session, [village_id], period.year, period.end_ym)
    if not any(r.budget is not None for r in rows):
        return {"year": period.year, "rows": []}
    shown = [r for r in rows if r.budget is not None or (r.level == 1 and r.actual)]
    return {"year": period.year, "rows": [
        {"code": r.code, "name": r.name, "level": r.level, "section": r.section,
         "budget": plain(r.budget) if r.budget is not None else "", "actual": plain(r.actual),
         "pct": f"{r.pct}%" if r.pct is not None else ""} for r in shown]}


def distribution(session: Session, village, period: Period) -> dict:
    """收益分配: the 收益及收益分配表 lines, 本期 (month or quarter) and 本年累计 at the period's end."""
    end = income_statement(session, [village.id], period.end_ym, village.name)
    first_month = period.start_ym % 100 == 1
    before = None
    if period.is_quarter and not first_month:
        prev = period.start_ym - 1
        before = income_statement(session, [village.id], prev, village.name)
    lines = []
    for ln in end.lines:
        if ln.values is None:
            lines.append({"row_no": None, "item": ln.item, "prefix": ln.prefix, "values": None})
            continue
        if not period.is_quarter:
            current = plain(ln.values[0])
        elif ln.row_no >= FLOW_ROWS_BELOW:
            current = ""  # the result half is a year's balance: a quarter's share of it means nothing
        else:
            current = plain(ln.values[1] - (before.value(ln.item, 1) if before else ZERO))
        lines.append({"row_no": ln.row_no, "item": ln.item, "prefix": ln.prefix,
                      "values": [current, plain(ln.values[1])], "total": ln.is_total})
    return {"columns": ["本季度数" if period.is_quarter else "本月数", "本年累计数"], "lines": lines}
