"""annual_report: the texts the head writes for a township's or the county's annual report, and its state

Revision ID: 0020_annual_report
Revises: 0019_info_requests
Create Date: 2026-12-06 19:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_annual_report'
down_revision = '0019_info_requests'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """One row per scope ('county' or 'township:<id>') and year."""
    op.create_table(
        'annual_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=32), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('overview', sa.Text(), nullable=False),
        sa.Column('problems', sa.Text(), nullable=False),
        sa.Column('plans', sa.Text(), nullable=False),
        sa.Column('other', sa.Text(), nullable=False),
        sa.Column('review', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('finalised_by_id', sa.Integer(), nullable=True),
        sa.Column('finalised_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("status in ('draft','final')", name=op.f('ck_annual_report_status')),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_annual_report_township_id_township')),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                                name=op.f('fk_annual_report_updated_by_id_user_account')),
        sa.ForeignKeyConstraint(['finalised_by_id'], ['user_account.id'],
                                name=op.f('fk_annual_report_finalised_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_report')),
        sa.UniqueConstraint('scope', 'year', name=op.f('uq_annual_report_scope_year')),
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_table('annual_report')
