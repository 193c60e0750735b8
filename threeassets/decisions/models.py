"""Decision records (四议两公开) that disposals and contracts need."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base


class DecisionRecord(Base):
    """The 四议两公开 record of one village decision: proposal, meetings, resolution with votes, notices.

    Steps (see decisions.rules.STEPS): 党支部提议 (proposal), 两委会商议 (joint meeting), 党员大会审议
    (party members' review), 村民(代表)会议决议 (resolution, with votes), 决议公开 and 实施结果公开 (the two
    public notices, with their dates). A field left empty means the step did not happen.
    """

    __tablename__ = "decision_record"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True, primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    subject: Mapped[str] = mapped_column(String(200))
    proposal_on: Mapped[date | None] = mapped_column(Date)
    committees_on: Mapped[date | None] = mapped_column(Date)
    members_on: Mapped[date | None] = mapped_column(Date)
    resolution_on: Mapped[date | None] = mapped_column(Date)
    votes_for: Mapped[int | None]
    votes_against: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    attendees: Mapped[int | None]
    notice_from: Mapped[date | None] = mapped_column(Date)
    notice_to: Mapped[date | None] = mapped_column(Date)
    result_notice_on: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
