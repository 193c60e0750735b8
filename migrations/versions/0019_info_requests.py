"""requests for disclosure (依申请公开): the request, its events and the per-township, per-year number counter
(township-owned: (id, township_id) keys, core/distribution.py)

Revision ID: 0019_info_requests
Revises: 0018_foreign_key_indexes
Create Date: 2026-12-06 18:20:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_info_requests'
down_revision = '0018_foreign_key_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Three township tables."""
    op.create_table('info_request_counter',
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_info_request_counter_township_id_township')),
    sa.PrimaryKeyConstraint('township_id', 'year', name=op.f('pk_info_request_counter'))
    )
    op.create_table('info_request',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=12), nullable=False),
    sa.Column('requester_kind', sa.String(length=12), nullable=False),
    sa.Column('requester_name', sa.String(length=100), nullable=False),
    sa.Column('requester_id_no', sa.String(length=20), nullable=False),
    sa.Column('contact', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('delivery', sa.String(length=100), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('correction_asked_on', sa.Date(), nullable=True),
    sa.Column('correction_note', sa.Text(), nullable=True),
    sa.Column('correction_deadline', sa.Date(), nullable=True),
    sa.Column('corrected_on', sa.Date(), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('extended_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('answer_basis', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("state in ('handling','correction','answered')", name=op.f('ck_info_request_state')),
    sa.CheckConstraint('extension_days between 0 and 20', name=op.f('ck_info_request_extension_days')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_info_request_answered_by_id_user_account')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_info_request_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_info_request_township_id_township')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_info_request_village_id_village')),
    sa.PrimaryKeyConstraint('id', 'township_id', name=op.f('pk_info_request')),
    sa.UniqueConstraint('year', 'seq', 'township_id', name=op.f('uq_info_request_year_seq_township_id'))
    )
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.create_index('ix_info_request_township_received', ['township_id', 'received_on'], unique=False)
        batch_op.create_index('ix_info_request_township_state_due', ['township_id', 'state', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_info_request_village_id'), ['village_id'], unique=False)

    op.create_table('info_request_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('township_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=12), nullable=True),
    sa.Column('to_state', sa.String(length=12), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_info_request_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['request_id', 'township_id'], ['info_request.id', 'info_request.township_id'], name=op.f('fk_info_request_event_request_id_info_request')),
    sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_info_request_event_township_id_township')),
    sa.PrimaryKeyConstraint('id', 'township_id', name=op.f('pk_info_request_event'))
    )
    with op.batch_alter_table('info_request_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_event_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table('info_request_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_event_request_id'))

    op.drop_table('info_request_event')
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_village_id'))
        batch_op.drop_index('ix_info_request_township_state_due')
        batch_op.drop_index('ix_info_request_township_received')

    op.drop_table('info_request')
    op.drop_table('info_request_counter')
