"""Command-line commands of the switchover feature."""
from __future__ import annotations


def register(main, report) -> None:
    """Attach this feature's commands to the `threeassets` group (and sub-commands to `report`)."""
