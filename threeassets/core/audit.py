"""The append-only audit log: one row per change, written in the same transaction as the change.

Two tables of the same columns: `audit_event` holds what happens in a township (its villages' books included) and
carries the township in its key, so a sharded database distributes it with the township's other work;
`county_audit_event` holds what belongs to no township (a county administrator's logins and settings, a failed
login of an unknown name). `record` chooses by whether a township is named (docs/scaling.md)."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from threeassets.core.db import Base


class _Event:
    """The columns both logs share: who did what, to which object, when, from where."""

    at: Mapped[datetime] = mapped_column(default=datetime.now)
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None]
    detail: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))

    @declared_attr
    def actor_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user_account.id"))


class AuditEvent(_Event, Base):
    """A township's event (a village's included); database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_township_at", "township_id", "at"),
                      Index("ix_audit_event_object", "object_type", "object_id"),
                      Index("ix_audit_event_at", "at"))
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), primary_key=True)
    __mapper_args__ = {"primary_key": [id]}
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)


class CountyAuditEvent(_Event, Base):
    """An event of no township (the county's administrators, unknown names at the login); append-only too."""

    __tablename__ = "county_audit_event"
    __table_args__ = (Index("ix_county_audit_event_at", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)


def record(session: Session, action: str, *, actor=None, township_id=None, village_id=None,
           obj=None, detail: dict | None = None, ip: str | None = None) -> None:
    """Append an audit row to the current transaction (never commits): to the township's log when a township is
    named, else to the county's. A village's event names its township too (else its township could not read it)."""
    if village_id is not None and township_id is None:
        raise ValueError(f"audit {action}: a village's event names its township")
    values = dict(actor_id=getattr(actor, "id", None), actor_name=getattr(actor, "username", None) or "system",
                  action=action, object_type=type(obj).__name__ if obj is not None else None,
                  object_id=getattr(obj, "id", None),
                  detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None, ip=ip)
    if township_id is None:
        session.add(CountyAuditEvent(**values))
    else:
        session.add(AuditEvent(township_id=township_id, village_id=village_id, **values))
