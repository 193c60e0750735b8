"""Users, each with one role scoped to a township, a village, or (supervisors, admins) to everything."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from threeassets.core.db import Base
from threeassets.orgs.models import Township, Village


class User(UserMixin, Base):
    """A person who logs in; role and scope decide what they may see and do."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    township: Mapped[Township | None] = relationship()
    village: Mapped[Village | None] = relationship()

    @property
    def is_active(self) -> bool:
        """Flask-Login: deactivated users cannot log in or keep a session."""
        return self.active

    def get_id(self) -> str:
        """Session id includes a token so a password change or deactivation ends old sessions."""
        return f"{self.id}:{self.session_token}"
