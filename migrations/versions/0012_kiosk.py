"""kiosk: the township's 党务/政务 notices and their files, and the kiosk's daily anonymous use counters

Revision ID: 0012_kiosk
Revises: 0011_opening_adjustments
Create Date: 2026-12-06 09:40:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_kiosk'
down_revision = '0011_opening_adjustments'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'kiosk_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('notice_date', sa.Date(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("kind in ('party','gov')", name=op.f('ck_kiosk_notice_kind')),
        sa.CheckConstraint("status in ('draft','published','withdrawn')", name=op.f('ck_kiosk_notice_status')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_notice_created_by_id_user_account')),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_kiosk_notice_township_id_township')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_notice')),
    )
    op.create_index('ix_kiosk_notice_township_kind', 'kiosk_notice', ['township_id', 'kind', 'status', 'notice_date'])
    op.create_table(
        'kiosk_notice_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=True),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['notice_id'], ['kiosk_notice.id'],
                                name=op.f('fk_kiosk_notice_file_notice_id_kiosk_notice')),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'],
                                name=op.f('fk_kiosk_notice_file_township_id_township')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_kiosk_notice_file_uploaded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_notice_file')),
    )
    op.create_index(op.f('ix_kiosk_notice_file_notice_id'), 'kiosk_notice_file', ['notice_id'])
    op.create_table(
        'kiosk_count',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('section', sa.String(length=16), nullable=False),
        sa.Column('item', sa.String(length=32), nullable=False),
        sa.Column('hits', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_kiosk_count_township_id_township')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_count')),
        sa.UniqueConstraint('township_id', 'day', 'section', 'item',
                            name=op.f('uq_kiosk_count_township_id_day_section_item')),
    )


def downgrade() -> None:
    op.drop_table('kiosk_count')
    op.drop_index(op.f('ix_kiosk_notice_file_notice_id'), table_name='kiosk_notice_file')
    op.drop_table('kiosk_notice_file')
    op.drop_index('ix_kiosk_notice_township_kind', table_name='kiosk_notice')
    op.drop_table('kiosk_notice')
