"""Disclosure notices (财务公开榜): generated from the books, signed off, published, verifiable. A township's
batch runs of them are rows of core's job table (disclosure/jobs.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base
from threeassets.core.distribution import owned_fk


class Disclosure(Base):
    """One version of a village's notice for a month or quarter; published versions are immutable.

    draft → submitted → signed_off (or back to draft with remarks) → published → archived. A correction of
    a published notice is a new version whose supersedes_id names the old one.
    """

    __tablename__ = "disclosure"
    __table_args__ = (
        UniqueConstraint("village_id", "period", "version"),
        UniqueConstraint("verify_code", "village_id"),
        Index("ix_disclosure_village_status", "village_id", "status", "period"),
        CheckConstraint("status in ('draft','submitted','signed_off','published','archived')", name="status"),
        owned_fk("supersedes_id", "disclosure"),
        owned_fk("superseded_by_id", "disclosure"),
        Index("ix_disclosure_supersedes", "supersedes_id", "village_id"),
        Index("ix_disclosure_superseded_by", "superseded_by_id", "village_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    period: Mapped[str] = mapped_column(String(8))  # "2026-10" or "2026-Q3"
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    layout: Mapped[str] = mapped_column(String(4), default="a4")  # a4 portrait | a3 landscape
    content: Mapped[str | None] = mapped_column(Text)  # JSON of the notice data as generated
    generated_at: Mapped[datetime | None]
    verify_code: Mapped[str] = mapped_column(String(24))  # random, in the QR code's address
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # stored when published
    sha256: Mapped[str | None] = mapped_column(String(64))
    supersedes_id: Mapped[int | None]
    superseded_by_id: Mapped[int | None]
    submitted_at: Mapped[datetime | None]
    signoff_names: Mapped[str | None] = mapped_column(String(200))
    signoff_on: Mapped[date | None] = mapped_column(Date)
    signoff_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    remarks: Mapped[str | None] = mapped_column(Text)
    published_on: Mapped[date | None] = mapped_column(Date)
    display_until: Mapped[date | None] = mapped_column(Date)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
