"""The kiosk's tables: the township's 党务/政务 notices with their files, and the daily use counters."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base
from threeassets.core.distribution import TOWNSHIP, owned_fk, owned_join


class KioskNotice(Base):
    """A notice a township posts for the public: 党务公开 (party) or 政务公开 (gov); draft → published → withdrawn."""

    __tablename__ = "kiosk_notice"
    __table_args__ = (
        Index("ix_kiosk_notice_township_kind", "township_id", "kind", "status", "notice_date"),
        CheckConstraint("kind in ('party','gov')", name="kind"),
        CheckConstraint("status in ('draft','published','withdrawn')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    kind: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(100))
    notice_date: Mapped[date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    published_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    files: Mapped[list[KioskNoticeFile]] = relationship(back_populates="notice", order_by="KioskNoticeFile.id",
                                                        **owned_join("KioskNoticeFile", "notice_id", "KioskNotice",
                                                                     TOWNSHIP),
                                                        cascade="all, delete-orphan")


class KioskNoticeFile(Base):
    """A file attached to a notice (JPG, PNG or PDF), kept in the database like the village attachments."""

    __tablename__ = "kiosk_notice_file"
    __table_args__ = (owned_fk("notice_id", "kiosk_notice", owner=TOWNSHIP),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    notice_id: Mapped[int] = mapped_column(index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=datetime.now)
    notice: Mapped[KioskNotice] = relationship(
        back_populates="files", **owned_join("KioskNoticeFile", "notice_id", "KioskNotice", TOWNSHIP))


class KioskCount(Base):
    """How often a kiosk page was opened on a day: per township, section and item (a policy, a village …).
    Anonymous by design: no address, no time of day, nothing typed."""

    __tablename__ = "kiosk_count"
    __table_args__ = (UniqueConstraint("township_id", "day", "section", "item"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    day: Mapped[date] = mapped_column(Date)
    section: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(String(32), default="")
    hits: Mapped[int] = mapped_column(default=0)
