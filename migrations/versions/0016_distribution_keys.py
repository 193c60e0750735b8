"""distribution keys: every table a village or a township owns carries its owner (the column a sharded database
distributes by) in its primary key, its unique constraints and its foreign keys to tables of the same owner
(docs/scaling.md)

Revision ID: 0016_distribution_keys
Revises: 0015_holidays
Create Date: 2026-12-08 10:00:00.000000

PostgreSQL gets (id, owner) primary keys; SQLite keeps `id` as its one-column primary key (the rowid, which
numbers new rows) with UNIQUE (id, owner) beside it for the foreign keys (core/db.py renders both from the same
models). On SQLite every table named here is rebuilt (batch mode, with foreign keys off: migrations/env.py) and its
triggers are put back.
"""
import warnings

import sqlalchemy as sa
from alembic import op

revision = '0016_distribution_keys'
down_revision = '0015_holidays'
branch_labels = None
depends_on = None

# table → owner: the primary key (id) becomes (id, owner)
PRIMARY_KEYS = {
    "account": "village_id",
    "alert": "township_id",
    "asset": "village_id",
    "asset_change": "village_id",
    "attachment": "village_id",
    "budget": "village_id",
    "claim": "village_id",
    "claim_line": "village_id",
    "contract": "village_id",
    "contract_receipt": "village_id",
    "contract_subject": "village_id",
    "decision_record": "village_id",
    "disclosure": "village_id",
    "installment": "village_id",
    "kiosk_count": "township_id",
    "kiosk_notice": "township_id",
    "kiosk_notice_file": "township_id",
    "opening_adjustment": "village_id",
    "period": "village_id",
    "resource": "village_id",
    "service_case": "township_id",
    "service_case_event": "township_id",
    "service_case_material": "township_id",
    "subsidy_batch": "township_id",
    "subsidy_household": "township_id",
    "subsidy_objection": "township_id",
    "subsidy_payment": "township_id",
    "subsidy_row": "township_id",
    "voucher": "village_id",
    "voucher_line": "village_id",
}

# (table, column, parent, owner, ondelete): column → parent.id becomes (column, owner) → parent (id, owner)
FOREIGN_KEYS = [
    ('account', 'parent_id', 'account', 'village_id', None),
    ('account_turnover', 'account_id', 'account', 'village_id', None),
    ('asset_change', 'asset_id', 'asset', 'village_id', None),
    ('asset_change', 'decision_id', 'decision_record', 'village_id', None),
    ('asset_change', 'voucher_id', 'voucher', 'village_id', None),
    ('budget', 'account_id', 'account', 'village_id', None),
    ('claim', 'voucher_id', 'voucher', 'village_id', None),
    ('claim_line', 'claim_id', 'claim', 'village_id', None),
    ('contract', 'decision_id', 'decision_record', 'village_id', None),
    ('contract', 'renews_id', 'contract', 'village_id', None),
    ('contract_receipt', 'contract_id', 'contract', 'village_id', None),
    ('contract_receipt', 'installment_id', 'installment', 'village_id', None),
    ('contract_receipt', 'voucher_id', 'voucher', 'village_id', None),
    ('contract_subject', 'asset_id', 'asset', 'village_id', None),
    ('contract_subject', 'contract_id', 'contract', 'village_id', None),
    ('contract_subject', 'resource_id', 'resource', 'village_id', None),
    ('disclosure', 'superseded_by_id', 'disclosure', 'village_id', None),
    ('disclosure', 'supersedes_id', 'disclosure', 'village_id', None),
    ('installment', 'accrual_voucher_id', 'voucher', 'village_id', None),
    ('installment', 'contract_id', 'contract', 'village_id', None),
    ('kiosk_notice_file', 'notice_id', 'kiosk_notice', 'township_id', None),
    ('opening_adjustment', 'credit_account_id', 'account', 'village_id', None),
    ('opening_adjustment', 'debit_account_id', 'account', 'village_id', None),
    ('opening_balance', 'account_id', 'account', 'village_id', None),
    ('period_balance', 'account_id', 'account', 'village_id', None),
    ('service_case', 'claim_id', 'claim', 'village_id', None),
    ('service_case_event', 'case_id', 'service_case', 'township_id', None),
    ('service_case_material', 'case_id', 'service_case', 'township_id', None),
    ('subsidy_objection', 'batch_id', 'subsidy_batch', 'township_id', None),
    ('subsidy_payment', 'batch_id', 'subsidy_batch', 'township_id', None),
    ('subsidy_payment', 'row_id', 'subsidy_row', 'township_id', None),
    ('subsidy_row', 'batch_id', 'subsidy_batch', 'township_id', None),
    ('subsidy_row', 'household_id', 'subsidy_household', 'township_id', None),
    ('voucher', 'reverses_id', 'voucher', 'village_id', None),
    ('voucher_line', 'account_id', 'account', 'village_id', None),
    ('voucher_line', 'voucher_id', 'voucher', 'village_id', 'CASCADE'),
]

