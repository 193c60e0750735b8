"""Opening balances (期初余额) of a village: read them, and save a village's whole set at once. The figures are
carried into the books as turnover of the months before the start (rules.carrier_months), so every report that
reads balances and turnover reads them as openings. Services never commit."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, aliased

from threeassets.auth.models import User
from threeassets.core.audit import record
from threeassets.core.periods import ym_label
from threeassets.ledger.chart import SubAccountRefused, accounts_of, add_sub_accounts
from threeassets.ledger.models import Account, AccountTurnover, Period, Voucher
from threeassets.ledger.openings.models import OpeningAdjustment, OpeningBalance, OpeningStart
from threeassets.ledger.openings.rules import (
    ADJUSTMENT_KINDS,
    FIELDS,
    OpeningFigures,
    adjusted,
    adjustment_problems,
    balance_problems,
    carrier_months,
    roll_up,
    row_problems,
    seal_of,
    totals,
    turnover_of,
)
from threeassets.ledger.posting import add_turnover, open_period
from threeassets.ledger.rules import LedgerError, VoucherStatus


@dataclass(frozen=True)
class OpeningRow:
    """One account's figures as typed or imported; name names a new sub-account (code = a leaf's code + 2–4
    digits). where says where it came from (an import line), for the error list."""

    code: str
    figures: OpeningFigures
    name: str = ""
    where: int | None = None


class OpeningsInvalid(LedgerError):
    """The set was refused; problems are (where, column, reason): where is an import line or an account code."""

    def __init__(self, problems: list[tuple[object, str, str]]) -> None:
        super().__init__("期初余额未保存：" + "；".join(reason for _w, _c, reason in problems[:3]))
        self.problems = problems


def start_of(session: Session, village_id: int) -> OpeningStart | None:
    return session.get(OpeningStart, village_id)


def figures_of(session: Session, village_id: int) -> dict[str, OpeningFigures]:
    """The stored figures by leaf account code."""
    q = (select(Account.code, OpeningBalance.year_debit, OpeningBalance.year_credit, OpeningBalance.ytd_debit,
                OpeningBalance.ytd_credit)
         .join(Account, Account.id == OpeningBalance.account_id).where(OpeningBalance.village_id == village_id))
    return {code: OpeningFigures(*amounts) for code, *amounts in session.execute(q)}


@dataclass(frozen=True)
class GridRow:
    """An account on the opening balances page: its own figures (leaves) or the roll-up (parents)."""

    account: Account
    figures: OpeningFigures


def grid(session: Session, village_id: int) -> list[GridRow]:
    """Every account in code order with its figures, parents rolled up from their leaves."""
    accounts = accounts_of(session, village_id)
    by_id = {a.id: a for a in accounts}
    parent_of = {a.code: (by_id[a.parent_id].code if a.parent_id in by_id else None) for a in accounts}
    rolled = roll_up(figures_of(session, village_id), parent_of)
    return [GridRow(a, rolled.get(a.code, OpeningFigures())) for a in accounts]


def _locked_problem(session: Session, village_id: int, start_ym: int, old: OpeningStart | None) -> str | None:
    """Why the openings cannot be saved with this start: a closed month at or after the carriers (the start
    month closed locks them), a voucher before the start."""
    first = min(carrier_months(start_ym)[0], carrier_months(old.start_ym)[0] if old else start_ym)
    closed = session.scalar(select(func.max(Period.ym)).where(
        Period.village_id == village_id, Period.ym >= first, Period.status != "open"))
    if closed is not None:
        return f"{ym_label(closed)} 已结账，期初余额已锁定；如需修改请由中心主任反结账"
    early = session.scalar(select(func.min(Voucher.ym)).where(Voucher.village_id == village_id,
                                                              Voucher.ym < start_ym))
    if early is not None:
        return f"本村已有 {ym_label(early)} 的凭证，建账月份不能晚于 {ym_label(early)}"
    return None


def _resolve(session: Session, village_id: int, rows: list[OpeningRow], problems: list) -> dict[str, Account]:
    """code → leaf account for every row; new sub-accounts are planned (created later), unknown codes noted."""
    accounts = {a.code: a for a in accounts_of(session, village_id)}
    seen: set[str] = set()
    for row in rows:
        where = row.where if row.where is not None else row.code
        if row.code in seen:
            problems.append((where, "account_code", f"科目 {row.code} 重复出现"))
        seen.add(row.code)
        account = accounts.get(row.code)
        if account is not None and not account.is_leaf:
            problems.append((where, "account_code", f"科目 {row.code} 有下级科目，请填在明细科目上"))
        elif account is None and not row.name.strip():
            problems.append((where, "account_code", f"科目 {row.code} 不存在；新增明细科目请同时填写科目名称"))
        elif account is None and _parent_of(accounts, row.code) is None:
            problems.append((where, "account_code", f"科目 {row.code} 不在本村科目表中，找不到上级科目"))
    return accounts


def _parent_of(accounts: dict[str, Account], code: str) -> Account | None:
    """The account a new sub-account's code hangs under: the longest existing code it extends."""
    return max((a for c, a in accounts.items() if code.startswith(c) and c != code), key=lambda a: len(a.code),
               default=None)


