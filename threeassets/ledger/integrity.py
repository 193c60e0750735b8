"""Verifying what the reports read, not only the chain (`threeassets verify`, docs/verification.md): per village,
every posted voucher re-hashed and the chain gapless up to its head (chain.py); the links the audit log
recorded, and heads exported earlier, still in the chain; the posting count of the audit log equal to the
chain's length; voucher numbers of each month exactly 1..counter; account_turnover equal to the posted lines
and the opening figures; the opening figures equal to their seal and its audit row.
Checks of higher packages (closing's stored balances) are handed in. The comparisons of whole tables are one
SQL aggregate each, so the cost grows with the lines once, not with a query per voucher."""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import BigInteger, case, distinct, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session

from threeassets.core.audit import AuditEvent
from threeassets.core.db import fen
from threeassets.core.money import fmt, from_fen
from threeassets.core.periods import ym_label
from threeassets.ledger.chain import anchors_of, walk
from threeassets.ledger.models import Account, AccountTurnover, Voucher, VoucherCounter, VoucherLine
from threeassets.ledger.openings.models import OpeningBalance, OpeningStart
from threeassets.ledger.openings.rules import OpeningFigures, seal_of
from threeassets.ledger.rules import (
    OPENING_VOUCHER,
    Anchor,
    VoucherStatus,
    anchor_problems,
    number_problems,
    posting_count_problem,
)
from threeassets.orgs.models import Village

# A check over the villages in scope (ids None: every village) → problems by village id.
Check = Callable[[Session, Mapping[int, Village], "list[int] | None"], dict[int, list[str]]]
PER_CHECK = 20  # problems of one kind named per village; the rest are counted


def account_names(session: Session, ids) -> dict[int, str]:
    """Account id → '511 经营支出', for messages."""
    q = select(Account.id, Account.code, Account.name).where(Account.id.in_(sorted(set(ids))))
    return {aid: f"{code} {name}" for aid, code, name in session.execute(q)} if ids else {}


def _scoped(q, column, ids):
    return q if ids is None else q.where(column.in_(ids))


