"""The resources register (资源台账): land, forest, water … owned by a village collective."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.orgs.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base, Money


class Resource(Base):
    """One parcel or body of a resource; area in 亩 stored like money (two decimals, exact)."""

    __tablename__ = "resource"
    __table_args__ = (
        UniqueConstraint("village_id", "code"),
        Index("ix_resource_village_type_status", "village_id", "rtype", "status"),
        CheckConstraint("status in ('unlet','let','self_used','other')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    rtype: Mapped[str] = mapped_column(String(8))  # 耕地 林地 草地 园地 滩涂 水面 四荒地 建设用地 其他
    location: Mapped[str] = mapped_column(String(200), default="")
    area_mu: Mapped[Decimal] = mapped_column(Money)
    east: Mapped[str] = mapped_column(String(100), default="")
    south: Mapped[str] = mapped_column(String(100), default="")
    west: Mapped[str] = mapped_column(String(100), default="")
    north: Mapped[str] = mapped_column(String(100), default="")
    certificate_no: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(10), default="unlet")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
