"""duties: an index on the audit log by object, for who prepared or edited a voucher (segregation of duties)

Revision ID: 0007_duties
Revises: 0006_merge_features
Create Date: 2026-12-06 05:00:00.000000
"""
from alembic import op

revision = '0007_duties'
down_revision = '0006_merge_features'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_audit_event_object', 'audit_event', ['object_type', 'object_id'])


def downgrade() -> None:
    op.drop_index('ix_audit_event_object', table_name='audit_event')
