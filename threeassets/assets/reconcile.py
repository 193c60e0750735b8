"""Asset cards vs books (资产对账): card totals against the posted 151 固定资产 / 152 累计折旧 balances.

The cards count as they stood at the end of the month asked for: a card acquired later is left out, a card
disposed later is still in, and depreciation or revaluations of later months are taken back out of its figures.
Where 151 or 152 has sub-accounts named like card categories (e.g. 15101 房屋及建筑物), the category totals are
compared with them too, so a difference points at its category.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset, AssetChange
from threeassets.core.periods import month_end, ym_of
from threeassets.ledger.models import AccountTurnover
from threeassets.reports.service import trial_balance

ZERO = Decimal("0.00")
COST, ACCUMULATED = "151", "152"
LABELS = {COST: "固定资产原值", ACCUMULATED: "累计折旧"}


@dataclass
class Difference:
    """One figure where the cards and the books disagree (books − cards is the amount to explain)."""

    account_code: str
    label: str
    cards: Decimal
    books: Decimal
    note: str = ""

    @property
    def amount(self) -> Decimal:
        """Books minus cards."""
        return self.books - self.cards


@dataclass
class SubLine:
    """A sub-account of 151/152 beside the cards of the category it is named after (cards None: no match)."""

    account_code: str
    name: str
    books: Decimal
    cards: Decimal | None


@dataclass
class Reconciliation:
    """Card totals and book balances of one village at the end of month `ym`."""

    village_id: int
    ym: int
    card_count: int
    card_cost: Decimal
    card_accumulated: Decimal
    book_cost: Decimal  # 151 net debit balance
    book_accumulated: Decimal  # 152 net credit balance
    differences: list[Difference] = field(default_factory=list)
    sub_lines: list[SubLine] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """Whether cards and books agree on every compared figure."""
        return not self.differences

    @property
    def card_net(self) -> Decimal:
        """Net book value by the cards."""
        return self.card_cost - self.card_accumulated

    @property
    def book_net(self) -> Decimal:
        """Net book value by the books."""
        return self.book_cost - self.book_accumulated


def _latest_ym(session: Session, village_id: int) -> int:
    """This month, or a later month that already has postings."""
    booked = session.scalar(select(func.max(AccountTurnover.ym)).where(AccountTurnover.village_id == village_id))
    return max(ym_of(date.today()), booked or 0)


def _later_changes(session: Session, village_id: int, ym: int) -> dict[int, dict[str, Decimal | int]]:
    """asset id → {depreciation, revaluation, disposed ym} of changes after month ym."""
    out: dict[int, dict] = defaultdict(lambda: {"depreciation": ZERO, "revaluation": ZERO, "disposed": None})
    q = select(AssetChange.asset_id, AssetChange.kind, AssetChange.ym, AssetChange.amount).where(
        AssetChange.village_id == village_id, AssetChange.status == "done")
    for aid, kind, cym, amount in session.execute(q):
        if kind == "disposal":
            out[aid]["disposed"] = cym
        elif cym > ym and kind in ("depreciation", "revaluation"):
            out[aid][kind] += amount
    return out


def card_figures(session: Session, village_id: int, ym: int) -> list[tuple[Asset, Decimal, Decimal]]:
    """(card, cost, accumulated depreciation) of every card on the books at the end of month ym."""
    later = _later_changes(session, village_id, ym)
    end = month_end(ym)
    out = []
    for a in session.scalars(select(Asset).where(Asset.village_id == village_id, Asset.acquired_on <= end)
                             .order_by(Asset.code)):
        ch = later[a.id]
        if a.status == "disposed" and (ch["disposed"] is None or ch["disposed"] <= ym):
            continue
        out.append((a, a.original_cost - ch["revaluation"], a.accumulated_depreciation - ch["depreciation"]))
    return out


def _book_rows(session: Session, village_id: int, ym: int):
    """Trial-balance rows of 151, 152 and their sub-accounts at the end of month ym."""
    rows = trial_balance(session, [village_id], ym, ym, include_zero=True)
    return [r for r in rows if r.code.startswith((COST, ACCUMULATED))]


def _sub_lines(rows, by_category: dict[str, dict[str, Decimal]]) -> list[SubLine]:
    """Sub-accounts of 151/152 with the cards of the category they are named after."""
    out = []
    for r in rows:
        if r.level < 2 or not r.code.startswith((COST, ACCUMULATED)):
            continue
        top = r.code[:3]
        books = r.closing if top == COST else -r.closing
        cat = by_category.get(r.name)
        out.append(SubLine(r.code, r.name, books, None if cat is None else cat[top]))
    return out


def reconciliation(session: Session, village_id: int, ym: int | None = None) -> Reconciliation:
    """Cards vs the posted 151/152 balances at the end of month ym (default: this month or the latest booked)."""
    ym = ym or _latest_ym(session, village_id)
    figures = card_figures(session, village_id, ym)
    by_category: dict[str, dict[str, Decimal]] = defaultdict(lambda: {COST: ZERO, ACCUMULATED: ZERO})
    for a, cost, acc in figures:
        by_category[a.category][COST] += cost
        by_category[a.category][ACCUMULATED] += acc
    card_cost = sum((c for _a, c, _d in figures), ZERO)
    card_acc = sum((d for _a, _c, d in figures), ZERO)
    rows = _book_rows(session, village_id, ym)
    top = {r.code: r for r in rows if r.level == 1}
    book_cost = top[COST].closing if COST in top else ZERO
    book_acc = -top[ACCUMULATED].closing if ACCUMULATED in top else ZERO
    rec = Reconciliation(village_id, ym, len(figures), card_cost, card_acc, book_cost, book_acc,
                         sub_lines=_sub_lines(rows, dict(by_category)))
    for code, cards, books in ((COST, card_cost, book_cost), (ACCUMULATED, card_acc, book_acc)):
        if cards != books:
            rec.differences.append(Difference(code, LABELS[code], cards, books, "合计不符"))
    for s in rec.sub_lines:
        if s.cards is not None and s.cards != s.books:
            rec.differences.append(Difference(s.account_code, f"{s.name}（{LABELS[s.account_code[:3]]}）",
                                              s.cards, s.books, "明细科目与同类卡片不符"))
    return rec
