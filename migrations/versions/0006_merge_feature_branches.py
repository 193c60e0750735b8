"""Merge the feature migrations of the registers, service hall, claims, alerts and disclosure into one head.

Revision ID: 0006_merge_features
Revises: 0005_alerts, 0005_claims, 0005_contracts, 0005_disclosure, 0005_windows
"""

revision = "0006_merge_features"
down_revision = ("0005_alerts", "0005_claims", "0005_contracts", "0005_disclosure", "0005_windows")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the branches touch different tables."""


def downgrade() -> None:
    """Nothing to undo."""
