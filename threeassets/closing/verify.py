"""`threeassets verify`: the ledger's checks (ledger/integrity.py) with the stored closing balances this package
keeps; here because closing is the lowest package that knows both."""
from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import BigInteger, and_, func, literal_column, select, union, union_all
from sqlalchemy.orm import Session

from threeassets.closing.models import PeriodBalance
from threeassets.core.db import fen
from threeassets.core.money import fmt, from_fen
from threeassets.core.periods import ym_label
from threeassets.ledger import integrity
from threeassets.ledger.integrity import account_names, posted_lines, where
from threeassets.ledger.rules import Anchor


def balance_check(session: Session, villages, ids) -> dict[int, list[str]]:
    """Every stored closing balance equal to the posted lines up to its month, and no balance missing from a
    month that stores some (a missing row reads as zero): the lines summed per account and month, a running sum
    per account (a window) read at each stored month. One query; `ids` None: every village (an
    integrity.Check)."""
    pb = PeriodBalance
    stored = select(pb.village_id, pb.ym, pb.account_id)
    if ids is not None:
        stored = stored.where(pb.village_id.in_(ids))
    if session.execute(stored.limit(1)).first() is None:
        return {}
    lines = posted_lines(ids).subquery()
    net = func.sum(lines.c.d - lines.c.c, type_=BigInteger).label("net")
    moves = select(lines.c.v, lines.c.a, lines.c.ym, net).group_by(lines.c.v, lines.c.a, lines.c.ym).cte("moves")
    months = stored.with_only_columns(pb.village_id.label("v"), pb.ym.label("ym")).distinct().subquery()
    used = select(moves.c.v, moves.c.a).distinct().subquery()
    keys = union(select(used.c.v, used.c.a, months.c.ym).join(months, months.c.v == used.c.v),
                 stored.with_only_columns(pb.village_id, pb.account_id, pb.ym)).subquery()
    zero = literal_column("0")
    # A month's moves (kind 0) sort before the stored balance of that month (kind 1) in the running sum.
    points = (select(keys.c.v, keys.c.a, keys.c.ym, literal_column("1"), zero, func.coalesce(fen(pb.balance), 0))
              .outerjoin(pb, and_(pb.village_id == keys.c.v, pb.account_id == keys.c.a, pb.ym == keys.c.ym)))
    x = union_all(select(moves.c.v, moves.c.a, moves.c.ym, zero.label("kind"), moves.c.net.label("amount"),
                         zero.label("kept")), points).subquery()
    upto = func.sum(x.c.amount).over(partition_by=(x.c.v, x.c.a), order_by=(x.c.ym, x.c.kind), rows=(None, 0))
    r = select(x.c.v, x.c.a, x.c.ym, x.c.kind, x.c.kept, upto.label("upto")).subquery()
    q = (select(r.c.v, r.c.ym, r.c.a, r.c.kept, r.c.upto).where(r.c.kind == 1, r.c.upto != r.c.kept)
         .order_by(r.c.v, r.c.ym, r.c.a))
    rows = session.execute(q).all()
    names = account_names(session, [row[2] for row in rows])
    out: dict[int, list[str]] = {}
    for vid, month, aid, kept, lines_net in rows:
        out.setdefault(vid, []).append(
            f"期末余额不符：{where(villages, vid)} {ym_label(month)} 科目 {names.get(aid, aid)}：存储余额 "
            f"{fmt(from_fen(kept))}，已记账分录累计 {fmt(from_fen(lines_net))}")
    return out


def verify_books(session: Session, village_code: str | None = None,
                 heads: Mapping[str, Anchor] | None = None) -> integrity.Verification:
    """Verify one village's books or all: chain, anchors, numbers, turnover and stored balances."""
    return integrity.verify_books(session, village_code, heads, checks=(balance_check,))
