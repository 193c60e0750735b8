"""opening adjustments: the stock-take adjustments (清产核资调整) of a village's opening balances, with a reason each

Revision ID: 0011_opening_adjustments
Revises: 0010_merge_trust
Create Date: 2026-12-06 08:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_opening_adjustments'
down_revision = '0010_merge_trust'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'opening_adjustment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('debit_account_id', sa.Integer(), nullable=False),
        sa.Column('credit_account_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_opening_adjustment_village_id_village')),
        sa.ForeignKeyConstraint(['debit_account_id'], ['account.id'],
                                name=op.f('fk_opening_adjustment_debit_account_id_account')),
        sa.ForeignKeyConstraint(['credit_account_id'], ['account.id'],
                                name=op.f('fk_opening_adjustment_credit_account_id_account')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_opening_adjustment_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_adjustment')),
    )
    op.create_index(op.f('ix_opening_adjustment_village_id'), 'opening_adjustment', ['village_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_opening_adjustment_village_id'), table_name='opening_adjustment')
    op.drop_table('opening_adjustment')
