"""Village reimbursement claims (村级报账): submitted by the village, turned into a voucher draft."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

import threeassets.ledger.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base, Money
from threeassets.core.distribution import owned_fk, owned_join


class Claim(Base):
    """A claim of one village: payee, lines, receipts, sign-offs; draft → submitted → received → accepted/returned."""

    __tablename__ = "claim"
    __table_args__ = (
        Index("ix_claim_village_status", "village_id", "status"),
        CheckConstraint("status in ('draft','submitted','received','accepted','returned')", name="status"),
        owned_fk("voucher_id", "voucher"),
        Index("ix_claim_voucher", "voucher_id", "village_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    number: Mapped[str] = mapped_column(String(24), default="")
    payee: Mapped[str] = mapped_column(String(100))
    payee_kind: Mapped[str] = mapped_column(String(8), default="person", server_default="person")  # person | firm
    payee_account: Mapped[str] = mapped_column(String(40), default="")  # bank account (masked when shown)
    pay_method: Mapped[str] = mapped_column(String(6), default="bank")  # bank | cash
    occurred_on: Mapped[date] = mapped_column(Date)
    total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    handler_name: Mapped[str] = mapped_column(String(50), default="")  # 经办人
    oversight_name: Mapped[str] = mapped_column(String(50), default="")  # 民主理财小组
    head_name: Mapped[str] = mapped_column(String(50), default="")  # 村主任
    contact_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")  # the case's applicant
    signed_on: Mapped[date | None] = mapped_column(Date)
    white_slip: Mapped[bool] = mapped_column(default=False)  # 白条: some line lacks a proper invoice
    status: Mapped[str] = mapped_column(String(10), default="draft")
    return_reason: Mapped[str | None] = mapped_column(Text)
    voucher_id: Mapped[int | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    lines: Mapped[list[ClaimLine]] = relationship(back_populates="claim", order_by="ClaimLine.seq",
                                                  **owned_join("ClaimLine", "claim_id", "Claim"),
                                                  cascade="all, delete-orphan")


class ClaimLine(Base):
    """One expense of a claim: purpose, suggested account, amount, and whether a proper invoice backs it."""

    __tablename__ = "claim_line"
    __table_args__ = (owned_fk("claim_id", "claim"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    claim_id: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int]
    purpose: Mapped[str] = mapped_column(String(200))
    account_code: Mapped[str] = mapped_column(String(32), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    invoice: Mapped[str] = mapped_column(String(12), default="vat")  # vat 增值税发票 | receipt 收据 | none 白条
    claim: Mapped[Claim] = relationship(back_populates="lines", **owned_join("ClaimLine", "claim_id", "Claim"))
