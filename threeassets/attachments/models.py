"""Uploaded files (receipts, invoices, photos) kept in the database beside the row they document."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base


class Attachment(Base):
    """One uploaded file of a village, owned by a row named by (owner_type, owner_id): asset, claim, voucher …

    The bytes live in the database so a backup, a transaction and tenancy cover them like any other row.
    """

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "village_id", "owner_type", "owner_id"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    owner_type: Mapped[str] = mapped_column(String(24))  # asset | claim | voucher | contract | case …
    owner_id: Mapped[int]
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=datetime.now)
