"""Stored closing balances of closed periods."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.ledger.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base, Money
from threeassets.core.distribution import owned_fk


class PeriodBalance(Base):
    """Net debit balance (debit − credit, all history) of a leaf account at the end of a closed month."""

    __tablename__ = "period_balance"
    __table_args__ = (owned_fk("account_id", "account"),)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(primary_key=True)
    balance: Mapped[Decimal] = mapped_column(Money)