# (table, columns before, owner): the unique constraint gains the owner as its last column
UNIQUES = [
    ('alert', ('village_id', 'rule', 'object_type', 'object_id', 'key'), 'township_id'),
    ('disclosure', ('verify_code',), 'village_id'),
    ('installment', ('contract_id', 'seq'), 'village_id'),
    ('service_case', ('number',), 'township_id'),
    ('subsidy_household', ('village_id', 'number'), 'township_id'),
    ('subsidy_row', ('batch_id', 'household_id'), 'township_id'),
    ('voucher', ('reverses_id',), 'village_id'),
]


def _uq(table: str, columns) -> str:
    return f"uq_{table}_{'_'.join(columns)}"


def _fk(table: str, column: str, parent: str) -> str:
    return f"fk_{table}_{column}_{parent}"


def _pair(column: str, owner: str, owned: bool) -> tuple[list[str], list[str]]:
    """A foreign key's local and referenced columns."""
    return ([column, owner], ['id', owner]) if owned else ([column], ['id'])


def _tables() -> list[str]:
    return sorted(set(PRIMARY_KEYS) | {t for t, *_ in FOREIGN_KEYS} | {t for t, *_ in UNIQUES})


def _migrate(owned: bool) -> None:
    """Both directions: `owned` true puts the owner into the keys, false takes it out again."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    triggers = []
    if sqlite:  # the triggers (append-only audit log, posted vouchers) go while tables are rebuilt, then return
        triggers = list(op.get_bind().execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")))
        for name, _sql in triggers:
            op.execute(f"DROP TRIGGER {name}")
    else:  # a primary key cannot be replaced while foreign keys point at it
        for table, column, parent, _owner, _ondelete in FOREIGN_KEYS:
            op.drop_constraint(_fk(table, column, parent), table, type_='foreignkey')
    for table in _tables():
        owner = PRIMARY_KEYS.get(table)
        # on SQLite the rebuilt table's id stays the rowid: core/db.py renders an (id, owner) key so
        with warnings.catch_warnings(), op.batch_alter_table(table, recreate='always' if sqlite else 'auto') as batch:
            # SQLite batch copies the reflected id with its old primary-key flag before the new key is set
            warnings.filterwarnings('ignore', "Table '_alembic_tmp_.*primary_key=True", sa.exc.SAWarning)
            if owner:
                if not sqlite:
                    batch.drop_constraint(f"pk_{table}", type_='primary')
                batch.create_primary_key(f"pk_{table}", ['id', owner] if owned else ['id'])
            for t, columns, uq_owner in UNIQUES:
                if t == table:
                    old, new = (columns, (*columns, uq_owner)) if owned else ((*columns, uq_owner), columns)
                    batch.drop_constraint(_uq(table, old), type_='unique')
                    batch.create_unique_constraint(_uq(table, new), list(new))
            for t, column, parent, fk_owner, ondelete in FOREIGN_KEYS if sqlite else ():
                if t == table:
                    batch.drop_constraint(_fk(table, column, parent), type_='foreignkey')
                    batch.create_foreign_key(_fk(table, column, parent), parent, *_pair(column, fk_owner, owned),
                                             ondelete=ondelete)
    if not sqlite:
        for table, column, parent, fk_owner, ondelete in FOREIGN_KEYS:
            op.create_foreign_key(_fk(table, column, parent), table, parent, *_pair(column, fk_owner, owned),
                                  ondelete=ondelete)
    for _name, sql in triggers:
        op.execute(sql)


def upgrade() -> None:
    """Owners into the keys."""
    _migrate(owned=True)


def downgrade() -> None:
    """Keys by id alone again."""
    _migrate(owned=False)
