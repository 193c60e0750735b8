"""Users, each with one role scoped to a township, a village, or (supervisors, admins) to everything; and their
logins, one row each, which the server ends."""
from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
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
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    township: Mapped[Township | None] = relationship()
    village: Mapped[Village | None] = relationship()
    # The login this request came with ("<login id>:<secret>"), set by auth.service when a login starts or a
    # request's login is checked; not a column.
    login_key = None

    @property
    def is_active(self) -> bool:
        """Flask-Login: deactivated users cannot log in or keep a session."""
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session cookie: the login's id and secret, never the user's id alone."""
        if not self.login_key:
            raise RuntimeError("a login starts with auth.service.start_login")
        return self.login_key


class LoginSession(Base):
    """One login. The cookie carries its id and a secret; the row keeps only the secret's SHA-256, so a copy of
    the database opens no session. Logging out ends the row; so do an administrator ending the user's sessions, a
    password change and a deactivation; and it expires PERMANENT_SESSION_LIFETIME (8 hours) after it began.
    A request whose login row is ended, expired, or was begun in another browser is not logged in."""

    __tablename__ = "login_session"
    __table_args__ = (Index("ix_login_session_user_open", "user_id", "ended_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    secret_hash: Mapped[str] = mapped_column(String(64))
    agent_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the browser's User-Agent at login
    agent: Mapped[str] = mapped_column(String(200), default="")  # its beginning, for the administrator's list
    ip: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(16))  # logout | admin | password | deactivated
