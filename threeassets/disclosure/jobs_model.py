"""A township's batch run of disclosure notices: progress for the browser and the finished ZIP of PDFs."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from threeassets.core.db import Base


class DisclosureJob(Base):
    """One batch run: queued → running → done (ZIP kept until it expires) or failed (with the reason).

    Kept in a table rather than in memory so that any app process can report a run's progress and hand out
    its ZIP; the run itself is a thread of the process that started it.
    """

    __tablename__ = "disclosure_job"
    __table_args__ = (
        Index("ix_disclosure_job_township_created", "township_id", "created_at"),
        CheckConstraint("status in ('queued','running','done','failed','expired')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    period: Mapped[str] = mapped_column(String(8))
    layout: Mapped[str] = mapped_column(String(4), default="a4")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    current: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str | None] = mapped_column(Text)
    zip: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    zip_name: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
