"""Alerts (预警) raised by rules over the books and registers, acknowledged with a note."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base


class Alert(Base):
    """One finding of one rule about one object; (rule, object) is raised once while it stays true."""

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("village_id", "rule", "object_type", "object_id", "key", "township_id"),
        Index("ix_alert_township_open", "township_id", "acknowledged_at", "raised_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    rule: Mapped[str] = mapped_column(String(32))  # e.g. contract_expiring, installment_overdue
    severity: Mapped[str] = mapped_column(String(8), default="warning")  # info | warning | danger
    object_type: Mapped[str] = mapped_column(String(24))
    object_id: Mapped[int]
    key: Mapped[str] = mapped_column(String(32), default="")  # distinguishes repeats, e.g. the period
    message: Mapped[str] = mapped_column(String(400))
    raised_at: Mapped[datetime] = mapped_column(default=datetime.now)
    resolved_at: Mapped[datetime | None]  # the condition no longer holds
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    acknowledged_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)


class AlertScan(Base):
    """When a village's alerts were last worked out: the lock a scan takes, and what the lists check for staleness."""

    __tablename__ = "alert_scan"
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    scanned_at: Mapped[datetime | None]  # wall clock of the last finished scan (None: never)
    as_of: Mapped[date | None] = mapped_column(Date)  # the day the rules were evaluated for
