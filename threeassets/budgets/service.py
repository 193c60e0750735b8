"""Budget use cases: the entry grid, setting a year's budget, the import, budget vs actual. Never commits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from threeassets.budgets.models import Budget
from threeassets.budgets.rules import (
    CLOSING_KINDS,
    ZERO,
    BvaRow,
    Entry,
    actual_amount,
    ancestors,
    clamp_upto,
    nested_pairs,
    parse_entry,
    parse_year,
    roll_up,
)
from threeassets.core.audit import record
from threeassets.core.csvio import ImportError_, Table
from threeassets.ledger.chart import accounts_of
from threeassets.ledger.models import Account, Voucher, VoucherLine
from threeassets.ledger.rules import VoucherStatus
from threeassets.orgs.models import Village
from threeassets.reports.service import trial_balance

IMPORT_COLUMNS = ["org_code", "year", "account_code", "amount"]
BUDGET_CATEGORIES = ("income", "expense")
SECTION_ORDER = {"income": 0, "expense": 1}  # then every other budgeted account


class BudgetError(Exception):
    """A budget that cannot be saved; `messages` are shown to the user as they are."""

    def __init__(self, messages: list[str]):
        super().__init__("；".join(messages))
        self.messages = messages


@dataclass
class GridRow:
    """An account on the entry grid with the year's figure, if any."""

    account_id: int
    code: str
    name: str
    level: int
    category: str
    amount: Decimal | None
    note: str
    ancestors: tuple[str, ...] = ()  # the codes above it in the chart, nearest first (the grid's nesting check)


def _parents(accounts: list[Account]) -> dict[str, str | None]:
    """code → parent code over one village's accounts (the tree by parent links, not by code prefix)."""
    code_of = {a.id: a.code for a in accounts}
    return {a.code: code_of.get(a.parent_id) for a in accounts}


def grid(session: Session, village_id: int, year: int) -> list[GridRow]:
    """The village's income and expense accounts, then any other account budgeted for the year, in code order."""
    budgets = {b.account_id: b for b in session.scalars(
        select(Budget).where(Budget.village_id == village_id, Budget.year == year))}
    accounts = accounts_of(session, village_id)
    parent_of = _parents(accounts)
    rows = [GridRow(a.id, a.code, a.name, a.level, a.category,
                    budgets[a.id].amount if a.id in budgets else None, budgets[a.id].note if a.id in budgets else "",
                    ancestors(a.code, parent_of))
            for a in accounts if a.category in BUDGET_CATEGORIES or a.id in budgets]
    return sorted(rows, key=lambda r: (SECTION_ORDER.get(r.category, 2), r.code))


def _entry_problems(entries: list[Entry], known: dict[str, int], parent_of: dict[str, str | None]) -> list[str]:
    """Unknown or repeated codes and budgets nested in budgeted parents, as sentences."""
    problems, seen = [], set()
    for e in entries:
        if e.code not in known:
            problems.append(f"科目 {e.code} 不存在")
        elif e.code in seen:
            problems.append(f"科目 {e.code} 重复填写")
        seen.add(e.code)
    for child, ancestor in nested_pairs(seen & set(known), parent_of):
        problems.append(f"科目 {child} 与其上级科目 {ancestor} 不能同时编制预算（上级预算为下级之和）")
    return problems


def _replace(session: Session, village: Village, year: int, rows: list[tuple[int, Entry]], actor, action: str) -> None:
    """Replace the village's budget for the year with (account_id, entry) rows and audit the change."""
    before = session.scalar(select(func.coalesce(func.sum(Budget.amount), 0)).where(
        Budget.village_id == village.id, Budget.year == year))
    session.execute(delete(Budget).where(Budget.village_id == village.id, Budget.year == year))
    if rows:
        session.execute(insert(Budget), [{"village_id": village.id, "year": year, "account_id": aid,
                                          "amount": e.amount, "note": e.note} for aid, e in rows])
    after = sum((e.amount for _aid, e in rows), ZERO)
    record(session, action, actor=actor, township_id=village.township_id, village_id=village.id,
           detail={"year": year, "accounts": len(rows), "total_before": before, "total_after": after})


