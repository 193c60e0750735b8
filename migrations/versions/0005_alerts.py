"""alerts: alert_scan (last scan per village, the lock a scan takes)

Revision ID: 0005_alerts
Revises: 0004_registers_hall_disclosure
Create Date: 2026-11-26 12:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_alerts'
down_revision = '0004_registers_hall_disclosure'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'alert_scan',
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('scanned_at', sa.DateTime(), nullable=True),
        sa.Column('as_of', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_alert_scan_village_id_village')),
        sa.PrimaryKeyConstraint('village_id', name=op.f('pk_alert_scan')),
    )


def downgrade() -> None:
    op.drop_table('alert_scan')
