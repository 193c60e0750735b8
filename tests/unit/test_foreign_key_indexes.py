"""Every foreign key to a village's or township's table has an index the planner cannot pass over: one led by
exactly the key's columns, or one led by the key's id column where no index of the table is led by the owner.
With a one-column lead on the id beside an index led by the owner, the two tie, and SQLite took the owner's
index for voucher_line, reading a village's every line per imported voucher (docs/architecture.md,
"Foreign-key indexes")."""
from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    UniqueConstraint,
)

import threeassets.models_registry  # noqa: F401  (every model in Base.metadata)
from threeassets.core import distribution
from threeassets.core.db import Base

# Lookups from the parent side that may read through the owner's index, and why that is acceptable.
EXEMPT = {
    ("period_balance", ("account_id", "village_id")):
        "only deleting an account looks up its balances, and an account with entries cannot be deleted; the key "
        "(village_id, ym, account_id) reads one village's balances, and a second index on the largest table "
        "after the lines would slow every close",
}


def _leads(table: Table) -> list[list[str]]:
    keys = [[c.name for c in ix.columns] for ix in table.indexes]
    keys += [[c.name for c in k.columns] for k in table.constraints
             if isinstance(k, PrimaryKeyConstraint | UniqueConstraint)]
    return keys


def unserved(metadata: MetaData, kinds: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """(table, key columns) of each foreign key to a distributed table whose columns lead no index."""
    found = []
    for table in metadata.sorted_tables:
        leads, owner = _leads(table), kinds.get(table.name)
        owner_led = any(lead[0] == owner for lead in leads)
        for fk in table.foreign_key_constraints:
            if kinds.get(fk.referred_table.name, distribution.REFERENCE) == distribution.REFERENCE:
                continue
            cols = tuple(c.name for c in fk.columns)
            whole = any(set(lead[:len(cols)]) == set(cols) for lead in leads)
            by_id = not owner_led and any(lead[0] in cols and lead[0] != owner for lead in leads)
            if not (whole or by_id):
                found.append((table.name, cols))
    return found


def test_every_key_to_a_distributed_table_leads_an_index():
    assert [k for k in unserved(Base.metadata, distribution.KINDS) if k not in EXEMPT] == []


def test_every_exemption_is_still_needed_and_says_why():
    found = set(unserved(Base.metadata, distribution.KINDS))
    assert all(key in found and len(why) > 60 for key, why in EXEMPT.items())


def _schema(*line_indexes):
    md = MetaData()
    Table("voucher", md, Column("id", Integer), Column("village_id", Integer), PrimaryKeyConstraint("id", "village_id"))
    Table("voucher_line", md, Column("id", Integer), Column("village_id", Integer), Column("voucher_id", Integer),
          Column("line_no", Integer), Column("account_id", Integer), PrimaryKeyConstraint("id", "village_id"),
          ForeignKeyConstraint(["voucher_id", "village_id"], ["voucher.id", "voucher.village_id"]), *line_indexes)
    return md


KINDS = {"voucher": "village_id", "voucher_line": "village_id"}


def test_a_one_column_lead_beside_the_owners_index_is_caught():
    md = _schema(Index("a", "voucher_id", "line_no"), Index("b", "village_id", "account_id"))
    assert unserved(md, KINDS) == [("voucher_line", ("voucher_id", "village_id"))]


def test_a_one_column_lead_serves_where_no_index_is_led_by_the_owner():
    assert unserved(_schema(Index("a", "voucher_id", "line_no")), KINDS) == []


def test_a_lead_of_the_whole_key_in_either_order_serves_it():
    assert unserved(_schema(Index("a", "voucher_id", "village_id", "line_no")), KINDS) == []
    assert unserved(_schema(Index("a", "village_id", "voucher_id")), KINDS) == []
    assert unserved(_schema(Index("a", "village_id", "account_id")), {"voucher": "reference"}) == []
