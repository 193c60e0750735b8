"""Townships (the agencies) and villages (the tenants whose books the agency keeps)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from threeassets.core.db import Base, Money


class Township(Base):
    """A township and its three-assets agency service centre."""

    __tablename__ = "township"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    villages: Mapped[list[Village]] = relationship(back_populates="township", order_by="Village.code")


class Village(Base):
    """A village collective economic organisation: one set of books (账套)."""

    __tablename__ = "village"
    __table_args__ = (UniqueConstraint("code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    township: Mapped[Township] = relationship(back_populates="villages")


class TownshipSettings(Base):
    """Thresholds and lead times a township's agency sets for its villages (defaults in orgs.settings).

    decision_rules is JSON: a list of {"min_amount": "50000.00", "steps": ["proposal", …]} — the 四议两公开
    steps a disposal or contract of at least that amount needs (the highest matching row applies).
    """

    __tablename__ = "township_settings"
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    large_cash_threshold: Mapped[Decimal] = mapped_column(Money, default=Decimal("5000.00"))
    contract_expiry_days: Mapped[int] = mapped_column(default=90)
    disclosure_group_threshold: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    decision_rules: Mapped[str] = mapped_column(Text, default="")
    supervision_phone: Mapped[str] = mapped_column(String(40), default="")
    notice_days: Mapped[int] = mapped_column(default=7, server_default="7")  # 惠农补贴 lists: days on notice
    # 用友's 现金赤字控制 and future-dated vouchers: "warn" (post, and say so) or "refuse" (orgs.settings.CONTROLS)
    cash_deficit: Mapped[str] = mapped_column(String(8), default="warn", server_default="warn")
    future_dates: Mapped[str] = mapped_column(String(8), default="warn", server_default="warn")
    updated_at: Mapped[datetime] = mapped_column(default=datetime.now, onupdate=datetime.now)


def township_of(session, village_id: int) -> int:
    """The township of a village (from the session's identity map when the village is loaded already): what a
    village's audit event names beside the village."""
    return session.get(Village, village_id).township_id


def names_by_id(session, model, ids) -> dict[int, str]:
    """Names of townships or villages (`model`) by id, in one query; none asked, none read."""
    ids = set(ids)
    return dict(session.execute(select(model.id, model.name).where(model.id.in_(ids))).all()) if ids else {}
