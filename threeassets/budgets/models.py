"""Annual budgets per village, year and account."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.ledger.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base, Money
from threeassets.core.distribution import owned_fk


class Budget(Base):
    """The budgeted amount of an account for a village's year (income and expense accounts mostly)."""

    __tablename__ = "budget"
    __table_args__ = (UniqueConstraint("village_id", "year", "account_id"), owned_fk("account_id", "account"),
                      Index("ix_budget_account", "account_id", "village_id"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    year: Mapped[int]
    account_id: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(String(200), default="")
