"""service hall: window phone and order, case checklist, per-township daily case counter, 补正 pause date

Revision ID: 0005_windows
Revises: 0004_registers_hall_disclosure
Create Date: 2026-11-26 11:30:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_windows'
down_revision = '0004_registers_hall_disclosure'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('service_window', sa.Column('phone', sa.String(length=40), nullable=False, server_default=''))
    op.add_column('service_window', sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('service_case', sa.Column('paused_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':  # SQLite does not enforce VARCHAR lengths
        op.alter_column('service_case', 'number', type_=sa.String(length=48), existing_nullable=False)
    op.create_table(
        'service_case_material',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('copies', sa.Integer(), nullable=False),
        sa.Column('original_required', sa.Boolean(), nullable=False),
        sa.Column('received', sa.Boolean(), nullable=False),
        sa.Column('original_seen', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['service_case.id'],
                                name=op.f('fk_service_case_material_case_id_service_case')),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'],
                                name=op.f('fk_service_case_material_township_id_township')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_service_case_material')),
    )
    op.create_index(op.f('ix_service_case_material_case_id'), 'service_case_material', ['case_id'], unique=False)
    op.create_table(
        'service_case_counter',
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'],
                                name=op.f('fk_service_case_counter_township_id_township')),
        sa.PrimaryKeyConstraint('township_id', 'day', name=op.f('pk_service_case_counter')),
    )


def downgrade() -> None:
    op.drop_table('service_case_counter')
    op.drop_index(op.f('ix_service_case_material_case_id'), table_name='service_case_material')
    op.drop_table('service_case_material')
    with op.batch_alter_table('service_case') as batch_op:
        batch_op.drop_column('paused_on')
    with op.batch_alter_table('service_window') as batch_op:
        batch_op.drop_column('seq')
        batch_op.drop_column('phone')
