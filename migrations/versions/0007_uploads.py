"""One table of background jobs (core/jobs.py): the township batch of notices moves into it from
disclosure_job, and the imports started in the browser run there too.

Revision ID: 0007_uploads
Revises: 0006_merge_features
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0007_uploads"
down_revision = "0006_merge_features"
branch_labels = None
depends_on = None

_COMMON = ("id", "township_id", "status", "total", "done", "current", "error", "created_by_id", "created_at",
           "finished_at", "expires_at")


def upgrade() -> None:
    op.create_table(
        'job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('township_id', sa.Integer(), nullable=True),
        sa.Column('village_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('current', sa.String(length=100), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('params', sa.Text(), nullable=True),
        sa.Column('result', sa.Text(), nullable=True),
        sa.Column('file', sa.LargeBinary(), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("status in ('queued','running','done','failed','expired')", name=op.f('ck_job_status')),
        sa.ForeignKeyConstraint(['township_id'], ['township.id'], name=op.f('fk_job_township_id_township')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_job_village_id_village')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_job_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job')),
    )
    op.create_index('ix_job_township_created', 'job', ['township_id', 'created_at'])
    op.create_index('ix_job_village_created', 'job', ['village_id', 'created_at'])
    conn = op.get_bind()
    old = sa.table('disclosure_job', *(sa.column(c) for c in _COMMON + ("period", "layout", "zip", "zip_name")))
    new = sa.table('job', *(sa.column(c) for c in _COMMON + ("kind", "params", "file", "file_name")))
    rows = [{**{c: r[c] for c in _COMMON}, "kind": "disclosure.batch", "file": r["zip"], "file_name": r["zip_name"],
             "params": json.dumps({"period": r["period"], "layout": r["layout"]})}
            for r in conn.execute(sa.select(old)).mappings()]
    if rows:
        conn.execute(new.insert(), rows)
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('job', 'id'), (SELECT MAX(id) FROM job))"))
    op.drop_index('ix_disclosure_job_township_created', table_name='disclosure_job')
    op.drop_table('disclosure_job')


def downgrade() -> None:
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
    conn = op.get_bind()
    old = sa.table('job', *(sa.column(c) for c in _COMMON + ("kind", "params", "file", "file_name")))
    new = sa.table('disclosure_job', *(sa.column(c) for c in _COMMON + ("period", "layout", "zip", "zip_name")))
    rows = []
    for r in conn.execute(sa.select(old).where(old.c.kind == "disclosure.batch")).mappings():
        p = json.loads(r["params"] or "{}")
        rows.append({**{c: r[c] for c in _COMMON}, "period": p.get("period", ""), "layout": p.get("layout", "a4"),
                     "zip": r["file"], "zip_name": (r["file_name"] or "")[:100] or None})
    if rows:
        conn.execute(new.insert(), rows)
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT setval(pg_get_serial_sequence('disclosure_job', 'id'), "
                                 "(SELECT MAX(id) FROM disclosure_job))"))
    op.drop_index('ix_job_village_created', table_name='job')
    op.drop_index('ix_job_township_created', table_name='job')
    op.drop_table('job')