def _write_turnover(session: Session, village_id: int, start_ym: int, figures: dict[int, OpeningFigures],
                    sign: int) -> None:
    totals_: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for account_id, f in figures.items():
        for ym, debit, credit in turnover_of(f, start_ym):
            totals_[(account_id, ym)][0] += sign * debit
            totals_[(account_id, ym)][1] += sign * credit
    add_turnover(session, village_id, totals_)


def save_openings(session: Session, *, village, start_ym: int, rows: list[OpeningRow], actor) -> OpeningStart:
    """Replace the village's opening balances with `rows` (zero rows may be left out) starting at start_ym.
    Refused as a whole (OpeningsInvalid, nothing written) when a row is wrong, the start month is closed, a
    voucher is dated before the start, or the set does not balance while vouchers are already posted."""
    old = start_of(session, village.id)
    old_ym = old.start_ym if old is not None else None
    if why := _locked_problem(session, village.id, start_ym, old):
        raise OpeningsInvalid([(None, "start_period", why)])
    try:  # refuses a closed start month with the books' own words
        open_period(session, village.id, start_ym, moving_start=True)
    except LedgerError as exc:
        raise OpeningsInvalid([(None, "start_period", str(exc))]) from None
    problems: list[tuple[object, str, str]] = []
    accounts = _resolve(session, village.id, rows, problems)
    for row in rows:
        for col, why in row_problems(row.figures, start_ym).items():
            problems.append((row.where if row.where is not None else row.code, col, f"科目 {row.code}：{why}"))
    balanced = not balance_problems(r.figures for r in rows)
    posted = session.scalar(select(func.count()).select_from(Voucher).where(
        Voucher.village_id == village.id, Voucher.status == VoucherStatus.POSTED))
    if not balanced and posted:
        problems += [(None, "balance", why) for why in balance_problems(r.figures for r in rows)]
        problems.append((None, "balance", "本村已有记账凭证，期初余额必须试算平衡才能保存"))
    if problems:
        raise OpeningsInvalid(problems)

    stored = {ob.account_id: OpeningFigures(*(getattr(ob, f) for f in FIELDS)) for ob in session.scalars(
        select(OpeningBalance).where(OpeningBalance.village_id == village.id))}
    if old is not None:
        _write_turnover(session, village.id, old.start_ym, stored, -1)
    session.execute(delete(OpeningBalance).where(OpeningBalance.village_id == village.id))
    session.flush()
    new_figures: dict[int, OpeningFigures] = {}
    _create_sub_accounts(session, village.id, accounts, rows, actor)
    for row in rows:
        account = accounts[row.code]
        if not row.figures.is_zero:
            new_figures[account.id] = row.figures
            session.add(OpeningBalance(village_id=village.id, account_id=account.id,
                                       **{f: getattr(row.figures, f) for f in FIELDS}))
    _write_turnover(session, village.id, start_ym, new_figures, 1)
    _drop_empty_carriers(session, village.id, max(start_ym, old.start_ym if old else start_ym))

    codes = {a.id: a.code for a in accounts.values()}
    seal = seal_of(start_ym, [(codes[aid], f) for aid, f in new_figures.items()])
    start = old or OpeningStart(village_id=village.id)
    start.start_ym, start.balanced, start.seal = start_ym, balanced, seal
    start.updated_by_id, start.updated_at = getattr(actor, "id", None), datetime.now().replace(microsecond=0)
    session.add(start)
    session.flush()
    t = totals(new_figures.values())
    record(session, "opening.save", actor=actor, township_id=village.township_id, village_id=village.id, obj=start,
           detail={"start": ym_label(start_ym), "accounts": len(new_figures), "balanced": balanced, "seal": seal,
                   "year_debit": t.year_debit, "year_credit": t.year_credit, "ytd_debit": t.ytd_debit,
                   "ytd_credit": t.ytd_credit, "before": ym_label(old_ym) if old_ym else None})
    return start


def _create_sub_accounts(session: Session, village_id: int, accounts: dict[str, Account], rows: list[OpeningRow],
                         actor) -> None:
    """The rows' new sub-accounts, a batch per parent (shorter codes first, so a new parent exists before its
    children); a refused one is an OpeningsInvalid on its row."""
    new = [r for r in rows if r.code not in accounts]
    for length in sorted({len(r.code) for r in new}):
        groups: dict[str, list[OpeningRow]] = defaultdict(list)
        for r in (r for r in new if len(r.code) == length):
            groups[_parent_of(accounts, r.code).code].append(r)
        for parent_code, group in groups.items():
            parent = accounts[parent_code]
            try:
                made = add_sub_accounts(session, village_id=village_id, parent=parent, actor=actor,
                                        children=[(r.code[len(parent_code):], r.name) for r in group])
            except SubAccountRefused as exc:
                row = group[exc.index]
                raise OpeningsInvalid([(row.where if row.where is not None else row.code, "account_name",
                                        str(exc))]) from None
            accounts.update((a.code, a) for a in made)