def entry_problems(session: Session, village_id: int, entries: list[Entry]) -> list[str]:
    """What the village's chart says of a budget's entries (unknown or repeated codes, a parent budgeted with its
    children), as sentences; a form checks them with its own cells', so that every problem is named at once."""
    accounts = accounts_of(session, village_id)
    return _entry_problems(entries, {a.code: a.id for a in accounts}, _parents(accounts))


def set_budgets(session: Session, *, village: Village, year: int, entries: list[Entry], actor) -> int:
    """Set (replace) a village's budget for a year; accounts must be the village's own. Returns the count."""
    accounts = accounts_of(session, village.id)
    known = {a.code: a.id for a in accounts}
    problems = _entry_problems(entries, known, _parents(accounts))
    if problems:
        raise BudgetError(problems)
    _replace(session, village, year, [(known[e.code], e) for e in entries], actor, "budget.set")
    return len(entries)


def _village_charts(session: Session, village_ids) -> dict[int, tuple[dict[str, int], dict[str, str | None]]]:
    """village id → (code → account id, code → parent code) for the villages named in an import."""
    by_village: dict[int, list[Account]] = defaultdict(list)
    for a in session.scalars(select(Account).where(Account.village_id.in_(village_ids))):
        by_village[a.village_id].append(a)
    return {vid: ({a.code: a.id for a in accs}, _parents(accs)) for vid, accs in by_village.items()}


def _import_row(table: Table, lineno: int, row: dict, villages: dict, charts: dict, errors: list):
    """Check one import row; returns (village, year, entry) or None after noting its problems."""
    village, year = villages.get(row["org_code"]), parse_year(row["year"])
    if village is None:
        errors.append((table.name, lineno, "org_code", f"村 {row['org_code'] or '（空）'} 不存在"))
    if year is None:
        errors.append((table.name, lineno, "year", f"年度“{row['year']}”应为2000至2100之间的四位年份"))
    entry, problems = parse_entry(row["account_code"], row["amount"], row.get("note", ""))
    if entry is None and not problems:
        problems["amount"] = "不能为空"
    columns = {"code": "account_code", "amount": "amount", "note": "note"}
    errors.extend((table.name, lineno, columns[f], why) for f, why in problems.items())
    if village is not None and entry is not None and entry.code not in charts.get(village.id, ({}, {}))[0]:
        errors.append((table.name, lineno, "account_code", f"村 {village.code} 没有科目 {entry.code}"))
        return None
    return (village, year, entry) if village is not None and year is not None and entry is not None else None


def import_budgets(session: Session, table: Table, actor=None) -> dict[str, int]:
    """Budgets from `org_code,year,account_code,amount[,note]`: each village-year named is replaced; all-or-nothing."""
    codes = {row["org_code"] for _ln, row in table.rows}
    villages = {v.code: v for v in session.scalars(select(Village).where(Village.code.in_(codes)))}
    charts = _village_charts(session, [v.id for v in villages.values()])
    errors: list[tuple[str, int, str, str]] = []
    groups: dict[tuple[int, int], list[tuple[int, Entry]]] = defaultdict(list)
    for lineno, row in table.rows:
        checked = _import_row(table, lineno, row, villages, charts, errors)
        if checked is None:
            continue
        village, year, entry = checked
        if any(e.code == entry.code for _ln, e in groups[(village.id, year)]):
            errors.append((table.name, lineno, "account_code", f"村 {village.code} {year}年 科目 {entry.code} 重复"))
        groups[(village.id, year)].append((lineno, entry))
    for (vid, year), items in groups.items():
        line_of = {e.code: ln for ln, e in items}
        for child, ancestor in nested_pairs(set(line_of), charts[vid][1]):
            errors.append((table.name, line_of[child], "account_code",
                           f"{year}年 科目 {child} 与其上级科目 {ancestor} 不能同时编制预算"))
    if not table.rows:
        errors.append((table.name, 2, "-", "文件没有数据行"))
    if errors:
        raise ImportError_(sorted(errors, key=lambda e: e[1])[:200])
    by_id = {v.id: v for v in villages.values()}
    for (vid, year), items in sorted(groups.items()):
        _replace(session, by_id[vid], year, [(charts[vid][0][e.code], e) for _ln, e in items], actor, "budget.import")
    return {"villages": len({vid for vid, _y in groups}), "budgets": len(groups), "rows": len(table.rows)}


