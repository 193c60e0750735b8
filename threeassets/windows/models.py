"""The one-stop service hall: windows, the service catalogue, and cases (办件) with their events."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from threeassets.core.db import Base, Money
from threeassets.core.distribution import TOWNSHIP, owned_fk, owned_join
from threeassets.windows import rules


class Window(Base):
    """A service window of a township's hall (财务代理, 资产资源, 合同管理, 综合受理 …)."""

    __tablename__ = "service_window"
    __table_args__ = (UniqueConstraint("township_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(50))
    active: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")  # printed on notices
    seq: Mapped[int] = mapped_column(default=0, server_default="0")  # order in the hall and the catalogue


class ServiceItem(Base):
    """A service of the catalogue: what it needs, its legal basis, promised days, fee and steps."""

    __tablename__ = "service_item"
    __table_args__ = (UniqueConstraint("township_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    window_id: Mapped[int] = mapped_column(ForeignKey("service_window.id"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(100))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    days_limit: Mapped[int]  # promised working days from acceptance
    fee: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    steps: Mapped[str] = mapped_column(Text, default="")  # one step per line
    active: Mapped[bool] = mapped_column(default=True)
    materials: Mapped[list[Material]] = relationship(back_populates="item", order_by="Material.seq",
                                                     cascade="all, delete-orphan")


REQUIREMENT_CHECK = "requirement in ('always','conditional')"  # rules.REQUIREMENTS


class Material(Base):
    """A material a service item needs: copies, whether the original must be seen, and whether it is needed always
    (必交) or only in the cases its note names (视情形提交)."""

    __tablename__ = "service_material"
    __table_args__ = (CheckConstraint(REQUIREMENT_CHECK, name="requirement"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"), index=True)
    seq: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    copies: Mapped[int] = mapped_column(default=1)
    original_required: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(200), default="")  # for a conditional material: when it is needed
    requirement: Mapped[str] = mapped_column(String(12), default=rules.ALWAYS, server_default=rules.ALWAYS)
    item: Mapped[ServiceItem] = relationship(back_populates="materials")

    @property
    def conditional(self) -> bool:
        """Needed only in the cases its note names (视情形提交)."""
        return self.requirement == rules.CONDITIONAL


class Case(Base):
    """A 办件: intake → (补正) → accepted → in progress → done / rejected; owner is the first contact."""

    __tablename__ = "service_case"
    __table_args__ = (
        UniqueConstraint("number", "township_id"),
        owned_fk("claim_id", "claim"),  # crosses groups: EXCEPTIONS in core/distribution.py
        Index("ix_service_case_claim", "claim_id", "village_id"),
        Index("ix_case_township_state_due", "township_id", "state", "due_on"),
        CheckConstraint("state in ('intake','supplement','accepted','in_progress','done','rejected')",
                        name="state"),
    )
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    number: Mapped[str] = mapped_column(String(48))  # e.g. TA-20261126-0001
    item_id: Mapped[int] = mapped_column(ForeignKey("service_item.id"))
    window_id: Mapped[int] = mapped_column(ForeignKey("service_window.id"))  # current window
    applicant_name: Mapped[str] = mapped_column(String(50))
    applicant_phone: Mapped[str] = mapped_column(String(20))
    applicant_id_no: Mapped[str] = mapped_column(String(18), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(12), default="intake")
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))  # 首问负责: the receiving clerk
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # current handler
    received_at: Mapped[datetime] = mapped_column(default=datetime.now)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)  # promised completion (working days from acceptance)
    paused_days: Mapped[int] = mapped_column(default=0)  # working days spent waiting for 补正
    paused_on: Mapped[date | None] = mapped_column(Date)  # set while an accepted case waits for 补正
    finished_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(Text)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    satisfaction: Mapped[int | None]  # 5 very satisfied … 1 dissatisfied
    claim_id: Mapped[int | None]  # with village_id, the 报账 claim filed from this case
    missing: Mapped[str | None] = mapped_column(Text)  # JSON list of the missing materials last notified
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.id",
                                                   **owned_join("CaseEvent", "case_id", "Case", TOWNSHIP))
    checklist: Mapped[list[CaseMaterial]] = relationship(back_populates="case", order_by="CaseMaterial.seq",
                                                         **owned_join("CaseMaterial", "case_id", "Case", TOWNSHIP),
                                                         cascade="all, delete-orphan")
    item: Mapped[ServiceItem] = relationship()
    window: Mapped[Window] = relationship()


class CaseEvent(Base):
    """One transition of a case: who, when, from which state to which, and a note."""

    __tablename__ = "service_case_event"
    __table_args__ = (owned_fk("case_id", "service_case", owner=TOWNSHIP),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    case_id: Mapped[int] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(12))
    to_state: Mapped[str] = mapped_column(String(12))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    window_id: Mapped[int | None] = mapped_column(ForeignKey("service_window.id"))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=datetime.now)
    case: Mapped[Case] = relationship(back_populates="events", **owned_join("CaseEvent", "case_id", "Case", TOWNSHIP))


