"""Errors a service raises for the user to read: one message, optionally tied to form fields."""
from __future__ import annotations


class RuleError(Exception):
    """A business rule refused the action; str(e) is shown as is. fields maps form field → reason."""

    def __init__(self, message: str, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class IllegalMove(RuleError):
    """A workflow action that the record's current state does not allow."""


def refuse_fields(problems: dict[str, str]) -> None:
    """Raise a RuleError naming every field's problem at once (joined by ；), or nothing when there is none."""
    if problems:
        raise RuleError("；".join(problems.values()), dict(problems))
