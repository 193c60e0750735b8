"""Dashboard figures of one village or many, aggregated in SQL: one query over the stored closing balances
and the monthly turnover, one count of vouchers waiting for review or posting. Read only."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from threeassets.closing.models import PeriodBalance
from threeassets.core.db import END, IDS, START
from threeassets.dashboard.rules import (
    BALANCE_CODES,
    BANK,
    CASH,
    EXPENSE,
    INCOME,
    INTERNAL,
    Figures,
    Movement,
    Trend,
    fold,
    total,
    window,
)
from threeassets.ledger.models import Account, AccountTurnover, Voucher, VoucherLine
from threeassets.ledger.openings.models import OpeningStart
from threeassets.ledger.rules import VoucherStatus

# Generated year-end vouchers (结转本年收益 into 321, 收益分配结转 321 → 322): not the year's income or
# expense, so the month figures leave their lines out (cash, bank and the dues are not touched by them).
CLOSING_KINDS = ("year_close", "carry")
# The predicate of the partial index on generated vouchers, repeated literally so the planner can use it.
GENERATED = "voucher.kind <> 'normal'"


@dataclass
class Dashboard:
    """Everything one dashboard page shows."""

    end: int
    figures: dict[int, Figures]
    totals: Figures
    trend: Trend


def _tree(village_ids):
    """Recursive CTE: every account of the villages under a first-level account the dashboard reads,
    with that ancestor's code and category (the tree by parent links, not by code prefixes)."""
    top = (select(Account.id.label("id"), Account.code.label("root_code"), Account.category.label("category"))
           .where(Account.village_id.in_(village_ids), Account.parent_id.is_(None),
                  or_(Account.code.in_(BALANCE_CODES), Account.category.in_((INCOME, EXPENSE))))
           .cte("dash_tree", recursive=True))
    child = aliased(Account)
    return top.union_all(select(child.id, top.c.root_code, top.c.category).where(child.parent_id == top.c.id))


def _fen(col):
    """A Money column as raw integer fen, so sums stay exact."""
    return type_coerce(col, BigInteger)


def _moves(village_ids, start, end):
    """Net movements per village, leaf account and bucket (a month of the window, or 0 for everything
    before it). Bucket 0 starts from the newest closing balance stored before the window (period_balance,
    written at month close) so years already closed are not re-added; the year-close vouchers' lines are
    taken back out of the window's months."""
    pb, at = PeriodBalance, AccountTurnover
    latest = (select(pb.village_id, func.max(pb.ym).label("ym"))
              .where(pb.village_id.in_(village_ids), pb.ym < start).group_by(pb.village_id).subquery("latest"))
    stored = (select(pb.village_id, pb.account_id, literal(0).label("bucket"), _fen(pb.balance).label("dr"),
                     literal(0, BigInteger).label("cr"))
              .join(latest, and_(latest.c.village_id == pb.village_id, latest.c.ym == pb.ym)))
    # Months before a village's start (期初余额) hold its opening figures as turnover: their bucket is the month
    # negated, so they count in the year's figures but never show as that month's income in the trend.
    begun = func.coalesce(OpeningStart.start_ym, 0)
    bucket = case((at.ym < start, literal(0)), (at.ym < begun, -at.ym), else_=at.ym)
    turnover = (select(at.village_id, at.account_id, bucket.label("bucket"),
                       _fen(at.debit).label("dr"), _fen(at.credit).label("cr"))
                .outerjoin(latest, latest.c.village_id == at.village_id)
                .outerjoin(OpeningStart, OpeningStart.village_id == at.village_id)
                .where(at.village_id.in_(village_ids), at.ym <= end, at.ym > func.coalesce(latest.c.ym, 0)))
    closing = (select(VoucherLine.village_id, VoucherLine.account_id, Voucher.ym.label("bucket"),
                      (-_fen(VoucherLine.debit)).label("dr"), (-_fen(VoucherLine.credit)).label("cr"))
               .join(Voucher, Voucher.id == VoucherLine.voucher_id)
               .where(Voucher.village_id.in_(village_ids), text(GENERATED), Voucher.kind.in_(CLOSING_KINDS),
                      # ym + 0 and status || '' keep SQLite (no planner statistics) off the (village, ym, number)
                      # and (village, status, date) indexes, which read every voucher of the window, and on the
                      # partial index of generated vouchers; PostgreSQL plans by its statistics either way.
                      Voucher.status.concat("") == VoucherStatus.POSTED, (Voucher.ym + 0).between(start, end)))
    return union_all(stored, turnover, closing).subquery("moves")


def _movements_query():
    """The select of movements, over the parameters IDS, START and END."""
    tree, moves = _tree(IDS), _moves(IDS, START, END)
    is_pl = tree.c.category.in_((INCOME, EXPENSE))
    by_month = or_(is_pl, tree.c.root_code.in_((CASH, BANK)))
    keyed = (select(moves.c.village_id, case((is_pl, tree.c.category), else_=tree.c.root_code).label("key"),
                    case((tree.c.root_code == INTERNAL, moves.c.account_id), else_=0).label("leaf"),
                    case((by_month, moves.c.bucket), else_=0).label("bucket"), moves.c.dr, moves.c.cr)
             .join(tree, tree.c.id == moves.c.account_id)
             .where(or_(~is_pl, moves.c.bucket != 0))  # income and expense before the window are not shown
             .subquery("keyed"))
    cols = (keyed.c.village_id, keyed.c.key, keyed.c.leaf, keyed.c.bucket)
    return select(*cols, func.sum(keyed.c.dr, type_=BigInteger), func.sum(keyed.c.cr, type_=BigInteger)).group_by(*cols)


_MOVEMENTS = _movements_query()


def movements(session: Session, village_ids: list[int], end: int) -> list[Movement]:
    """Amounts per village, key (income, expense or a first-level code), 内部往来 leaf and bucket of the window
    ending at `end`: one SQL query, a few dozen rows per village whatever the length of its history."""
    if not village_ids:
        return []
    rows = session.execute(_MOVEMENTS, {"ids": list(village_ids), "start": window(end)[0], "end": end})
    return [Movement(vid, key, int(leaf), int(bucket), _yuan(dr), _yuan(cr)) for vid, key, leaf, bucket, dr, cr in rows]


def _yuan(fen) -> Decimal:
    """Integer fen from a SUM to Decimal yuan."""
    return Decimal(int(fen or 0)).scaleb(-2)


_PENDING = (select(Voucher.village_id, Voucher.status, func.count())
            .where(Voucher.village_id.in_(IDS), Voucher.status.in_((VoucherStatus.DRAFT, VoucherStatus.REVIEWED)))
            .group_by(Voucher.village_id, Voucher.status))


def pending_counts(session: Session, village_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per village: vouchers waiting for review (draft) and for posting (reviewed)."""
    if not village_ids:
        return {}
    out: dict[int, dict[str, int]] = {}
    for vid, status, n in session.execute(_PENDING, {"ids": list(village_ids)}):
        out.setdefault(vid, {})[status] = n
    return out


def dashboard(session: Session, village_ids: list[int], end: int) -> Dashboard:
    """Figures per village, their total and the 12-month trend ending with month `end` (YYYYMM)."""
    figures, trend = fold(movements(session, village_ids, end), village_ids, end)
    for vid, counts in pending_counts(session, village_ids).items():
        figures[vid].drafts = counts.get(VoucherStatus.DRAFT, 0)
        figures[vid].reviewed = counts.get(VoucherStatus.REVIEWED, 0)
    return Dashboard(end, figures, total(figures), trend)
