"""Annual budgets per village, year and account."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from threeassets.core.db import Base, Money


class Budget(Base):
    """The budgeted amount of an account for a village's year (income and expense accounts mostly)."""

    __tablename__ = "budget"
    __table_args__ = (UniqueConstraint("village_id", "year", "account_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    year: Mapped[int]
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    amount: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(String(200), default="")
