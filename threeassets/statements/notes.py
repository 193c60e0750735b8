"""会计报表附注: the notes that go with the two statements of a month (usually December), per village or
consolidated over a township's villages.

Every figure comes from the same places the statements read (turnover per leaf account, the asset cards as they
stood at a month end, the income statement's distribution half), so each detail list adds up to its statement
line: 应收款项 and 应付款项 by counterparty to balance-sheet rows 3 and 32, the biological assets to rows 5, 10
and 11, the fixed assets by category to the cards' totals, which the 资产对账 page compares with 151/152. The
accounting policies are text built from the village's own facts (statements.policies). What only a higher
feature knows (the cards, the switch-over) comes through core.hooks.statement_notes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.core import hooks
from threeassets.core.periods import year_start
from threeassets.ledger.models import Account
from threeassets.ledger.openings.service import adjustments_of, start_of
from threeassets.orgs.models import Village, names_by_id
from threeassets.reports.service import trial_balance
from threeassets.statements import layouts
from threeassets.statements.policies import PolicyFacts, policy_texts
from threeassets.statements.rules import ZERO
from threeassets.statements.service import income_statement, leaf_moves, leaves_under

RECEIVABLE_ROOTS, PAYABLE_ROOTS, SPLIT = ("112",), ("211",), "113"
DEPRECIATION_LABEL = "减：生产性生物资产累计折旧"  # subtracted in the total
BIOLOGICAL = (("131", "消耗性生物资产", 1), ("132", "生产性生物资产原值", 1), ("133", DEPRECIATION_LABEL, -1),
              ("134", "公益性生物资产", 1))
LOSS_ROOT = "181"
BOOK_CODES = {"151": ("固定资产原值（151）", 1), "152": ("累计折旧（152）", -1), "153": ("在建工程（153）", 1),
              "154": ("固定资产清理（154）", 1)}
PROFIT_ITEM = "本年收益"  # printed first in the distribution note
CHUNK = 2000  # ids per IN list


@dataclass
class NoteLine:
    """One detail line: the account it sits in, the counterparty or category, 年初数 and 期末数."""

    account: str
    detail: str
    opening: Decimal
    closing: Decimal


@dataclass
class AssetMove:
    """A category of fixed assets over the year: [年初, 本年增加, 本年减少, 期末] of cost and of depreciation."""

    category: str
    cost: list[Decimal] = field(default_factory=lambda: [ZERO] * 4)
    depreciation: list[Decimal] = field(default_factory=lambda: [ZERO] * 4)

    @property
    def net(self) -> tuple[Decimal, Decimal]:
        """Net value at the year start and at the month end."""
        return self.cost[0] - self.depreciation[0], self.cost[3] - self.depreciation[3]


@dataclass(frozen=True)
class CardFacts:
    """What the policy text says about the asset cards on the books at the month end."""

    count: int = 0
    not_depreciated: int = 0
    salvage: tuple[Decimal, Decimal] | None = None  # lowest and highest salvage rate, percent


@dataclass
class StatementNotes:
    """Everything the 附注 prints for one scope and month."""

    org: str
    ym: int
    policies: list[tuple[str, str]]
    receivables: list[NoteLine]
    payables: list[NoteLine]
    assets: list[AssetMove]
    books: dict[str, NoteLine]  # 151–154 by code as the books hold them, beside the cards
    biological: list[NoteLine]
    losses: list[NoteLine]
    distribution: list[tuple[str, Decimal]]  # the income statement's distribution half, 本年累计数


@dataclass(frozen=True)
class _Leaf:
    root: str
    code: str
    name: str
    village: str
    opening: Decimal  # net debit at the year start
    closing: Decimal  # net debit at the month end


def _leaves(session: Session, village_ids: list[int], roots, ym: int, villages: dict[int, str]) -> list[_Leaf]:
    """Every leaf under the roots with its net debit at the year start and at the end of ym, in code order."""
    found = leaves_under(session, village_ids, roots)
    moves = leaf_moves(session, village_ids, found, year_start(ym), ym)
    ids = list(found)
    info: dict[int, tuple[str, int]] = {}
    for i in range(0, len(ids), CHUNK):
        info.update((aid, (code, vid)) for aid, code, vid in session.execute(
            select(Account.id, Account.code, Account.village_id).where(Account.id.in_(ids[i:i + CHUNK]))))
    out = []
    for aid, (root, name) in found.items():
        before, at_end, _d, _m = moves.get(aid, (ZERO, ZERO, ZERO, ZERO))
        code, vid = info[aid]
        out.append(_Leaf(root, code, name, villages.get(vid, ""), before, at_end))
    return sorted(out, key=lambda x: (x.village, x.code))


def _detail(leaf: _Leaf, many: bool) -> str:
    """The counterparty as printed: code and name, the village first when the scope has several."""
    text = f"{leaf.code} {leaf.name}"
    return f"{leaf.village} · {text}" if many else text


def _side_lines(leaves: list[_Leaf], names: dict[str, str], whole: tuple[str, ...], sign: int,
                many: bool) -> list[NoteLine]:
    """Counterparty lines of one side: accounts in `whole` count their whole balance (sign 1 debit, -1 credit),
    113's leaves only the part on that side."""
    out = []
    for leaf in leaves:
        o, c = sign * leaf.opening, sign * leaf.closing
        if leaf.root == SPLIT:
            o, c = max(o, ZERO), max(c, ZERO)
        elif leaf.root not in whole:
            continue
        if o or c:
            out.append(NoteLine(names[leaf.root], _detail(leaf, many), o, c))
    return out


