"""the voucher foreign key of voucher_line is DEFERRABLE (INITIALLY IMMEDIATE: nothing changes for ordinary
writes), so the bulk import can copy lines in while their vouchers are still being numbered and hashed, deferring
that one check to the end of the import (ledger/importer/write.py)

Revision ID: 0017_deferrable_line_voucher_fk
Revises: 0016_distribution_keys
Create Date: 2026-12-06 15:40:00.000000
"""
from alembic import op

revision = '0017_deferrable_line_voucher_fk'
down_revision = '0016_distribution_keys'
branch_labels = None
depends_on = None

FK = 'fk_voucher_line_voucher_id_voucher'


def upgrade() -> None:
    """PostgreSQL alters the constraint in place. SQLite would rebuild voucher_line for it (dropping its
    immutability triggers), and its import defers foreign keys with PRAGMA defer_foreign_keys instead: an
    SQLite file keeps the clause it was created with."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE voucher_line ALTER CONSTRAINT {FK} DEFERRABLE INITIALLY IMMEDIATE')


def downgrade() -> None:
    """Back to NOT DEFERRABLE."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE voucher_line ALTER CONSTRAINT {FK} NOT DEFERRABLE')
