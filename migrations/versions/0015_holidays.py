"""holiday arrangements entered by the administrator: a year's State Council notice (days off and make-up working
days) for years the calendar library does not carry yet

Revision ID: 0015_holidays
Revises: 0014_book_controls
Create Date: 2026-12-06 15:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_holidays'
down_revision = '0014_book_controls'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Two national tables: the entered years and their days."""
    op.create_table(
        'holiday_year',
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('document', sa.String(length=200), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'],
                                name=op.f('fk_holiday_year_entered_by_id_user_account')),
        sa.PrimaryKeyConstraint('year', name=op.f('pk_holiday_year')),
    )
    op.create_table(
        'holiday_day',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('working', sa.Boolean(), nullable=False),
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['year'], ['holiday_year.year'], name=op.f('fk_holiday_day_year_holiday_year')),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday_day')),
    )
    op.create_index(op.f('ix_holiday_day_year'), 'holiday_day', ['year'], unique=False)


def downgrade() -> None:
    """Drop them."""
    op.drop_index(op.f('ix_holiday_day_year'), table_name='holiday_day')
    op.drop_table('holiday_day')
    op.drop_table('holiday_year')
