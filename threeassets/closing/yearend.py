"""Year close (年结): close income and expense into 本年收益 (321), carry it to 收益分配—未分配收益 (322) with
generated, posted vouchers, close December and open the next January. Never commits."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.closing.balances import balances_at
from threeassets.closing.rules import (
    OPEN,
    ZERO,
    Balance,
    ClosingError,
    Line,
    carry_lines,
    closing_lines,
    period_refusal,
)
from threeassets.closing.service import close_locked, lock_period, period_facts
from threeassets.core.audit import record
from threeassets.core.db import insert_for
from threeassets.core.periods import next_ym
from threeassets.core.workflow import refuse
from threeassets.ledger import posting
from threeassets.ledger.chart import add_sub_account, has_entries, subtree_ids
from threeassets.ledger.models import Account, Period, Voucher
from threeassets.orgs.models import Village

CURRENT_RESULT, DISTRIBUTION = "321", "322"  # 本年收益, 收益分配 (codes of the chart data)
UNDISTRIBUTED = "未分配收益"
PL_CATEGORIES = ("income", "expense")


@dataclass
class YearCloseResult:
    """What a year close did: the generated vouchers (labels), the year's net result, balances stored."""

    year: int
    net_result: Decimal = ZERO  # income − expense (positive: 收益, negative: 亏损)
    vouchers: list[str] = field(default_factory=list)
    balances: int = 0


def _leaves_under(session: Session, village_id: int, code: str) -> tuple[Account, list[Account]]:
    """A first-level account and the leaves of its subtree (itself when it has no children), by code."""
    root = session.scalar(select(Account).where(Account.village_id == village_id, Account.code == code))
    if root is None:
        raise ClosingError(f"科目表缺少 {code}，不能年结")
    ids = subtree_ids(session, village_id, root.id)
    leaves = session.scalars(select(Account).where(Account.id.in_(ids), Account.is_leaf.is_(True))
                             .order_by(Account.code))
    return root, list(leaves)


def _balances(session: Session, village_id: int, ym: int, accounts: list[Account]) -> list[Balance]:
    """Net debit balances at the end of ym of the given leaf accounts (zero ones included)."""
    nets = balances_at(session, village_id, ym, [a.id for a in accounts])
    return [Balance(a.id, a.code, a.name, nets.get(a.id, ZERO)) for a in accounts]


def _free_suffix(session: Session, parent: Account) -> str:
    """The first unused child suffix of an account, as wide as its existing children's (two digits if none)."""
    codes = set(session.scalars(select(Account.code).where(Account.parent_id == parent.id)))
    width = min((len(c) - len(parent.code) for c in codes), default=2)
    n = 1
    while f"{parent.code}{n:0{width}d}" in codes:
        n += 1
    return f"{n:0{width}d}"


def undistributed_account(session: Session, village_id: int, actor) -> Account:
    """收益分配—未分配收益: the leaf of that name under 322; else 322 itself when it is a leaf that already has
    entries; else a new sub-account (32201 when 322 has no children yet)."""
    root, leaves = _leaves_under(session, village_id, DISTRIBUTION)
    for acc in leaves:
        if acc.name == UNDISTRIBUTED:
            return acc
    if root.is_leaf and has_entries(session, root.id):
        return root
    return add_sub_account(session, village_id=village_id, parent=root, suffix=_free_suffix(session, root),
                           name=UNDISTRIBUTED, actor=actor)


def _post_generated(session: Session, village: Village, year: int, kind: str, lines: list[Line],
                    actor) -> Voucher | None:
    """Post a generated voucher dated YYYY-12-31 through the one posting path (nothing when there are no lines)."""
    if not lines:
        return None
    accounts = {a.id: a for a in session.scalars(select(Account).where(
        Account.village_id == village.id, Account.id.in_({ln[0] for ln in lines})))}
    entries = [(accounts[aid], summary, debit, credit) for aid, summary, debit, credit in lines]
    return posting.post_new(session, village=village, on=date(year, 12, 31), kind=kind, lines=entries, actor=actor)


def _close_income_expense(session: Session, village: Village, year: int, actor, result: YearCloseResult) -> None:
    """结转本年收益: every income and expense leaf into 本年收益 (its first leaf when it has sub-accounts)."""
    ym = year * 100 + 12
    pl = list(session.scalars(select(Account).where(
        Account.village_id == village.id, Account.category.in_(PL_CATEGORIES), Account.is_leaf.is_(True))
        .order_by(Account.code)))
    balances = _balances(session, village.id, ym, pl)
    result.net_result = -sum((b.net for b in balances), ZERO)
    _root, current = _leaves_under(session, village.id, CURRENT_RESULT)
    voucher = _post_generated(session, village, year, "year_close", closing_lines(balances, current[0].id), actor)
    if voucher is not None:
        result.vouchers.append(voucher.label)


def _carry(session: Session, village: Village, year: int, actor, result: YearCloseResult) -> None:
    """收益分配结转: 本年收益's balance, and 322's other leaves (各项分配), into 收益分配—未分配收益."""
    ym = year * 100 + 12
    _root, current = _leaves_under(session, village.id, CURRENT_RESULT)
    _root, distribution = _leaves_under(session, village.id, DISTRIBUTION)
    sources = ([(b, "本年收益转入未分配收益") for b in _balances(session, village.id, ym, current)]
               + [(b, f"{b.name}转入未分配收益") for b in _balances(session, village.id, ym, distribution)
                  if b.name != UNDISTRIBUTED])
    if not any(b.net for b, _summary in sources):
        return
    target = undistributed_account(session, village.id, actor)
    voucher = _post_generated(session, village, year, "carry", carry_lines(sources, target.id), actor)
    if voucher is not None:
        result.vouchers.append(voucher.label)


def _ensure_period(session: Session, village_id: int, ym: int) -> None:
    """Create a month's period (open) unless it exists."""
    session.execute(insert_for(session)(Period).values(village_id=village_id, ym=ym, status=OPEN)
                    .on_conflict_do_nothing())


def close_year(session: Session, village: Village, year: int, actor) -> YearCloseResult:
    """年结: refuse while January–November (with books) are open or December has unfinished vouchers; else post
    the closing and carry vouchers on YYYY-12-31, close December and open the next January."""
    dec = year * 100 + 12
    period = lock_period(session, village.id, dec)
    _ensure_period(session, village.id, next_ym(dec))  # before the chain lock, as posters take their period first
    posting.lock_chain(session, village.id)
    refuse(period_refusal(period_facts(session, village.id, period), "year_close"))
    result = YearCloseResult(year)
    _close_income_expense(session, village, year, actor, result)
    _carry(session, village, year, actor, result)
    result.balances = close_locked(session, village, period, actor, "year_close")
    record(session, "year.close", actor=actor, township_id=village.township_id, village_id=village.id, obj=period,
           detail={"year": year, "net_result": result.net_result, "vouchers": result.vouchers})
    return result
