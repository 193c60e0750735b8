"""The books: chart of accounts, periods, vouchers and their lines, counters, chain heads and turnover."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

import threeassets.auth.models  # noqa: F401  (tables its foreign keys name)
from threeassets.core.db import Base, Money
from threeassets.core.distribution import owned_fk, owned_join
from threeassets.ledger.rules import VoucherStatus, number_label

GENERATED = "kind <> 'normal'"  # predicate of the partial index on generated vouchers


class Account(Base):
    """A 会计科目 of one village: first-level accounts from the chart, sub-accounts added by users."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("village_id", "code"), owned_fk("parent_id", "account"),
                      Index("ix_account_parent", "parent_id", "village_id"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(16))
    normal_side: Mapped[str] = mapped_column(String(6))
    parent_id: Mapped[int | None]
    level: Mapped[int] = mapped_column(default=1)
    is_leaf: Mapped[bool] = mapped_column(default=True)
    mnemonic: Mapped[str] = mapped_column(String(32), default="")
    full_name: Mapped[str] = mapped_column(String(400), default="")
    parent: Mapped[Account | None] = relationship(**owned_join("Account", "parent_id", "Account", remote=True))


class Period(Base):
    """A month of one village's books; opens on first use, closed periods refuse writes."""

    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("village_id", "ym"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    ym: Mapped[int]  # 202405
    status: Mapped[str] = mapped_column(String(8), default="open")
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None]


class Voucher(Base):
    """A 记账凭证: draft → reviewed → posted; posted rows are immutable and hash-chained."""

    __tablename__ = "voucher"
    __table_args__ = (
        UniqueConstraint("village_id", "ym", "number"),
        UniqueConstraint("reverses_id", "village_id"),
        owned_fk("reverses_id", "voucher"),
        Index("ix_voucher_village_status_date", "village_id", "status", "voucher_date"),
        Index("ix_voucher_village_chain", "village_id", "chain_seq", unique=True),
        CheckConstraint("status in ('draft','reviewed','posted')", name="status"),
        # Only generated vouchers (year close, carry, opening …): the income statement finds them without
        # reading a year of ordinary vouchers. Queries must repeat the predicate literally to use it.
        Index("ix_voucher_village_generated", "village_id", "ym", sqlite_where=text(GENERATED),
              postgresql_where=text(GENERATED)),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    ym: Mapped[int]
    voucher_date: Mapped[date] = mapped_column(Date)
    number: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default=VoucherStatus.DRAFT)
    attachments: Mapped[int] = mapped_column(default=0)
    total: Mapped[Decimal] = mapped_column(Money)
    preparer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    poster_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    reviewed_at: Mapped[datetime | None]
    posted_at: Mapped[datetime | None]
    reverses_id: Mapped[int | None]
    source_ref: Mapped[str | None] = mapped_column(String(64))
    # normal, or a generated kind: year_close (结转本年收益), carry (收益分配结转), opening (期初建账) …
    kind: Mapped[str] = mapped_column(String(16), default="normal", server_default="normal")
    chain_seq: Mapped[int | None]
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
    lines: Mapped[list[VoucherLine]] = relationship(
        back_populates="voucher", order_by="VoucherLine.line_no", cascade="all, delete-orphan",
        **owned_join("VoucherLine", "voucher_id", "Voucher"))
    reverses: Mapped[Voucher | None] = relationship(**owned_join("Voucher", "reverses_id", "Voucher", remote=True))

    @property
    def label(self) -> str:
        """The voucher number as clerks say it: 记-0007, or （未编号） before posting."""
        return number_label(self.number)


class VoucherLine(Base):
    """One 分录: account, summary, and an amount on exactly one side (negative only in reversals)."""

    __tablename__ = "voucher_line"
    __table_args__ = (
        # Led by the whole voucher key, so that SQLite's foreign-key lookup from a voucher always takes it (a lookup
        # through the village index reads a village's every line; see docs/architecture.md, "Foreign-key indexes").
        Index("ix_voucher_line_voucher", "voucher_id", "village_id", "line_no"),
        Index("ix_voucher_line_village_account", "village_id", "account_id"),
        CheckConstraint("debit = 0 or credit = 0", name="one_side"),
        # Deferrable (checked per statement unless a transaction defers it): the bulk import writes lines first.
        owned_fk("voucher_id", "voucher", ondelete="CASCADE", deferrable=True, initially="IMMEDIATE"),
        owned_fk("account_id", "account"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    voucher_id: Mapped[int]
    line_no: Mapped[int]
    summary: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[int]
    debit: Mapped[Decimal] = mapped_column(Money, default=0)
    credit: Mapped[Decimal] = mapped_column(Money, default=0)
    voucher: Mapped[Voucher] = relationship(
        back_populates="lines", **owned_join("VoucherLine", "voucher_id", "Voucher"))
    account: Mapped[Account] = relationship(**owned_join("VoucherLine", "account_id", "Account"))


class VoucherCounter(Base):
    """Last voucher number handed out per village and month; locked by the posting transaction."""

    __tablename__ = "voucher_counter"
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class ChainHead(Base):
    """The newest link of a village's hash chain of posted vouchers; locked while posting."""

    __tablename__ = "chain_head"
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default="")


class AccountTurnover(Base):
    """Posted debit and credit per leaf account and month, kept at posting: reports never re-add lines."""

    __tablename__ = "account_turnover"
    __table_args__ = (owned_fk("account_id", "account"),)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(primary_key=True)
    ym: Mapped[int] = mapped_column(primary_key=True)
    debit: Mapped[Decimal] = mapped_column(Money, default=0)
    credit: Mapped[Decimal] = mapped_column(Money, default=0)
