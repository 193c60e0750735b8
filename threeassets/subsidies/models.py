"""Policies (惠农政策) of a township, households (农户) of its villages, subsidy batches with their rows, the
objections raised while a batch is on notice and the bank's payment lines.

A policy and a batch belong to the township (township_id); a household, a batch row and a payment line carry the
village too, so a village's users read their own rows only. Amounts are integer fen (core.db.Money); areas and
quantities are Decimals with two places stored the same exact way (hundredths, never a float).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base, Money
from threeassets.core.distribution import TOWNSHIP, owned_fk


class Policy(Base):
    """A 惠农政策 of the township's catalogue: who pays, on what basis, to whom, how much, when."""

    __tablename__ = "subsidy_policy"
    __table_args__ = (
        UniqueConstraint("township_id", "code"),
        Index("ix_subsidy_policy_township_status", "township_id", "status"),
        CheckConstraint("level in ('central','province','city','county')", name="level"),
        CheckConstraint("status in ('active','retired')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    code: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(10))  # 中央 / 省 / 市 / 县
    department: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(100))
    initials: Mapped[str] = mapped_column(String(100), default="")  # pinyin initials of the name (gdllbhbt)
    basis: Mapped[str] = mapped_column(String(300), default="")  # the document and its 文号
    basis_date: Mapped[date | None] = mapped_column(Date)
    eligibility: Mapped[str] = mapped_column(Text, default="")
    standard: Mapped[str] = mapped_column(Text, default="")  # the standard in words
    rate: Mapped[Decimal | None] = mapped_column(Money)  # a fixed rate, when the standard has one
    unit: Mapped[str] = mapped_column(String(16), default="")  # mu | person_year | household | head | percent …
    year_from: Mapped[int]
    year_to: Mapped[int | None]  # None: open
    payment: Mapped[str] = mapped_column(Text, default="")  # how and when it is paid
    service_item: Mapped[str] = mapped_column(String(16), default="")  # the window item code that answers questions
    summary: Mapped[str] = mapped_column(Text, default="")
    full_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="active")
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(default=datetime.now, onupdate=datetime.now)


class Household(Base):
    """A 农户 of a village: the head, the resident ID (whole for matching, its last four for the public lookup),
    members, contracted land and the last four digits of the 一卡通 card."""

    __tablename__ = "subsidy_household"
    __table_args__ = (
        UniqueConstraint("township_id", "id_number"),
        UniqueConstraint("village_id", "number", "township_id"),
        Index("ix_subsidy_household_township_last4", "township_id", "id_last4"),
        Index("ix_subsidy_household_village_group", "village_id", "group_name"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    group_name: Mapped[str] = mapped_column(String(20), default="")  # 组
    number: Mapped[str] = mapped_column(String(20))  # 户号
    head_name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    id_last4: Mapped[str] = mapped_column(String(4))
    members: Mapped[int] = mapped_column(default=1)
    land_area: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))  # 亩, two places, exact
    card_last4: Mapped[str] = mapped_column(String(4), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)


class Batch(Base):
    """A list of one policy and year (第N批): draft → 公示中 → 公示期满 → 已发放."""

    __tablename__ = "subsidy_batch"
    __table_args__ = (
        UniqueConstraint("township_id", "policy_id", "year", "name"),
        Index("ix_subsidy_batch_township_state", "township_id", "state"),
        CheckConstraint("state in ('draft','noticing','notice_ended','paid')", name="state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    policy_id: Mapped[int] = mapped_column(ForeignKey("subsidy_policy.id"))
    year: Mapped[int]
    name: Mapped[str] = mapped_column(String(60))  # 第一批
    state: Mapped[str] = mapped_column(String(12), default="draft")
    notice_days: Mapped[int | None]  # the township's notice period when the notice began
    notice_from: Mapped[date | None] = mapped_column(Date)
    notice_to: Mapped[date | None] = mapped_column(Date)  # the last day of the notice
    notice_ended_on: Mapped[date | None] = mapped_column(Date)
    paid_on: Mapped[date | None] = mapped_column(Date)  # when the payment file was recorded
    payment_file: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)


class BatchRow(Base):
    """One household on a batch's list: quantity × rate = amount, then what the bank paid."""

    __tablename__ = "subsidy_row"
    __table_args__ = (
        UniqueConstraint("batch_id", "household_id", "township_id"),
        Index("ix_subsidy_row_village_batch", "village_id", "batch_id"),
        Index("ix_subsidy_row_household", "household_id"),
        owned_fk("batch_id", "subsidy_batch", owner=TOWNSHIP),
        owned_fk("household_id", "subsidy_household", owner=TOWNSHIP),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    batch_id: Mapped[int]
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"))
    household_id: Mapped[int]
    line: Mapped[int] = mapped_column(default=0)  # the line of the imported list
    quantity: Mapped[Decimal] = mapped_column(Money)  # 亩, 人, 头 … two places, exact
    rate: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_amount: Mapped[Decimal | None] = mapped_column(Money)  # from the bank's file, None = not paid
    paid_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")


class Objection(Base):
    """An objection raised while a batch was on notice: who, about what, and the outcome."""

    __tablename__ = "subsidy_objection"
    __table_args__ = (Index("ix_subsidy_objection_batch", "batch_id"),
                      owned_fk("batch_id", "subsidy_batch", owner=TOWNSHIP))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    batch_id: Mapped[int]
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    raised_by: Mapped[str] = mapped_column(String(50))
    raised_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)


class Payment(Base):
    """One line of the bank's payment result file, and what it matched on the batch's list."""

    __tablename__ = "subsidy_payment"
    __table_args__ = (
        Index("ix_subsidy_payment_batch", "batch_id"),
        CheckConstraint("outcome in ('matched','amount_differs','not_on_list','duplicate','failed')", name="outcome"),
        owned_fk("batch_id", "subsidy_batch", owner=TOWNSHIP),
        owned_fk("row_id", "subsidy_row", owner=TOWNSHIP),
        Index("ix_subsidy_payment_row", "row_id", "township_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    batch_id: Mapped[int]
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    row_id: Mapped[int | None]
    line: Mapped[int]
    holder_name: Mapped[str] = mapped_column(String(50))
    id_masked: Mapped[str] = mapped_column(String(20), default="")  # never the whole ID
    card_last4: Mapped[str] = mapped_column(String(4), default="")
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_on: Mapped[date | None] = mapped_column(Date)
    succeeded: Mapped[bool] = mapped_column(default=True)
    reference: Mapped[str] = mapped_column(String(60), default="")
    outcome: Mapped[str] = mapped_column(String(16))  # rules.OUTCOME_LABELS
