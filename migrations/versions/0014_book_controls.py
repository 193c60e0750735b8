"""book controls: a township chooses whether cash on hand (101) going into credit (现金赤字) and vouchers dated in
the future are warned about (the default) or refused

Revision ID: 0014_book_controls
Revises: 0013_merge_kiosk_subsidies
Create Date: 2026-12-06 13:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_book_controls'
down_revision = '0013_merge_kiosk_subsidies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Two settings, warning by default."""
    with op.batch_alter_table('township_settings') as batch:
        batch.add_column(sa.Column('cash_deficit', sa.String(length=8), server_default='warn', nullable=False))
        batch.add_column(sa.Column('future_dates', sa.String(length=8), server_default='warn', nullable=False))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table('township_settings') as batch:
        batch.drop_column('future_dates')
        batch.drop_column('cash_deficit')
