"""Command-line commands of the claims feature."""
from __future__ import annotations


def register(main, report) -> None:
    """Attach this feature's commands to the CLI (none yet)."""