def posted_lines(ids):
    """SELECT village_id, account_id, ym, debit fen, credit fen of everything the books hold in scope: every
    posted line, and the opening figures as the turnover that carries them (openings.rules.carrier_months: the
    年初余额's net on December of the year before the start, the 累计 on the month before a start after January)."""
    line = VoucherLine
    q = (select(line.village_id.label("v"), line.account_id.label("a"), Voucher.ym.label("ym"),
                fen(line.debit).label("d"), fen(line.credit).label("c"))
         .join(Voucher, Voucher.id == line.voucher_id)
         .where(Voucher.status == VoucherStatus.POSTED, Voucher.kind != OPENING_VOUCHER))
    ob, os_ = OpeningBalance, OpeningStart
    net = fen(ob.year_debit) - fen(ob.year_credit)
    zero = literal_column("0")
    year = (select(ob.village_id, ob.account_id, (os_.start_ym // 100 - 1) * 100 + 12,
                   case((net > 0, net), else_=zero), case((net < 0, -net), else_=zero))
            .join(os_, os_.village_id == ob.village_id).where(net != 0))
    so_far = (select(ob.village_id, ob.account_id, os_.start_ym - 1, fen(ob.ytd_debit), fen(ob.ytd_credit))
              .join(os_, os_.village_id == ob.village_id)
              .where(os_.start_ym % 100 != 1, or_(ob.ytd_debit != 0, ob.ytd_credit != 0)))
    return union_all(_scoped(q, line.village_id, ids), _scoped(year, ob.village_id, ids),
                     _scoped(so_far, ob.village_id, ids))


def opening_check(session: Session, villages: Mapping[int, Village], ids) -> dict[int, list[str]]:
    """The opening figures against their seal (written with them and recorded in the audit row of their save):
    figures edited outside the application, or a seal rewritten without its audit row, are named. Three queries
    for every village in scope: the starts, every figure, and each village's last save in the audit log."""
    starts = {s.village_id: s for s in session.scalars(_scoped(select(OpeningStart), OpeningStart.village_id, ids))}
    if not starts:
        return {}
    figures: dict[int, list] = {vid: [] for vid in starts}
    q = (select(OpeningBalance.village_id, Account.code, OpeningBalance.year_debit, OpeningBalance.year_credit,
                OpeningBalance.ytd_debit, OpeningBalance.ytd_credit)
         .join(Account, Account.id == OpeningBalance.account_id))
    for vid, code, *amounts in session.execute(_scoped(q, OpeningBalance.village_id, ids)):
        if vid in figures:
            figures[vid].append((code, OpeningFigures(*amounts)))
    # object_type first: the audit log's index by object finds these rows without reading the whole log
    last = (select(func.max(AuditEvent.id)).where(AuditEvent.object_type == "OpeningStart",
                                                  AuditEvent.action == "opening.save")
            .group_by(AuditEvent.village_id))
    recorded = dict(session.execute(select(AuditEvent.village_id, AuditEvent.detail)
                                    .where(AuditEvent.id.in_(last))).all())
    out: dict[int, list[str]] = {}
    for vid, start in starts.items():
        problems = []
        if seal_of(start.start_ym, figures[vid]) != start.seal:
            problems.append(f"期初余额被改动：{where(villages, vid)} 的期初余额与保存时的封签不符")
        detail = recorded.get(vid)
        if detail is None or json.loads(detail).get("seal") != start.seal:
            problems.append(f"期初余额封签不符：{where(villages, vid)} 的封签与审计日志最后一次保存记录不符")
        if problems:
            out[vid] = problems
    return out


def turnover_check(session: Session, villages: Mapping[int, Village], ids) -> dict[int, list[str]]:
    """account_turnover (what the trial balance and statements read) against the posted lines, per village,
    account and month: one GROUP BY over both, keeping the keys whose sums differ."""
    t, zero = AccountTurnover, literal_column("0")
    lines = posted_lines(ids).subquery()
    u = union_all(select(lines.c.v, lines.c.a, lines.c.ym, lines.c.d, lines.c.c, zero.label("td"), zero.label("tc")),
                  _scoped(select(t.village_id, t.account_id, t.ym, zero, zero, fen(t.debit), fen(t.credit)),
                          t.village_id, ids)).subquery()
    v, a, ym, ld, lc, td, tc = u.c
    sums = [func.sum(col, type_=BigInteger) for col in (ld, lc, td, tc)]
    q = (select(v, ym, a, *sums).group_by(v, a, ym)
         .having(or_(sums[0] != sums[2], sums[1] != sums[3])).order_by(v, ym, a))
    rows = session.execute(q).all()
    names = account_names(session, [r[2] for r in rows])
    out: dict[int, list[str]] = {}
    for vid, month, aid, *sums in rows:
        d, c, td_, tc_ = (fmt(from_fen(x)) for x in sums)
        account = names.get(aid, aid)
        out.setdefault(vid, []).append(f"发生额不符：{where(villages, vid)} {ym_label(month)} 科目 {account}："
                                       f"发生额表 借 {td_} 贷 {tc_}，已记账分录合计 借 {d} 贷 {c}")
    return out


def number_check(session: Session, villages: Mapping[int, Village], ids) -> dict[int, list[str]]:
    """Posted numbers of every village-month exactly 1..its counter's last: one GROUP BY, compared with the
    counters; the numbers of a month that differs are read to name what is missing, doubled or beyond."""
    v, vc = Voucher, VoucherCounter
    q = _scoped(select(v.village_id, v.ym, func.count(), func.count(v.number), func.count(distinct(v.number)),
                       func.min(v.number), func.max(v.number))
                .where(v.status == VoucherStatus.POSTED).group_by(v.village_id, v.ym), v.village_id, ids)
    stats = {(vid, ym): rest for vid, ym, *rest in session.execute(q)}
    last = dict(((vid, ym), n) for vid, ym, n in session.execute(
        _scoped(select(vc.village_id, vc.ym, vc.last), vc.village_id, ids)))
    out: dict[int, list[str]] = {}
    for key in sorted(set(stats) | set(last)):
        n, numbered, unique, low, high = stats.get(key, (0, 0, 0, None, None))
        top = last.get(key, 0)
        if n == numbered == unique == top and (n == 0 or (low, high) == (1, top)):
            continue
        vid, ym = key
        numbers = list(session.scalars(select(v.number).where(
            v.village_id == vid, v.ym == ym, v.status == VoucherStatus.POSTED)))
        found = number_problems([x for x in numbers if x is not None], top)
        if n > numbered:
            found.append(f"有 {n - numbered} 张已记账凭证没有凭证号")
        counter = top if key in last else "无"
        out.setdefault(vid, []).extend(f"凭证号不符：{where(villages, vid)} {ym_label(ym)} {p}（计数器 {counter}）"
                                       for p in found)
    return out


def where(villages: Mapping[int, Village], vid: int) -> str:
    """A village as messages name it: A1 一村."""
    village = villages.get(vid)
    return f"{village.code} {village.name}" if village else f"村 id {vid}"


@dataclass
class Verification:
    """What `verify` found: problems (one line each, by village), what was read, and the heads it saw."""

    problems: list[str] = field(default_factory=list)
    villages: int = 0
    vouchers: int = 0
    anchors: int = 0
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)  # village code → (seq, hash) of the newest


