"""Requests for disclosure (依申请公开): the request, its history and the per-township, per-year number counter.

A request is the township's (the township government answers it); it may name the village it concerns. Keys
follow core/distribution.py: (id, township_id), the owner in every unique constraint and foreign key.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name: user_account)
import threeassets.orgs.models  # noqa: F401  (township, village)
from threeassets.core.db import Base
from threeassets.core.distribution import TOWNSHIP, owned_fk, owned_join


class InfoRequest(Base):
    """One request: who asked what, when it arrived, its clock and its answer."""

    __tablename__ = "info_request"
    __table_args__ = (
        UniqueConstraint("year", "seq", "township_id"),
        Index("ix_info_request_township_state_due", "township_id", "state", "due_on"),
        Index("ix_info_request_township_received", "township_id", "received_on"),
        CheckConstraint("state in ('handling','correction','answered')", name="state"),
        CheckConstraint("extension_days between 0 and 20", name="extension_days"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)  # the village it concerns
    year: Mapped[int]  # of receipt: numbers run per township and year
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(40))  # 依申〔2026〕第3号
    channel: Mapped[str] = mapped_column(String(12))
    requester_kind: Mapped[str] = mapped_column(String(12))
    requester_name: Mapped[str] = mapped_column(String(100))
    requester_id_no: Mapped[str] = mapped_column(String(20), default="")  # 身份证号 or 统一社会信用代码
    contact: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text)  # the information asked for
    delivery: Mapped[str] = mapped_column(String(100), default="")  # 获取信息的方式 asked for (纸质, 电子邮件 …)
    received_on: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12), default="handling")
    correction_asked_on: Mapped[date | None] = mapped_column(Date)
    correction_note: Mapped[str | None] = mapped_column(Text)  # what the requester must make clear
    correction_deadline: Mapped[date | None] = mapped_column(Date)  # the last day given for it
    corrected_on: Mapped[date | None] = mapped_column(Date)
    extension_days: Mapped[int] = mapped_column(default=0)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    extended_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    answer_text: Mapped[str | None] = mapped_column(Text)  # what is disclosed and how, or why not
    answer_basis: Mapped[str | None] = mapped_column(Text)  # the articles the answer rests on
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    events: Mapped[list[InfoRequestEvent]] = relationship(
        back_populates="request", order_by="InfoRequestEvent.id",
        **owned_join("InfoRequestEvent", "request_id", "InfoRequest", TOWNSHIP))


class InfoRequestEvent(Base):
    """One step of a request: who, when, from which state to which, and a note."""

    __tablename__ = "info_request_event"
    __table_args__ = (owned_fk("request_id", "info_request", owner=TOWNSHIP),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    request_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    day: Mapped[date] = mapped_column(Date)  # the day it happened (a letter's day may be earlier than its entry)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=datetime.now)
    request: Mapped[InfoRequest] = relationship(
        back_populates="events", **owned_join("InfoRequestEvent", "request_id", "InfoRequest", TOWNSHIP))


class InfoRequestCounter(Base):
    """The last request number a township handed out in a year; locked while a number is taken."""

    __tablename__ = "info_request_counter"
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)
