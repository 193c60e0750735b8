"""every foreign key to a village's or township's table gets an index led by exactly its columns, so a lookup
from the parent side (deleting a draft, or SQLite checking deferred keys while an import inserts vouchers) reads
only the matching rows; SQLite had chosen the village index for voucher_line and read a village's every line for
each imported voucher

Revision ID: 0018_foreign_key_indexes
Revises: 0017_deferrable_line_voucher_fk
Create Date: 2026-12-06 18:50:00.000000
"""
from alembic import op

revision = '0018_foreign_key_indexes'
down_revision = '0017_deferrable_line_voucher_fk'
branch_labels = None
depends_on = None

NEW = [
    ('ix_account_parent', 'account', ['parent_id', 'village_id']),
    ('ix_budget_account', 'budget', ['account_id', 'village_id']),
    ('ix_disclosure_supersedes', 'disclosure', ['supersedes_id', 'village_id']),
    ('ix_disclosure_superseded_by', 'disclosure', ['superseded_by_id', 'village_id']),
    ('ix_opening_adjustment_debit', 'opening_adjustment', ['debit_account_id', 'village_id']),
    ('ix_opening_adjustment_credit', 'opening_adjustment', ['credit_account_id', 'village_id']),
    ('ix_asset_change_decision', 'asset_change', ['decision_id', 'village_id']),
    ('ix_asset_change_voucher', 'asset_change', ['voucher_id', 'village_id']),
    ('ix_claim_voucher', 'claim', ['voucher_id', 'village_id']),
    ('ix_contract_decision', 'contract', ['decision_id', 'village_id']),
    ('ix_contract_renews', 'contract', ['renews_id', 'village_id']),
    ('ix_contract_subject_contract', 'contract_subject', ['contract_id', 'village_id']),
    ('ix_installment_contract', 'installment', ['contract_id', 'village_id']),
    ('ix_installment_accrual_voucher', 'installment', ['accrual_voucher_id', 'village_id']),
    ('ix_contract_receipt_installment', 'contract_receipt', ['installment_id', 'village_id']),
    ('ix_contract_receipt_voucher', 'contract_receipt', ['voucher_id', 'village_id']),
    ('ix_service_case_claim', 'service_case', ['claim_id', 'village_id']),
    ('ix_subsidy_payment_row', 'subsidy_payment', ['row_id', 'township_id']),
]


def upgrade() -> None:
    """The line index changes its columns (voucher_id, line_no) → (voucher_id, village_id, line_no); the rest
    are new."""
    op.drop_index('ix_voucher_line_voucher', table_name='voucher_line')
    op.create_index('ix_voucher_line_voucher', 'voucher_line', ['voucher_id', 'village_id', 'line_no'])
    for name, table, columns in NEW:
        op.create_index(name, table, columns)


def downgrade() -> None:
    """Back to the indexes of 0017."""
    for name, table, _columns in reversed(NEW):
        op.drop_index(name, table_name=table)
    op.drop_index('ix_voucher_line_voucher', table_name='voucher_line')
    op.create_index('ix_voucher_line_voucher', 'voucher_line', ['voucher_id', 'line_no'])