def _capped(problems: list[str], what: str) -> list[str]:
    """At most PER_CHECK lines of one kind; the rest counted in one more line."""
    if len(problems) <= PER_CHECK:
        return problems
    return problems[:PER_CHECK] + [f"……另有 {len(problems) - PER_CHECK} 处{what}问题"]


def _village_problems(session: Session, village: Village, exported: Anchor | None, out: Verification) -> list[str]:
    """One village's chain, its anchors in the audit log and in a file of exported heads."""
    anchors = anchors_of(session, village.id)
    found = walk(session, village, anchors)
    out.vouchers += found.count
    out.anchors += len(anchors)
    if found.last[0]:
        out.heads[village.code] = found.last
    problems = _capped(found.problems, "链") + _capped(
        anchor_problems(found.where, anchors + ([exported] if exported else []), found.hashes, found.last[0]), "审计")
    if not problems and (count := posting_count_problem(found.where, anchors, found.count)):
        problems.append(count)
    return problems


def verify_books(session: Session, village_code: str | None = None, heads: Mapping[str, Anchor] | None = None,
                 checks: Sequence[Check] = ()) -> Verification:
    """Verify one village or all: the chain and its anchors village by village, then each check over the
    scope at once (numbers, turnover, then the checks handed in); problems come out by village code."""
    q = select(Village).order_by(Village.code)
    if village_code:
        q = q.where(Village.code == village_code)
    villages = {v.id: v for v in session.scalars(q)}
    out = Verification(villages=len(villages))
    if village_code and not villages:
        out.problems.append(f"village {village_code} not found")
        return out
    heads = dict(heads or {})
    known = {v.code for v in villages.values()}
    out.problems += [f"链头不符：{a.source} 中的村 {code} 已不存在" for code, a in sorted(heads.items())
                     if code not in known and not village_code]
    by_village = {vid: _village_problems(session, v, heads.get(v.code), out) for vid, v in villages.items()}
    ids = [*villages] if village_code else None
    for check in (number_check, turnover_check, opening_check, *checks):
        for vid, found in check(session, villages, ids).items():
            by_village.setdefault(vid, []).extend(_capped(found, ""))
    for vid in villages:  # in code order
        out.problems += by_village.get(vid, [])
    return out
