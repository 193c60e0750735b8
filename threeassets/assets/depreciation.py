"""The month's depreciation run: a preview per card, then one voucher (借 511/513/514 贷 152). Never commits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from threeassets.assets.models import Asset, AssetChange
from threeassets.assets.rules import (
    EXPENSE_ACCOUNT,
    LIVE,
    PURPOSE_LABELS,
    ZERO,
    amount_for_month,
    card_refusal,
    month_index,
    monthly_amount,
)
from threeassets.assets.service import change, facts_of
from threeassets.core.audit import record
from threeassets.core.errors import RuleError
from threeassets.core.periods import month_end, ym_label
from threeassets.core.workflow import refuse
from threeassets.ledger.generated import post_generated
from threeassets.ledger.models import Voucher
from threeassets.ledger.rules import LineInput


@dataclass
class PreviewRow:
    """One card in the month's run: what it takes this month and why nothing, if nothing."""

    asset: Asset
    monthly: Decimal
    amount: Decimal
    accumulated_after: Decimal
    account_code: str
    reason: str = ""

    @property
    def net_after(self) -> Decimal:
        """Net book value after this month."""
        return self.asset.original_cost - self.accumulated_after


@dataclass
class Preview:
    """The month's run: rows, totals per expense account, and whether it was already run."""

    ym: int
    rows: list[PreviewRow]
    done_voucher: Voucher | None = None

    @property
    def total(self) -> Decimal:
        """Depreciation of the month."""
        return sum((r.amount for r in self.rows), ZERO)

    @property
    def by_account(self) -> dict[str, Decimal]:
        """Expense account code → amount (the debit lines of the voucher)."""
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for r in self.rows:
            if r.amount:
                out[r.account_code] += r.amount
        return dict(sorted(out.items()))


def _why_nothing(a: Asset, ym: int) -> str:
    """Why a card takes nothing this month."""
    if not a.depreciate:
        return "不计提折旧"
    if a.depreciated_through and a.depreciated_through >= ym:
        return f"已计提至 {ym_label(a.depreciated_through)}"
    k = month_index(a.acquired_on, ym)
    if k < 1:
        return "当月增加的资产当月不提，下月起提"
    if k > a.useful_life_months:
        return "已超过使用年限"
    return "已提足折旧"


def done_run(session: Session, village_id: int, ym: int) -> Voucher | None:
    """The voucher of the month's run if it was already posted."""
    q = (select(Voucher).join(AssetChange, AssetChange.voucher_id == Voucher.id)
         .where(AssetChange.village_id == village_id, AssetChange.kind == "depreciation", AssetChange.ym == ym)
         .limit(1))
    return session.scalar(q)


def preview(session: Session, village_id: int, ym: int) -> Preview:
    """Every card still on the books with what it depreciates in month ym (nothing is written)."""
    q = select(Asset).where(Asset.village_id == village_id, Asset.status.in_(LIVE)).order_by(Asset.code)
    rows = []
    for a in session.scalars(q):
        amount = ZERO
        if a.depreciate and not (a.depreciated_through and a.depreciated_through >= ym):
            amount = amount_for_month(a.original_cost, a.salvage_rate, a.useful_life_months, a.acquired_on, ym,
                                      a.accumulated_depreciation)
        rows.append(PreviewRow(a, monthly_amount(a.original_cost, a.salvage_rate, a.useful_life_months), amount,
                               a.accumulated_depreciation + amount, EXPENSE_ACCOUNT[a.purpose],
                               "" if amount else _why_nothing(a, ym)))
    return Preview(ym, rows, done_run(session, village_id, ym))


def _refuse_twice(session: Session, village_id: int, ym: int, p: Preview) -> None:
    """Once per period, and never a month before one already run."""
    if p.done_voucher is not None:
        raise RuleError(f"{ym_label(ym)} 已计提折旧（凭证 {p.done_voucher.label}），每期只能计提一次")
    later = [r.asset.depreciated_through for r in p.rows if r.asset.depreciated_through
             and r.asset.depreciated_through > ym]
    if later:
        raise RuleError(f"已计提至 {ym_label(max(later))}，不能再计提更早的 {ym_label(ym)}")


def run(session: Session, *, village, ym: int, actor) -> Voucher:
    """Post the month's depreciation voucher (dated the month's last day) and update every card."""
    p = preview(session, village.id, ym)
    _refuse_twice(session, village.id, ym, p)
    if p.total == 0:
        raise RuleError(f"{ym_label(ym)} 没有需要计提折旧的资产")
    on = month_end(ym)
    label = ym_label(ym)
    purpose_of = {code: p_ for p_, code in EXPENSE_ACCOUNT.items()}
    lines = [LineInput(f"计提{label}折旧（{PURPOSE_LABELS[purpose_of[code]]}资产）", code, debit=amount)
             for code, amount in p.by_account.items()]
    lines.append(LineInput(f"计提{label}折旧", "152", credit=p.total))
    voucher = post_generated(session, village=village, on=on, kind="depreciation", lines=lines, actor=actor)
    for r in p.rows:
        if not r.amount:
            continue
        refuse(card_refusal(facts_of(r.asset), "depreciate"))
        r.asset.accumulated_depreciation += r.amount
        r.asset.depreciated_through = ym
        change(session, r.asset, "depreciation", on, actor, amount=r.amount, voucher_id=voucher.id)
    record(session, "asset.depreciate", actor=actor, township_id=village.township_id, village_id=village.id,
           obj=voucher, detail={"ym": ym, "total": p.total, "cards": sum(1 for r in p.rows if r.amount),
                                "number": voucher.number})
    return voucher