def _tree(session: Session, village_ids) -> dict[str, tuple[str, int, str | None, str, str]]:
    """code → (name, level, parent code, category, normal side) over the villages (first village's names)."""
    parent = Account.__table__.alias("p")
    q = (select(Account.code, Account.name, Account.level, parent.c.code, Account.category, Account.normal_side)
         .outerjoin(parent, parent.c.id == Account.parent_id)
         .where(Account.village_id.in_(village_ids)).order_by(Account.village_id))
    out: dict[str, tuple] = {}
    for code, *rest in session.execute(q):
        out.setdefault(code, tuple(rest))
    return out


def _closing_moves(session: Session, village_ids, start: int, end: int) -> dict[str, tuple[Decimal, Decimal]]:
    """Debit and credit per leaf code of the posted year-end closing vouchers in the range.

    These few generated vouchers are the only lines read directly: the actual itself comes from the turnover table.
    """
    q = (select(Account.code, func.sum(VoucherLine.debit), func.sum(VoucherLine.credit))
         .join(Voucher, Voucher.id == VoucherLine.voucher_id)
         .join(Account, Account.id == VoucherLine.account_id)
         .where(Voucher.village_id.in_(village_ids), Voucher.status == VoucherStatus.POSTED,
                Voucher.kind.in_(CLOSING_KINDS), Voucher.ym.between(start, end),
                VoucherLine.village_id.in_(village_ids))
         .group_by(Account.code))
    return {code: (d or ZERO, c or ZERO) for code, d, c in session.execute(q)}


def _budget_by_code(session: Session, village_ids, year: int) -> dict[str, Decimal]:
    """The year's budget per account code, summed over the villages."""
    q = (select(Account.code, func.sum(Budget.amount)).join(Account, Account.id == Budget.account_id)
         .where(Budget.village_id.in_(village_ids), Budget.year == year).group_by(Account.code))
    return {code: amount for code, amount in session.execute(q)}


def budget_vs_actual(session: Session, village_ids: list[int], year: int, upto_ym: int) -> list[BvaRow]:
    """Budget vs actual (财务计划执行): every first-level income and expense account, sub-accounts and other
    accounts that have a budget or an actual, from January to upto_ym of the year; parents roll up children."""
    if not village_ids:
        return []
    start, end = year * 100 + 1, clamp_upto(year, upto_ym)
    tree = _tree(session, village_ids)
    parent_of = {code: t[2] for code, t in tree.items()}
    budgets = roll_up(_budget_by_code(session, village_ids, year), parent_of)
    moves = _closing_moves(session, village_ids, start, end)
    closing_debit = roll_up({c: m[0] for c, m in moves.items()}, parent_of)
    closing_credit = roll_up({c: m[1] for c, m in moves.items()}, parent_of)
    tb = {r.code: r for r in trial_balance(session, village_ids, start, end)}
    rows = []
    for code in sorted(tree):
        name, level, _parent, category, side = tree[code]
        r = tb.get(code)
        debit = (r.debit if r else ZERO) - closing_debit.get(code, ZERO)
        credit = (r.credit if r else ZERO) - closing_credit.get(code, ZERO)
        actual = actual_amount(side, debit, credit)
        if code in budgets or (category in BUDGET_CATEGORIES and (level == 1 or actual)):
            rows.append(BvaRow(code, name, level, category, budgets.get(code), actual))
    return sorted(rows, key=lambda r: (SECTION_ORDER.get(r.category, 2), r.code))
