"""Contracts: contract_receipt.kind wide enough for its documented value 'installment' (11 characters).

Revision ID: 0005_contracts
Revises: 0004_registers_hall_disclosure
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_contracts"
down_revision = "0004_registers_hall_disclosure"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite does not enforce VARCHAR lengths (and cannot ALTER a column without recreating the table), so only
    # PostgreSQL needs the change.
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("contract_receipt", "kind", type_=sa.String(12), existing_type=sa.String(10),
                        existing_nullable=False)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("contract_receipt", "kind", type_=sa.String(10), existing_type=sa.String(12),
                        existing_nullable=False)
