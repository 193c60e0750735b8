"""The wall clock of the web edge, in one place so tests move it instead of sleeping (sessions, throttling)."""
from __future__ import annotations

from datetime import datetime


def now() -> datetime:
    """The current local time (naive, like every stored timestamp)."""
    return datetime.now()
