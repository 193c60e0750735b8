"""Merge the migrations of issue 11 (trust under attack and accident) and the opening balances into one head.

Revision ID: 0010_merge_trust
Revises: 0009_legacy_openings, 0007_sessions, 0007_uploads
"""

revision = "0010_merge_trust"
down_revision = ("0009_legacy_openings", "0007_sessions", "0007_uploads")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to undo."""
