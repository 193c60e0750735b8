"""The texts of an annual report that the head writes (the figures are counted afresh each time), and whether
it is finalised."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name: user_account)
import threeassets.orgs.models  # noqa: F401  (township)
from threeassets.core.db import Base

COUNTY = "county"


def scope_key(township_id: int | None) -> str:
    """'county', or 'township:<id>': one report per scope and year."""
    return COUNTY if township_id is None else f"township:{township_id}"


class AnnualReport(Base):
    """One township's (or the county's, township_id NULL) report of a year: a reference table, being one small row
    per township and year that the county reads across townships (core/distribution.py)."""

    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("scope", "year"),
                      CheckConstraint("status in ('draft','final')", name="status"))
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))  # scope_key()
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    year: Mapped[int]
    overview: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    plans: Mapped[str] = mapped_column(Text, default="")
    other: Mapped[str] = mapped_column(Text, default="")
    review: Mapped[str] = mapped_column(Text, default="{}")  # JSON: the 行政复议/行政诉讼 table, typed by hand
    status: Mapped[str] = mapped_column(String(8), default="draft")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(default=datetime.now)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finalised_at: Mapped[datetime | None]