class CaseMaterial(Base):
    """One line of a case's checklist, copied from the item at intake: received? original seen? For a conditional
    material also: not applicable to this case (不适用), and who decided that when it was not the clerk."""

    __tablename__ = "service_case_material"
    __table_args__ = (owned_fk("case_id", "service_case", owner=TOWNSHIP),
                      CheckConstraint(REQUIREMENT_CHECK, name="requirement"),
                      CheckConstraint("NOT not_applicable OR (requirement = 'conditional' AND NOT received)",
                                      name="not_applicable"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    case_id: Mapped[int] = mapped_column(index=True)
    seq: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    copies: Mapped[int] = mapped_column(default=1)
    original_required: Mapped[bool] = mapped_column(default=False)
    received: Mapped[bool] = mapped_column(default=False)
    original_seen: Mapped[bool] = mapped_column(default=False)
    requirement: Mapped[str] = mapped_column(String(12), default=rules.ALWAYS, server_default=rules.ALWAYS)
    applies_when: Mapped[str] = mapped_column(String(200), default="", server_default="")  # the condition, copied
    not_applicable: Mapped[bool] = mapped_column(default=False, server_default=false())
    decided_by: Mapped[str] = mapped_column(String(100), default="", server_default="")  # e.g. 报账单为现金支付
    case: Mapped[Case] = relationship(
        back_populates="checklist", **owned_join("CaseMaterial", "case_id", "Case", TOWNSHIP))

    @property
    def conditional(self) -> bool:
        """Needed only in the cases `applies_when` names."""
        return self.requirement == rules.CONDITIONAL

    @property
    def tick(self) -> rules.Tick:
        """The row as the pure checklist rules read it."""
        return rules.Tick(self.name, self.original_required, self.received, self.original_seen,
                          conditional=self.conditional, not_applicable=self.not_applicable)

    @property
    def missing(self) -> bool:
        """Blocks 受理 and belongs on a one-time notice (rules.missing_materials)."""
        return bool(rules.missing_materials([self.tick]))


class CaseCounter(Base):
    """Last case number handed out per township and day; locked while a number is taken."""

    __tablename__ = "service_case_counter"
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class HolidayYear(Base):
    """A year's State Council holiday arrangement as the system administrator entered it (national: every
    township's clock uses it)."""

    __tablename__ = "holiday_year"
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    document: Mapped[str] = mapped_column(String(200))  # the notice it was taken from (国办发明电〔…〕…号)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[datetime]


class HolidayDay(Base):
    """One day of an entered arrangement: a day off (放假) or a weekend made a working day (调休上班)."""

    __tablename__ = "holiday_day"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(ForeignKey("holiday_year.year"), index=True)
    working: Mapped[bool]
    name: Mapped[str] = mapped_column(String(20))
