"""The schema can shard without a redesign: every table is classified (reference, or distributed by village or
by township), and a distributed table keeps its distribution column in its keys (core/distribution.py)."""
import pytest
from sqlalchemy import Column, ForeignKey, ForeignKeyConstraint, Integer, MetaData, String, Table, UniqueConstraint

import threeassets.models_registry  # noqa: F401  (every model in Base.metadata)
from threeassets.core import distribution
from threeassets.core.db import Base
from threeassets.core.distribution import EXCEPTIONS, KINDS, from_metadata, violations


def test_the_models_keep_the_rule():
    assert violations(from_metadata(Base.metadata)) == []


def test_every_exception_says_why():
    assert all(len(reason) > 40 for reason in EXCEPTIONS.values())


def _tables(*extra):
    """A small schema shaped like the real one: organisations, one table of each group, plus `extra`."""
    md = MetaData()
    Table("township", md, Column("id", Integer, primary_key=True))
    Table("village", md, Column("id", Integer, primary_key=True), Column("township_id", ForeignKey("township.id")))
    Table("voucher", md, Column("id", Integer, primary_key=True), Column("village_id", ForeignKey("village.id"),
                                                                           primary_key=True))
    Table("subsidy_batch", md, Column("id", Integer, primary_key=True),
          Column("township_id", ForeignKey("township.id"), primary_key=True))
    for make in extra:
        make(md)
    return from_metadata(md)


@pytest.fixture
def rules(monkeypatch):
    """The rule over the small schema: its own classification and no exceptions."""
    monkeypatch.setattr(distribution, "KINDS", {"township": "reference", "village": "reference",
                                                "voucher": "village_id", "subsidy_batch": "township_id",
                                                "voucher_line": "village_id", "user_account": "reference"})
    monkeypatch.setattr(distribution, "EXCEPTIONS", {})
    return distribution


def _line(*args):
    return lambda md: Table("voucher_line", md, Column("id", Integer, primary_key=True),
                            Column("village_id", ForeignKey("village.id"), nullable=False),
                            Column("voucher_id", Integer), Column("code", String(8)), *args)


def test_a_well_keyed_schema_passes(rules):
    line = _line(Column("id2", Integer), ForeignKeyConstraint(["voucher_id", "village_id"],
                                                              ["voucher.id", "voucher.village_id"]),
                 UniqueConstraint("village_id", "code"))
    tables = _tables(line)
    tables["voucher_line"].primary_key = ("id", "village_id")
    assert rules.violations(tables) == ["user_account: classified in KINDS but no such table"]


def test_each_break_of_the_rule_is_named(rules):
    line = _line(ForeignKeyConstraint(["voucher_id"], ["voucher.id"]), UniqueConstraint("code"))
    unclassified = lambda md: Table("scratch", md, Column("id", Integer, primary_key=True))  # noqa: E731
    crossing = lambda md: Table("user_account", md, Column("id", Integer, primary_key=True),  # noqa: E731
                                Column("voucher_id", Integer), Column("village_id", Integer),
                                ForeignKeyConstraint(["voucher_id", "village_id"],
                                                     ["voucher.id", "voucher.village_id"]))
    found = rules.violations(_tables(line, unclassified, crossing))
    assert found == [
        "scratch: not classified in KINDS",
        "user_account: reference table has a foreign key ('voucher_id', 'village_id') to distributed voucher",
        "voucher_line: foreign key ('voucher_id',) → voucher('id',) does not pair village_id on both sides",
        "voucher_line: primary key ('id',) lacks village_id",
        "voucher_line: unique ('code',) lacks village_id",
    ]


def test_a_crossing_key_fails_unless_excepted_and_a_nullable_distribution_column_always(rules, monkeypatch):
    def batch_row(md):
        Table("voucher_line", md, Column("id", Integer, primary_key=True),
              Column("village_id", ForeignKey("village.id"), nullable=True),
              Column("batch_id", Integer), Column("township_id", Integer),
              ForeignKeyConstraint(["batch_id", "township_id"], ["subsidy_batch.id", "subsidy_batch.township_id"]))
    tables = _tables(batch_row)
    del rules.KINDS["user_account"]
    nullable = ["voucher_line: distribution column village_id is nullable",
                "voucher_line: primary key ('id',) lacks village_id"]
    assert rules.violations(tables) == [
        "voucher_line: foreign key ('batch_id', 'township_id') → subsidy_batch crosses from the village_id group to "
        "township_id", *nullable]
    monkeypatch.setattr(distribution, "EXCEPTIONS", {("fk", "voucher_line", ("batch_id",)): "why"})
    assert rules.violations(tables) == nullable


def test_county_tables_name_reference_tables_only_and_nothing_names_them(rules):
    def county(md):
        Table("county_log", md, Column("id", Integer, primary_key=True), Column("user_id", ForeignKey("village.id")),
              Column("voucher_id", ForeignKey("voucher.id")))
        Table("county_note", md, Column("id", Integer, primary_key=True), Column("log_id", ForeignKey("county_log.id")))
        Table("voucher_line", md, Column("id", Integer, primary_key=True),
              Column("village_id", ForeignKey("village.id"), primary_key=True, nullable=False),
              Column("log_id", ForeignKey("county_log.id")))
    rules.KINDS.update(county_log=distribution.COUNTY, county_note=distribution.COUNTY)
    del rules.KINDS["user_account"]
    assert rules.violations(_tables(county)) == [
        "county_log: county table has a foreign key ('voucher_id',) to distributed voucher",
        "voucher_line: foreign key ('log_id',) to the county table county_log",
    ]


def test_an_exception_no_longer_needed_is_itself_a_violation(rules, monkeypatch):
    monkeypatch.setattr(distribution, "EXCEPTIONS", {("fk", "voucher", ("reverses_id",)): "why"})
    del rules.KINDS["user_account"], rules.KINDS["voucher_line"]
    assert rules.violations(_tables()) == ["stale exception ('fk', 'voucher', ('reverses_id',)): the schema no "
                                           "longer needs it"]


def test_the_books_and_the_townships_work_are_two_groups():
    groups = {kind: sorted(t for t, k in KINDS.items() if k == kind) for kind in set(KINDS.values())}
    assert {"voucher", "voucher_line", "account", "account_turnover", "period"} <= set(groups["village_id"])
    assert {"service_case", "subsidy_row", "audit_event", "job"} <= set(groups["township_id"])
    assert set(groups["county"]) == {"county_audit_event", "county_job"}
    assert {"township", "village", "user_account", "chart_mapping"} <= set(groups["reference"])
