"""Read-only contract queries: the searchable list, receivables and arrears, expiring contracts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import BigInteger, Select, func, select
from sqlalchemy.orm import Session

from threeassets.contracts.models import Contract, ContractSubject, Installment
from threeassets.contracts.rules import KINDS, OPEN_INSTALLMENT, SOON_DAYS, STATUS_LABELS, days_overdue
from threeassets.core.db import fen
from threeassets.core.money import from_fen
from threeassets.core.pagination import search_filters
from threeassets.orgs.models import Village


def search(village_id: int, args) -> Select:
    """The village's contracts matching the list filters (status, kind, keyword), newest first."""
    q = search_filters(select(Contract).where(Contract.village_id == village_id), args,
                       {"status": (Contract.status, STATUS_LABELS), "kind": (Contract.kind, KINDS)},
                       (Contract.code, Contract.title, Contract.party_name))
    return q.order_by(Contract.starts_on.desc(), Contract.code)


def active_contract_of_resource(session: Session, village_id: int, resource_id: int) -> str | None:
    """The code of an active contract that lets the resource, or None."""
    return session.scalar(select(Contract.code).join(ContractSubject, ContractSubject.contract_id == Contract.id)
                          .where(Contract.village_id == village_id, ContractSubject.resource_id == resource_id,
                                 Contract.status == "active").limit(1))


def contracts_of_resource(session: Session, village_id: int, resource_id: int):
    """(contract, subject) pairs that let a resource, newest first."""
    q = (select(Contract, ContractSubject).join(ContractSubject, ContractSubject.contract_id == Contract.id)
         .where(Contract.village_id == village_id, ContractSubject.resource_id == resource_id)
         .order_by(Contract.starts_on.desc()))
    return [(c, s) for c, s in session.execute(q)]


@dataclass
class Arrear:
    """An installment still to be received, with its contract, village and days overdue."""

    village: Village
    contract: Contract
    inst: Installment
    days: int

    @property
    def outstanding(self):
        """What is still to be received."""
        return self.inst.amount - self.inst.received


def receivables(session: Session, village_ids: list[int], today: date, overdue_only: bool = False,
                soon_days: int = SOON_DAYS) -> list[Arrear]:
    """Unpaid installments of contracts in force due by today + soon_days (or only overdue ones), oldest first."""
    horizon = today - timedelta(days=1) if overdue_only else today + timedelta(days=soon_days)
    q = (select(Village, Contract, Installment).join(Contract, Contract.village_id == Village.id)
         .join(Installment, Installment.contract_id == Contract.id)
         .where(Installment.village_id.in_(village_ids), Installment.status.in_(OPEN_INSTALLMENT),
                Installment.due_on <= horizon, Contract.status != "draft")
         .order_by(Installment.due_on, Village.code, Contract.code, Installment.seq))
    return [Arrear(v, c, i, days_overdue(i.due_on, today)) for v, c, i in session.execute(q)]


@dataclass
class Expiring:
    """A contract in force ending within the lead time (days left may be negative: past its end, not closed)."""

    village: Village
    contract: Contract
    days_left: int


def expiring(session: Session, village_ids: list[int], today: date, lead_days: int) -> list[Expiring]:
    """Active contracts whose end date is within lead_days from today (or already past), soonest first."""
    q = (select(Village, Contract).join(Contract, Contract.village_id == Village.id)
         .where(Contract.village_id.in_(village_ids), Contract.status == "active",
                Contract.ends_on <= today + timedelta(days=lead_days))
         .order_by(Contract.ends_on, Village.code, Contract.code))
    return [Expiring(v, c, (c.ends_on - today).days) for v, c in session.execute(q)]


def renewal_of(session: Session, contract: Contract) -> Contract | None:
    """The contract that renews this one, if any."""
    return session.scalar(select(Contract).where(Contract.village_id == contract.village_id,
                                                 Contract.renews_id == contract.id).limit(1))


def renewed_ids(session: Session, contracts: list[Contract]) -> set[int]:
    """Which of the contracts a renewal has been made for, in their own villages (one query for a list)."""
    if not contracts:
        return set()
    return set(session.scalars(select(Contract.renews_id).where(
        Contract.village_id.in_({c.village_id for c in contracts}), Contract.renews_id.in_([c.id for c in contracts]))))


@dataclass(frozen=True)
class ReceivableLine:
    """A counterparty's unpaid accrued installments beside the 112 应收款 balance the books hold for it."""

    name: str
    register: Decimal  # accrued and unpaid installments (due or partial)
    books: Decimal  # the 112 leaf named after the party (112 itself when it has no sub-accounts)

    @property
    def difference(self) -> Decimal:
        """Books minus register: what the books hold beyond the contracts (other receivables, or a mistake)."""
        return self.books - self.register


def receivable_reconciliation(session: Session, village_id: int, ym: int) -> list[ReceivableLine]:
    """应收款对账: per counterparty, the contracts' accrued and unpaid installments against 112's balance at the
    end of month ym (its opening balances included); 112 without sub-accounts is one line, 应收款（未设明细）."""
    from threeassets.closing.balances import balances_at
    from threeassets.ledger.models import Account
    root = session.scalar(select(Account).where(Account.village_id == village_id, Account.code == "112"))
    if root is None:
        return []
    leaves = {a.id: a for a in session.scalars(select(Account).where(
        Account.village_id == village_id, Account.code.startswith("112"), Account.is_leaf.is_(True)))}
    books = {}
    for aid, net in balances_at(session, village_id, ym, list(leaves)).items():
        name = leaves[aid].name if leaves[aid].id != root.id else "应收款（未设明细）"
        books[name] = books.get(name, Decimal(0)) + net
    owed_fen = func.sum(fen(Installment.amount) - fen(Installment.received), type_=BigInteger)
    q = (select(Contract.party_name, owed_fen)
         .join(Installment, Installment.contract_id == Contract.id)
         .where(Contract.village_id == village_id, Installment.village_id == village_id,
                Installment.status.in_(("due", "partial")))
         .group_by(Contract.party_name))
    register = {}
    for party, owed in session.execute(q):
        name = party if not root.is_leaf else "应收款（未设明细）"
        register[name] = register.get(name, Decimal(0)) + from_fen(int(owed or 0))
    names = sorted(set(books) | set(register))
    return [ReceivableLine(n, register.get(n, Decimal(0)), books.get(n, Decimal(0))) for n in names]
