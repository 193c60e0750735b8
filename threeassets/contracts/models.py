"""Contracts that let a village's assets or resources (发包、出租、投资), their subjects and installments."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import threeassets.assets.models  # noqa: F401  (tables its foreign keys name)
import threeassets.resources.models  # noqa: F401
from threeassets.core.db import Base, Money
from threeassets.core.distribution import owned_fk, owned_join


class Contract(Base):
    """A contract of one village: counterparty, how it was awarded, term, price, deposit, installments.

    status: draft (being prepared, holds nothing) → active (in force: its subjects are let) → ended (到期, on or
    after ends_on) | terminated (解除 early) | renewed (a renewal referencing it took effect). Expiring contracts
    are the active ones whose ends_on is near. deposit is the agreed 履约保证金; deposit_received what is held
    now (received less refunded), booked in 211.
    """

    __tablename__ = "contract"
    __table_args__ = (
        UniqueConstraint("village_id", "code"),
        Index("ix_contract_village_status_end", "village_id", "status", "ends_on"),
        CheckConstraint("ends_on >= starts_on", name="term"),
        CheckConstraint("status in ('draft','active','ended','terminated','renewed')", name="status"),
        owned_fk("decision_id", "decision_record"),
        owned_fk("renews_id", "contract"),
        Index("ix_contract_decision", "decision_id", "village_id"),
        Index("ix_contract_renews", "renews_id", "village_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(12))  # contracting 发包 | lease 出租 | investment 投资
    party_type: Mapped[str] = mapped_column(String(8))  # person | org
    party_name: Mapped[str] = mapped_column(String(100))
    party_id_no: Mapped[str] = mapped_column(String(18))  # resident ID or 统一社会信用代码 (validated)
    party_phone: Mapped[str] = mapped_column(String(20), default="")
    party_address: Mapped[str] = mapped_column(String(200), default="")
    award_method: Mapped[str] = mapped_column(String(12))  # bidding | auction | negotiation
    decision_id: Mapped[int | None]
    signed_on: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    total_price: Mapped[Decimal] = mapped_column(Money)
    deposit: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    deposit_received: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    income_account: Mapped[str] = mapped_column(String(32), default="501")  # 501 经营收入 (502 投资收益 …)
    status: Mapped[str] = mapped_column(String(12), default="active")
    renews_id: Mapped[int | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    installments: Mapped[list[Installment]] = relationship(
        back_populates="contract", order_by="Installment.seq", **owned_join("Installment", "contract_id", "Contract"))
    subjects: Mapped[list[ContractSubject]] = relationship(
        back_populates="contract", **owned_join("ContractSubject", "contract_id", "Contract"))


class ContractSubject(Base):
    """An asset or a resource let by a contract (exactly one of the two)."""

    __tablename__ = "contract_subject"
    __table_args__ = (
        Index("ix_contract_subject_resource", "village_id", "resource_id"),
        Index("ix_contract_subject_asset", "village_id", "asset_id"),
        CheckConstraint("(asset_id is null) <> (resource_id is null)", name="one_subject"),
        owned_fk("contract_id", "contract"),
        owned_fk("asset_id", "asset"),
        owned_fk("resource_id", "resource"),
        Index("ix_contract_subject_contract", "contract_id", "village_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    contract_id: Mapped[int]
    asset_id: Mapped[int | None]
    resource_id: Mapped[int | None]
    area_mu: Mapped[Decimal | None] = mapped_column(Money)
    contract: Mapped[Contract] = relationship(
        back_populates="subjects", **owned_join("ContractSubject", "contract_id", "Contract"))


class Installment(Base):
    """One scheduled payment (收款计划): falls due into 112 应收款, cleared by receipts.

    amount is what falls due on due_on; received what has been received so far. status: scheduled (not yet
    accrued) → due (accrued into 112, nothing received) → partial → paid; cancelled when the contract was
    terminated before it fell due. Overdue = due_on < today and received < amount, status not cancelled.
    """

    __tablename__ = "installment"
    __table_args__ = (
        UniqueConstraint("contract_id", "seq", "village_id"),
        Index("ix_installment_village_due", "village_id", "status", "due_on"),
        CheckConstraint("status in ('scheduled','due','partial','paid','cancelled')", name="status"),
        owned_fk("contract_id", "contract"),
        owned_fk("accrual_voucher_id", "voucher"),
        Index("ix_installment_contract", "contract_id", "village_id"),
        Index("ix_installment_accrual_voucher", "accrual_voucher_id", "village_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    contract_id: Mapped[int]
    seq: Mapped[int]
    due_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    received: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    accrual_voucher_id: Mapped[int | None]
    contract: Mapped[Contract] = relationship(
        back_populates="installments", **owned_join("Installment", "contract_id", "Contract"))


class Receipt(Base):
    """Money received against a contract (installment or deposit), with the voucher it posted."""

    __tablename__ = "contract_receipt"
    __table_args__ = (
        Index("ix_contract_receipt_village_contract", "village_id", "contract_id"),
        owned_fk("contract_id", "contract"),
        owned_fk("installment_id", "installment"),
        owned_fk("voucher_id", "voucher"),
        Index("ix_contract_receipt_installment", "installment_id", "village_id"),
        Index("ix_contract_receipt_voucher", "voucher_id", "village_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    contract_id: Mapped[int]
    installment_id: Mapped[int | None]
    kind: Mapped[str] = mapped_column(String(12), default="installment")  # installment | deposit | refund
    received_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    method: Mapped[str] = mapped_column(String(6), default="bank")  # bank (102) | cash (101)
    voucher_id: Mapped[int | None]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
