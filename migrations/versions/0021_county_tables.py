"""county tables: the county's audit events and jobs (of no township) move to tables of their own, and the
townships' audit log and jobs carry the township, NOT NULL, in their primary key (docs/scaling.md)

Revision ID: 0021_county_tables
Revises: 0020_annual_report
Create Date: 2026-12-07 01:30:00.000000

A village's rows written without their township (account and attachment changes did so) get their village's
township first; rows of no township and no village move to `county_audit_event` / `county_job` with their ids.
The append-only triggers are lifted for the move and put back, on the new table too.
"""
import warnings

import sqlalchemy as sa
from alembic import op

revision = '0021_county_tables'
down_revision = '0020_annual_report'
branch_labels = None
depends_on = None

EVENT_COLUMNS = "id, at, actor_id, actor_name, action, object_type, object_id, detail, ip"
JOB_COLUMNS = ("id, kind, status, total, done, current, error, params, result, file, file_name, created_by_id, "
               "created_at, finished_at, expires_at")
STATUSES = "status in ('queued','running','done','failed','expired')"

SQLITE_TRIGGERS = [
    "CREATE TRIGGER county_audit_event_no_update BEFORE UPDATE ON county_audit_event "
    "BEGIN SELECT RAISE(ABORT, 'county_audit_event is append-only'); END",
    "CREATE TRIGGER county_audit_event_no_delete BEFORE DELETE ON county_audit_event "
    "BEGIN SELECT RAISE(ABORT, 'county_audit_event is append-only'); END",
]
PG_TRIGGER = ("CREATE TRIGGER county_audit_event_append_only BEFORE UPDATE OR DELETE ON county_audit_event "
              "FOR EACH ROW EXECUTE FUNCTION ta_refuse()")


def _event_columns() -> list:
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('at', sa.DateTime(), nullable=False),
            sa.Column('actor_id', sa.Integer(), nullable=True),
            sa.Column('actor_name', sa.String(length=64), nullable=False),
            sa.Column('action', sa.String(length=48), nullable=False),
            sa.Column('object_type', sa.String(length=32), nullable=True),
            sa.Column('object_id', sa.Integer(), nullable=True),
            sa.Column('detail', sa.Text(), nullable=True),
            sa.Column('ip', sa.String(length=64), nullable=True)]


def _job_columns() -> list:
    return [sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('kind', sa.String(length=32), nullable=False),
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
            sa.Column('expires_at', sa.DateTime(), nullable=True)]


def _create_county_tables() -> None:
    op.create_table('county_audit_event', *_event_columns(),
                    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'],
                                            name=op.f('fk_county_audit_event_actor_id_user_account')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_audit_event')))
    op.create_index('ix_county_audit_event_at', 'county_audit_event', ['at'])
    op.create_table('county_job', *_job_columns(),
                    sa.CheckConstraint(STATUSES, name=op.f('ck_county_job_status')),
                    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                            name=op.f('fk_county_job_created_by_id_user_account')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_county_job')))


def _lift_triggers(sqlite: bool) -> list:
    """Lift the append-only guard of the tables changed here; returns what `_restore_triggers` puts back (SQLite
    drops a table's triggers when batch mode rebuilds it, so they are dropped first and created again)."""
    if not sqlite:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        return []
    found = list(op.get_bind().execute(sa.text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_event', 'job')")))
    for name, _sql in found:
        op.execute(f"DROP TRIGGER {name}")
    return [sql for _name, sql in found]


def _restore_triggers(sqlite: bool, triggers: list) -> None:
    """Put back what `_lift_triggers` lifted."""
    if not sqlite:
        op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    for sql in triggers:
        op.execute(sql)


def _own_township(table: str) -> None:
    """A village's rows written without the township: their village's."""
    op.execute(f"UPDATE {table} SET township_id = (SELECT v.township_id FROM village v WHERE v.id = {table}.village_id) "
               f"WHERE township_id IS NULL AND village_id IS NOT NULL")


def _key(table: str, sqlite: bool, owned: bool) -> None:
    """The township into the key (owned) or out of it again."""
    with warnings.catch_warnings(), op.batch_alter_table(table, recreate='always' if sqlite else 'auto') as batch:
        warnings.filterwarnings('ignore', "Table '_alembic_tmp_.*primary_key=True", sa.exc.SAWarning)
        if not sqlite:
            batch.drop_constraint(f"pk_{table}", type_='primary')
        batch.alter_column('township_id', existing_type=sa.Integer(), nullable=not owned)
        batch.create_primary_key(f"pk_{table}", ['id', 'township_id'] if owned else ['id'])


def _sync_sequences(tables) -> None:
    """PostgreSQL: the tables number on after the ids they hold."""
    for table in tables:
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                   f"FROM {table}")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _create_county_tables()
    triggers = _lift_triggers(sqlite)
    for table, county, columns in (('audit_event', 'county_audit_event', EVENT_COLUMNS),
                                   ('job', 'county_job', JOB_COLUMNS)):
        _own_township(table)
        op.execute(f"INSERT INTO {county} ({columns}) SELECT {columns} FROM {table} WHERE township_id IS NULL")
        op.execute(f"DELETE FROM {table} WHERE township_id IS NULL")
        _key(table, sqlite, owned=True)
    op.create_index('ix_audit_event_at', 'audit_event', ['at'])
    _restore_triggers(sqlite, triggers + (SQLITE_TRIGGERS if sqlite else [PG_TRIGGER]))
    if not sqlite:
        _sync_sequences(('county_audit_event', 'county_job'))


def downgrade() -> None:
    """The county's rows back into the townships' tables, with no township, numbered after the townships' rows
    (their ids may be taken there): an audit list ordered by id alone then shows them last-written."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    triggers = _lift_triggers(sqlite)
    op.drop_index('ix_audit_event_at', table_name='audit_event')
    if not sqlite:
        _sync_sequences(('audit_event', 'job'))
    for table, county, columns in (('audit_event', 'county_audit_event', EVENT_COLUMNS),
                                   ('job', 'county_job', JOB_COLUMNS)):
        _key(table, sqlite, owned=False)
        kept = columns.removeprefix("id, ")  # numbered anew: the county's ids may be taken in the township table
        op.execute(f"INSERT INTO {table} ({kept}) SELECT {kept} FROM {county} ORDER BY id")
    op.drop_table('county_job')
    op.drop_table('county_audit_event')  # its triggers go with it
    _restore_triggers(sqlite, triggers)
