"""Fixed-asset cards (资产台账) and their changes: depreciation, transfer, revaluation, disposal."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.decisions.models  # noqa: F401  (tables its foreign keys name)
import threeassets.ledger.models  # noqa: F401
from threeassets.core.db import Base, Money
from threeassets.core.distribution import owned_fk

DEPRECIATION = "kind = 'depreciation'"  # predicate of the once-per-month index


class Asset(Base):
    """A 固定资产卡片 of one village. Cost and accumulated depreciation agree with 151/152 (reconciliation)."""

    __tablename__ = "asset"
    __table_args__ = (
        UniqueConstraint("village_id", "code"),
        Index("ix_asset_village_status", "village_id", "status"),
        CheckConstraint("status in ('in_use','leased','idle','disposed')", name="status"),
        CheckConstraint("purpose in ('operating','welfare','management')", name="purpose"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32))  # 房屋及建筑物, 机器设备, 运输工具, 农业基础设施 …
    purpose: Mapped[str] = mapped_column(String(12), default="operating")  # 经营性 / 公益性 / 管理用
    location: Mapped[str] = mapped_column(String(200), default="")
    custodian: Mapped[str] = mapped_column(String(50), default="")
    acquired_on: Mapped[date] = mapped_column(Date)
    original_cost: Mapped[Decimal] = mapped_column(Money)
    useful_life_months: Mapped[int]
    salvage_rate: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))  # percent, e.g. 5.00
    depreciate: Mapped[bool] = mapped_column(default=True)
    accumulated_depreciation: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    depreciated_through: Mapped[int | None]  # last ym depreciated (YYYYMM), None = never
    status: Mapped[str] = mapped_column(String(10), default="in_use")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)


class AssetChange(Base):
    """One change of a card: depreciation, transfer, revaluation or disposal, with the voucher it posted."""

    __tablename__ = "asset_change"
    __table_args__ = (
        Index("ix_asset_change_village_asset", "village_id", "asset_id"),
        # One depreciation per card and month: a second run of the same period cannot add a row.
        Index("ix_asset_change_depreciation_once", "village_id", "asset_id", "ym", unique=True,
              sqlite_where=text(DEPRECIATION), postgresql_where=text(DEPRECIATION)),
        owned_fk("asset_id", "asset"),
        owned_fk("decision_id", "decision_record"),
        owned_fk("voucher_id", "voucher"),
        Index("ix_asset_change_decision", "decision_id", "village_id"),
        Index("ix_asset_change_voucher", "voucher_id", "village_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    asset_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # depreciation | transfer | revaluation | disposal
    ym: Mapped[int]
    on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    method: Mapped[str | None] = mapped_column(String(16))  # disposal: sale | auction | write_off
    proceeds: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    counterparty: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[str | None] = mapped_column(Text)  # JSON of the fields changed
    after: Mapped[str | None] = mapped_column(Text)
    decision_id: Mapped[int | None]
    voucher_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="done")  # pending (awaiting approval) | done
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
