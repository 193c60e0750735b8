"""Demo data of the claims feature, loaded by `threeassets demo` after the books."""
from __future__ import annotations


def load(session, township, villages, users, today) -> None:
    """Add this feature's demo rows in the caller's transaction (none yet)."""
