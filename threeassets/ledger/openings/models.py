"""Stored opening balances: one start per village, one row of figures per leaf account."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.ledger.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base, Money
from threeassets.core.distribution import owned_fk


class OpeningStart(Base):
    """When a village came onto the system, and the seal over its opening figures."""

    __tablename__ = "opening_start"
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    start_ym: Mapped[int]  # the first month kept in the system: 202607
    balanced: Mapped[bool] = mapped_column(default=True)  # 试算平衡 holds: posting needs it
    # SHA-256 of the canonical text of the figures (rules.seal_text); written on every save and recorded in the
    # audit row of that save, so that verify can tell figures edited outside the application.
    seal: Mapped[str] = mapped_column(String(64), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime | None]


class OpeningBalance(Base):
    """The opening figures of one leaf account: 年初余额 (one side) and the year's turnover before the start."""

    __tablename__ = "opening_balance"
    __table_args__ = (owned_fk("account_id", "account"),)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(primary_key=True)
    year_debit: Mapped[Decimal] = mapped_column(Money, default=0)
    year_credit: Mapped[Decimal] = mapped_column(Money, default=0)
    ytd_debit: Mapped[Decimal] = mapped_column(Money, default=0)
    ytd_credit: Mapped[Decimal] = mapped_column(Money, default=0)


class OpeningAdjustment(Base):
    """A stock-take adjustment of the opening balances (清产核资调整): one debit and one credit account, an amount
    and the reason, applied to the 年初余额 while the start month is open. Kept as the list that explains them."""

    __tablename__ = "opening_adjustment"
    __table_args__ = (owned_fk("debit_account_id", "account"), owned_fk("credit_account_id", "account"),
                      Index("ix_opening_adjustment_debit", "debit_account_id", "village_id"),
                      Index("ix_opening_adjustment_credit", "credit_account_id", "village_id"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True, primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    kind: Mapped[str] = mapped_column(String(16))
    debit_account_id: Mapped[int]
    credit_account_id: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Money)
    reason: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
