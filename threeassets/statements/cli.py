"""Command-line commands of the statements feature."""
from __future__ import annotations


def register(main, report) -> None:
    """Attach this feature's commands to the `threeassets` group (and sub-commands to `report`)."""