def _drop_empty_carriers(session: Session, village_id: int, before: int) -> None:
    """Turnover rows left at zero by replaced figures in the months before the start (they hold nothing else)."""
    session.execute(delete(AccountTurnover).where(
        AccountTurnover.village_id == village_id, AccountTurnover.ym < before, AccountTurnover.debit == 0,
        AccountTurnover.credit == 0))


def adjustments_of(session: Session, village_id: int) -> list[OpeningAdjustment]:
    """The village's stock-take adjustments, oldest first."""
    return list(session.scalars(select(OpeningAdjustment).where(OpeningAdjustment.village_id == village_id)
                                .order_by(OpeningAdjustment.id)))


def start_locked(session: Session, village_id: int) -> bool:
    """Whether the village's start month is closed: its figures and adjustments are then locked until the head
    reopens it."""
    start = start_of(session, village_id)
    return start is not None and session.scalar(select(Period.status).where(
        Period.village_id == village_id, Period.ym == start.start_ym)) not in (None, "open")


@dataclass(frozen=True)
class AdjustmentLine:
    """A stock-take adjustment as the lists show it: kind, the two accounts, amount, reason, who and when."""

    kind: str
    debit_code: str
    debit_name: str
    credit_code: str
    credit_name: str
    amount: Decimal
    reason: str
    author: str
    created_at: datetime


def adjustment_list(session: Session, village_id: int) -> list[AdjustmentLine]:
    """The village's stock-take adjustments, oldest first, with account names and author."""
    dr, cr = aliased(Account), aliased(Account)
    q = (select(OpeningAdjustment.kind, dr.code, dr.full_name, cr.code, cr.full_name, OpeningAdjustment.amount,
                OpeningAdjustment.reason, User.display_name, OpeningAdjustment.created_at)
         .join(dr, dr.id == OpeningAdjustment.debit_account_id)
         .join(cr, cr.id == OpeningAdjustment.credit_account_id)
         .outerjoin(User, User.id == OpeningAdjustment.created_by_id)
         .where(OpeningAdjustment.village_id == village_id).order_by(OpeningAdjustment.id))
    return [AdjustmentLine(ADJUSTMENT_KINDS.get(kind, kind), dc, dn, cc, cn, amount, reason, author or "", at)
            for kind, dc, dn, cc, cn, amount, reason, author, at in session.execute(q)]


RESULT_CODE = "321"  # 本年收益: empty at a year's start, like every income and expense account


def add_adjustment(session: Session, *, village, kind: str, debit_code: str, credit_code: str, amount: Decimal | None,
                   reason: str, actor) -> OpeningAdjustment:
    """清产核资调整: move the 年初余额 of two leaf accounts by the amount (debit one, credit the other), saved through
    save_openings (sealed, audited, refused once the start month is closed) and kept with its reason."""
    problems = adjustment_problems(kind, debit_code.strip(), credit_code.strip(), amount, reason)
    start = start_of(session, village.id)
    if start is None:
        raise OpeningsInvalid([(None, "start_period", "请先录入期初余额，再登记清产核资调整")])
    leaves = {a.code: a for a in accounts_of(session, village.id) if a.is_leaf}
    for field_, code in (("debit", debit_code.strip()), ("credit", credit_code.strip())):
        if not code or field_ in problems:
            continue
        if code not in leaves:
            problems[field_] = f"科目 {code} 不是本村的末级科目"
        elif leaves[code].category in ("income", "expense") or code.startswith(RESULT_CODE):
            problems[field_] = f"科目 {code} 是损益类或本年收益科目，年初不应有余额"
    if problems:
        raise OpeningsInvalid([(None, f, why) for f, why in problems.items()])
    figures = figures_of(session, village.id)
    for code, change in ((debit_code.strip(), amount), (credit_code.strip(), -amount)):
        figures[code] = adjusted(figures.get(code, OpeningFigures()), change)
    save_openings(session, village=village, start_ym=start.start_ym, actor=actor,
                  rows=[OpeningRow(code, f) for code, f in figures.items()])
    row = OpeningAdjustment(village_id=village.id, kind=kind, debit_account_id=leaves[debit_code.strip()].id,
                            credit_account_id=leaves[credit_code.strip()].id, amount=amount, reason=reason.strip(),
                            created_by_id=getattr(actor, "id", None))
    session.add(row)
    session.flush()
    record(session, "opening.adjust", actor=actor, township_id=village.township_id, village_id=village.id, obj=row,
           detail={"kind": ADJUSTMENT_KINDS[kind], "debit": debit_code.strip(), "credit": credit_code.strip(),
                   "amount": amount, "reason": reason.strip()})
    return row
