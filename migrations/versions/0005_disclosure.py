"""disclosure: batch jobs of a township's notices (progress and the finished ZIP)

Revision ID: 0005_disclosure
Revises: 0004_registers_hall_disclosure
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_disclosure'
down_revision = '0004_registers_hall_disclosure'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'disclosure_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=8), nullable=False),
        sa.Column('layout', sa.String(length=4), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('current', sa.String(length=100), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('zip', sa.LargeBinary(), nullable=True),
        sa.Column('zip_name', sa.String(length=100), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("status in ('queued','running','done','failed','expired')",
                           name=op.f('ck_disclosure_job_status')),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_disclosure_job_township_id_township')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_disclosure_job_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_disclosure_job')),
    )
    op.create_index('ix_disclosure_job_township_created', 'disclosure_job', ['township_id', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_disclosure_job_township_created', table_name='disclosure_job')
    op.drop_table('disclosure_job')
