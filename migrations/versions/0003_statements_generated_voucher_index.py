"""statements: partial index on generated vouchers (kind other than normal) per village and month

Revision ID: 0003_statements
Revises: 0002
Create Date: 2026-11-26 10:05:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_statements'
down_revision = '0002'
branch_labels = None
depends_on = None

GENERATED = "kind <> 'normal'"


def upgrade() -> None:
    op.create_index('ix_voucher_village_generated', 'voucher', ['village_id', 'ym'], unique=False,
                    sqlite_where=sa.text(GENERATED), postgresql_where=sa.text(GENERATED))


def downgrade() -> None:
    op.drop_index('ix_voucher_village_generated', table_name='voucher')
