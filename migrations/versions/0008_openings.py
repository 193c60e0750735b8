"""openings: a village's start month and the opening balances (期初余额) of its leaf accounts

Revision ID: 0008_openings
Revises: 0007_duties
Create Date: 2026-12-06 06:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_openings'
down_revision = '0007_duties'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'opening_start',
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('start_ym', sa.Integer(), nullable=False),
        sa.Column('balanced', sa.Boolean(), nullable=False),
        sa.Column('seal', sa.String(length=64), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                                name=op.f('fk_opening_start_updated_by_id_user_account')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_opening_start_village_id_village')),
        sa.PrimaryKeyConstraint('village_id', name=op.f('pk_opening_start')),
    )
    op.create_table(
        'opening_balance',
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('year_debit', sa.BigInteger(), nullable=False),
        sa.Column('year_credit', sa.BigInteger(), nullable=False),
        sa.Column('ytd_debit', sa.BigInteger(), nullable=False),
        sa.Column('ytd_credit', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_opening_balance_account_id_account')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_opening_balance_village_id_village')),
        sa.PrimaryKeyConstraint('village_id', 'account_id', name=op.f('pk_opening_balance')),
    )


def downgrade() -> None:
    op.drop_table('opening_balance')
    op.drop_table('opening_start')
