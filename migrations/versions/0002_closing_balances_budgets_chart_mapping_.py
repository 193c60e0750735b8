"""closing balances, budgets, chart mapping, voucher kind

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:31:04.801228
"""
import sqlalchemy as sa
from alembic import op

import threeassets.core.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chart_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('old_code', sa.String(length=32), nullable=False),
    sa.Column('new_code', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_chart_mapping_township_id_township')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chart_mapping')),
    sa.UniqueConstraint('township_id', 'old_code', name=op.f('uq_chart_mapping_township_id_old_code'))
    )
    op.create_table('budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', threeassets.core.db.Money(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_budget_account_id_account')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_budget_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget')),
    sa.UniqueConstraint('village_id', 'year', 'account_id', name=op.f('uq_budget_village_id_year_account_id'))
    )
    op.create_table('period_balance',
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('ym', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('balance', threeassets.core.db.Money(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_period_balance_account_id_account')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_period_balance_village_id_village')),
    sa.PrimaryKeyConstraint('village_id', 'ym', 'account_id', name=op.f('pk_period_balance'))
    )
    # A plain ADD COLUMN (no table rebuild), so the immutability triggers on voucher stay in place.
    op.add_column('voucher', sa.Column('kind', sa.String(length=16), server_default='normal', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('voucher', schema=None) as batch_op:
        batch_op.drop_column('kind')

    op.drop_table('period_balance')
    op.drop_table('budget')
    op.drop_table('chart_mapping')
