"""subsidies: policies (惠农政策) per township, households (农户), subsidy batches and rows, objections, the bank's
payment lines; a township's notice period (notice_days, default 7); every existing township gets the starter
catalogue of policies

Revision ID: 0012_subsidies
Revises: 0011_opening_adjustments
Create Date: 2026-12-10 08:00:00.000000
"""
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0012_subsidies'
down_revision = '0011_opening_adjustments'
branch_labels = None
depends_on = None


def _fk(table, column, target):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'))


def _policy():
    op.create_table(
        'subsidy_policy',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('level', sa.String(length=10), nullable=False),
        sa.Column('department', sa.String(length=50), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('initials', sa.String(length=100), nullable=False),
        sa.Column('basis', sa.String(length=300), nullable=False),
        sa.Column('basis_date', sa.Date(), nullable=True),
        sa.Column('eligibility', sa.Text(), nullable=False),
        sa.Column('standard', sa.Text(), nullable=False),
        sa.Column('rate', sa.BigInteger(), nullable=True),
        sa.Column('unit', sa.String(length=16), nullable=False),
        sa.Column('year_from', sa.Integer(), nullable=False),
        sa.Column('year_to', sa.Integer(), nullable=True),
        sa.Column('payment', sa.Text(), nullable=False),
        sa.Column('service_item', sa.String(length=16), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('full_text', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("level in ('central','province','city','county')", name=op.f('ck_subsidy_policy_level')),
        sa.CheckConstraint("status in ('active','retired')", name=op.f('ck_subsidy_policy_status')),
        _fk('subsidy_policy', 'township_id', 'township'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_policy')),
        sa.UniqueConstraint('township_id', 'code', name=op.f('uq_subsidy_policy_township_id_code')),
    )
    op.create_index('ix_subsidy_policy_township_status', 'subsidy_policy', ['township_id', 'status'])


def _household():
    op.create_table(
        'subsidy_household',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('group_name', sa.String(length=20), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('head_name', sa.String(length=50), nullable=False),
        sa.Column('id_number', sa.String(length=18), nullable=False),
        sa.Column('id_last4', sa.String(length=4), nullable=False),
        sa.Column('members', sa.Integer(), nullable=False),
        sa.Column('land_area', sa.BigInteger(), nullable=False),
        sa.Column('card_last4', sa.String(length=4), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('subsidy_household', 'township_id', 'township'),
        _fk('subsidy_household', 'village_id', 'village'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_household')),
        sa.UniqueConstraint('township_id', 'id_number', name=op.f('uq_subsidy_household_township_id_id_number')),
        sa.UniqueConstraint('village_id', 'number', name=op.f('uq_subsidy_household_village_id_number')),
    )
    op.create_index('ix_subsidy_household_township_last4', 'subsidy_household', ['township_id', 'id_last4'])
    op.create_index('ix_subsidy_household_village_group', 'subsidy_household', ['village_id', 'group_name'])


def _batch():
    op.create_table(
        'subsidy_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('policy_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('notice_days', sa.Integer(), nullable=True),
        sa.Column('notice_from', sa.Date(), nullable=True),
        sa.Column('notice_to', sa.Date(), nullable=True),
        sa.Column('notice_ended_on', sa.Date(), nullable=True),
        sa.Column('paid_on', sa.Date(), nullable=True),
        sa.Column('payment_file', sa.String(length=200), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("state in ('draft','noticing','notice_ended','paid')", name=op.f('ck_subsidy_batch_state')),
        _fk('subsidy_batch', 'township_id', 'township'),
        _fk('subsidy_batch', 'policy_id', 'subsidy_policy'),
        _fk('subsidy_batch', 'created_by_id', 'user_account'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_batch')),
        sa.UniqueConstraint('township_id', 'policy_id', 'year', 'name',
                            name=op.f('uq_subsidy_batch_township_id_policy_id_year_name')),
    )
    op.create_index('ix_subsidy_batch_township_state', 'subsidy_batch', ['township_id', 'state'])


def _row():
    op.create_table(
        'subsidy_row',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.BigInteger(), nullable=False),
        sa.Column('rate', sa.BigInteger(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('paid_amount', sa.BigInteger(), nullable=True),
        sa.Column('paid_on', sa.Date(), nullable=True),
        sa.Column('note', sa.String(length=200), nullable=False),
        _fk('subsidy_row', 'township_id', 'township'),
        _fk('subsidy_row', 'batch_id', 'subsidy_batch'),
        _fk('subsidy_row', 'village_id', 'village'),
        _fk('subsidy_row', 'household_id', 'subsidy_household'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_row')),
        sa.UniqueConstraint('batch_id', 'household_id', name=op.f('uq_subsidy_row_batch_id_household_id')),
    )
    op.create_index('ix_subsidy_row_village_batch', 'subsidy_row', ['village_id', 'batch_id'])
    op.create_index('ix_subsidy_row_household', 'subsidy_row', ['household_id'])


def _objection_and_payment():
    op.create_table(
        'subsidy_objection',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=True),
        sa.Column('raised_by', sa.String(length=50), nullable=False),
        sa.Column('raised_on', sa.Date(), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        _fk('subsidy_objection', 'township_id', 'township'),
        _fk('subsidy_objection', 'batch_id', 'subsidy_batch'),
        _fk('subsidy_objection', 'village_id', 'village'),
        _fk('subsidy_objection', 'recorded_by_id', 'user_account'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_objection')),
    )
    op.create_index('ix_subsidy_objection_batch', 'subsidy_objection', ['batch_id'])
    op.create_table(
        'subsidy_payment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=True),
        sa.Column('row_id', sa.Integer(), nullable=True),
        sa.Column('line', sa.Integer(), nullable=False),
        sa.Column('holder_name', sa.String(length=50), nullable=False),
        sa.Column('id_masked', sa.String(length=20), nullable=False),
        sa.Column('card_last4', sa.String(length=4), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=True),
        sa.Column('succeeded', sa.Boolean(), nullable=False),
        sa.Column('reference', sa.String(length=60), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.CheckConstraint("outcome in ('matched','amount_differs','not_on_list','duplicate','failed')",
                           name=op.f('ck_subsidy_payment_outcome')),
        _fk('subsidy_payment', 'township_id', 'township'),
        _fk('subsidy_payment', 'batch_id', 'subsidy_batch'),
        _fk('subsidy_payment', 'village_id', 'village'),
        _fk('subsidy_payment', 'row_id', 'subsidy_row'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_payment')),
    )
    op.create_index('ix_subsidy_payment_batch', 'subsidy_payment', ['batch_id'])


def _seed_catalogues():
    """The starter catalogue for every township that exists (new ones get it from the township-created hook)."""
    from threeassets.subsidies.starter import default_policies
    conn = op.get_bind()
    townships = [r[0] for r in conn.execute(sa.text("SELECT id FROM township"))]
    if not townships:
        return
    table = sa.table('subsidy_policy', *[sa.column(c) for c in (
        'township_id', 'code', 'level', 'department', 'name', 'initials', 'basis', 'basis_date', 'eligibility',
        'standard', 'rate', 'unit', 'year_from', 'year_to', 'payment', 'service_item', 'summary', 'full_text',
        'status', 'created_at', 'updated_at')])
    now = datetime.now()
    rows = []
    for township_id in townships:
        for p in default_policies():
            rate = None if p['rate'] is None else int(p['rate'] * 100)  # integer fen, as core.db.Money stores it
            rows.append({**p, 'rate': rate, 'township_id': township_id, 'created_at': now, 'updated_at': now})
    op.bulk_insert(table, rows)


def upgrade() -> None:
    with op.batch_alter_table('township_settings') as batch:
        batch.add_column(sa.Column('notice_days', sa.Integer(), server_default='7', nullable=False))
    _policy()
    _household()
    _batch()
    _row()
    _objection_and_payment()
    _seed_catalogues()


def downgrade() -> None:
    for table, indexes in (('subsidy_payment', ['ix_subsidy_payment_batch']),
                           ('subsidy_objection', ['ix_subsidy_objection_batch']),
                           ('subsidy_row', ['ix_subsidy_row_household', 'ix_subsidy_row_village_batch']),
                           ('subsidy_batch', ['ix_subsidy_batch_township_state']),
                           ('subsidy_household', ['ix_subsidy_household_village_group',
                                                  'ix_subsidy_household_township_last4']),
                           ('subsidy_policy', ['ix_subsidy_policy_township_status'])):
        for index in indexes:
            op.drop_index(index, table_name=table)
        op.drop_table(table)
    with op.batch_alter_table('township_settings') as batch:
        batch.drop_column('notice_days')
