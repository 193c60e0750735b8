"""claims: payee kind and the village contact phone a window case needs

Revision ID: 0005_claims
Revises: 0004_registers_hall_disclosure
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_claims'
down_revision = '0004_registers_hall_disclosure'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('claim', sa.Column('payee_kind', sa.String(length=8), nullable=False, server_default='person'))
    op.add_column('claim', sa.Column('contact_phone', sa.String(length=20), nullable=False, server_default=''))


def downgrade() -> None:
    op.drop_column('claim', 'contact_phone')
    op.drop_column('claim', 'payee_kind')
