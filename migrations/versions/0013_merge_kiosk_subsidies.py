"""Merge the kiosk's migration and the subsidies' into one head (issue 13: both branches add tables of their own).

Revision ID: 0013_merge_kiosk_subsidies
Revises: 0012_kiosk, 0012_subsidies
"""

revision = "0013_merge_kiosk_subsidies"
down_revision = ("0012_kiosk", "0012_subsidies")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to undo."""