def _biological(leaves: list[_Leaf], many: bool) -> list[NoteLine]:
    """Biological assets by category (each leaf of 131–134), accumulated depreciation as a positive amount."""
    sign = {code: s for code, _label, s in BIOLOGICAL}
    label = {code: lbl for code, lbl, _s in BIOLOGICAL}
    return [NoteLine(label[leaf.root], _detail(leaf, many), sign[leaf.root] * leaf.opening,
                     sign[leaf.root] * leaf.closing)
            for leaf in leaves if leaf.opening or leaf.closing]


def _book_lines(rows) -> dict[str, NoteLine]:
    """151–154 from the trial balance rows by code, each on the side it is printed."""
    found = {r.code: r for r in rows if r.code in BOOK_CODES}
    out = {}
    for code, (label, sign) in BOOK_CODES.items():
        r = found.get(code)
        opening, closing = (sign * r.opening, sign * r.closing) if r else (ZERO, ZERO)
        out[code] = NoteLine(label, "", opening, closing)
    return out


def _registers(session: Session, village_ids: list[int], ym: int) -> dict:
    """The parts other features add (core.hooks.statement_notes): assets by category, card facts, switch-over."""
    parts: dict = {}
    for answer in hooks.answers(hooks.statement_notes, None, session=session, village_ids=village_ids, ym=ym):
        parts.update(answer)
    return parts


def _policy_facts(session: Session, village_ids: list[int], ym: int, parts: dict) -> PolicyFacts:
    """What the policies say about this scope: when its books start, whether switched over, its cards."""
    if len(village_ids) != 1:
        return PolicyFacts(ym=ym, villages=len(village_ids))
    vid = village_ids[0]
    start = start_of(session, vid)
    cards = parts.get("cards") or CardFacts()
    return PolicyFacts(ym=ym, villages=1, start_ym=start.start_ym if start else None,
                       switched=bool(parts.get("switched")),
                       adjustments=len(adjustments_of(session, vid)) if start else 0,
                       cards=cards.count, not_depreciated=cards.not_depreciated, salvage=cards.salvage)


def statement_notes(session: Session, village_ids: list[int], ym: int, org: str) -> StatementNotes:
    """The 附注 of the scope for month ym (the year to date; 年初数 are the balances at the end of last year)."""
    villages = names_by_id(session, Village, village_ids) if len(village_ids) > 1 else {}
    many = len(village_ids) > 1
    roots = RECEIVABLE_ROOTS + PAYABLE_ROOTS + (SPLIT,)
    names = dict(session.execute(select(Account.code, Account.name).where(
        Account.village_id == village_ids[0], Account.code.in_(roots))).all()) if village_ids else {}
    leaves = _leaves(session, village_ids, roots, ym, villages) if village_ids else []
    bio = _leaves(session, village_ids, [c for c, _l, _s in BIOLOGICAL], ym, villages) if village_ids else []
    losses = _leaves(session, village_ids, (LOSS_ROOT,), ym, villages) if village_ids else []
    rows = trial_balance(session, village_ids, year_start(ym), ym)
    st = income_statement(session, village_ids, ym, org)
    dist = [(f"{ln.prefix}{ln.item}", ln.values[1]) for ln in st.lines
            if ln.row_no is not None and (ln.item == PROFIT_ITEM or ln.row_no >= layouts.DISTRIBUTION_FROM)]
    parts = _registers(session, village_ids, ym) if village_ids else {}
    return StatementNotes(
        org, ym, policy_texts(_policy_facts(session, village_ids, ym, parts)),
        _side_lines(leaves, names, RECEIVABLE_ROOTS, 1, many), _side_lines(leaves, names, PAYABLE_ROOTS, -1, many),
        parts.get("assets", []), _book_lines(rows), _biological(bio, many),
        [NoteLine("待处理财产损溢", _detail(x, many), x.opening, x.closing) for x in losses if x.opening or x.closing],
        dist)
