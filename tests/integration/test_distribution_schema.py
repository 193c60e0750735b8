"""The migrated PostgreSQL schema itself keeps the distribution rule (not only the models): read back from the
catalogue (pg_constraint, pg_index, information_schema) and checked by core/distribution.py."""
import pytest
from sqlalchemy import text

from tests.conftest import PG_URL
from threeassets.core.db import db
from threeassets.core.distribution import Table, violations

pytestmark = pytest.mark.skipif(not PG_URL, reason="reads PostgreSQL's catalogue")

CONSTRAINTS = """
SELECT c.contype, t.relname AS tbl, r.relname AS ref,
       ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS cols,
       ARRAY(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, i)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_cols
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace s ON s.oid = t.relnamespace AND s.nspname = 'public'
LEFT JOIN pg_class r ON r.oid = c.confrelid
WHERE c.contype IN ('p', 'u', 'f')
"""
UNIQUE_INDEXES = """
SELECT t.relname AS tbl,
       ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o) AS cols
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace s ON s.oid = t.relnamespace AND s.nspname = 'public'
WHERE i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
"""


def migrated_tables(conn) -> dict[str, Table]:
    """The public tables of the database, as the rule reads them."""
    tables: dict[str, Table] = {}
    for r in conn.execute(text("SELECT table_name, column_name, is_nullable FROM information_schema.columns "
                               "WHERE table_schema = 'public'")):
        tables.setdefault(r.table_name, Table(r.table_name)).columns[r.column_name] = r.is_nullable == "YES"
    for r in conn.execute(text(CONSTRAINTS)):
        t = tables[r.tbl]
        if r.contype == "p":
            t.primary_key = tuple(r.cols)
        elif r.contype == "u":
            t.uniques.append(tuple(r.cols))
        else:
            t.foreign_keys.append((tuple(r.cols), r.ref, tuple(r.ref_cols)))
    for r in conn.execute(text(UNIQUE_INDEXES)):
        tables[r.tbl].uniques.append(tuple(r.cols))
    return tables


def test_the_migrated_schema_keeps_the_rule(app):
    with db.engine.connect() as conn:
        tables = migrated_tables(conn)
    assert tables["voucher_line"].primary_key == ("id", "village_id")  # the catalogue was read
    assert (("voucher_id", "village_id"), "voucher", ("id", "village_id")) in tables["voucher_line"].foreign_keys
    assert violations(tables) == []


def test_a_key_dropped_from_the_database_is_caught(app):
    with db.engine.connect() as conn:
        conn.execute(text("ALTER TABLE voucher_line DROP CONSTRAINT fk_voucher_line_voucher_id_voucher"))
        conn.execute(text("ALTER TABLE voucher ADD CONSTRAINT uq_probe UNIQUE (id)"))
        conn.execute(text("ALTER TABLE voucher_line ADD CONSTRAINT fk_probe FOREIGN KEY (voucher_id) "
                          "REFERENCES voucher (id)"))
        tables = migrated_tables(conn)
        conn.rollback()
    assert violations(tables) == [
        "voucher: unique ('id',) lacks village_id",
        "voucher_line: foreign key ('voucher_id',) → voucher('id',) does not pair village_id on both sides",
    ]
