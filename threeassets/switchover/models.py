"""The editable 2004 → 2023 account mapping of a township."""
from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.orgs.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base


class ChartMapping(Base):
    """Where a 2004-chart account code goes in the 2023 chart, per township (defaults from data)."""

    __tablename__ = "chart_mapping"
    __table_args__ = (UniqueConstraint("township_id", "old_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    old_code: Mapped[str] = mapped_column(String(32))
    new_code: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(200), default="")
