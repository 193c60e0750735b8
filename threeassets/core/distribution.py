"""Which tables shard, by what, and the rule the schema keeps so a city can move to Citus without a redesign.

Every table is one of four kinds (docs/scaling.md says why):

* reference — small, read everywhere, replicated to every node: organisations, users, settings, catalogues;
* distributed by village_id — the books and everything a village owns, one co-location group;
* distributed by township_id — the township's own work (subsidies, the service hall, kiosk, jobs, alerts, audit);
* county — the county's own rows, of no township (its administrators' audit events and jobs): small, kept on
  the coordinator alone (a Citus local table), read only by the county's pages.

The rule, checked by `violations` on the models (tests/unit) and on a migrated PostgreSQL (tests/integration):
a distributed table's distribution column is NOT NULL and is in its primary key, in every unique constraint and
unique index, and on both sides of every foreign key to another distributed table, which must be of the same
group; a reference table has no foreign key to a distributed table; a county table has foreign keys to reference
tables only, and no other kind has one to it. What cannot keep the rule yet is listed in
EXCEPTIONS with its reason; an exception that no longer happens is itself a violation (the list stays true).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ForeignKeyConstraint

REFERENCE = "reference"
VILLAGE = "village_id"
TOWNSHIP = "township_id"
COUNTY = "county"

KINDS: dict[str, str] = {
    # reference: replicated, small, read everywhere
    "alembic_version": REFERENCE,
    "annual_report": REFERENCE,  # one row per township and year (and the county's), read across townships
    "chart_mapping": REFERENCE,
    # county: the county's own rows, on the coordinator alone
    "county_audit_event": COUNTY,
    "county_job": COUNTY,
    "holiday_day": REFERENCE,
    "holiday_year": REFERENCE,
    "login_session": REFERENCE,
    "service_item": REFERENCE,
    "service_material": REFERENCE,
    "service_window": REFERENCE,
    "subsidy_policy": REFERENCE,
    "throttle": REFERENCE,
    "township": REFERENCE,
    "township_settings": REFERENCE,
    "user_account": REFERENCE,
    "village": REFERENCE,
    # distributed by village: the books and everything a village owns
    "account": VILLAGE,
    "account_turnover": VILLAGE,
    "alert_scan": VILLAGE,
    "asset": VILLAGE,
    "asset_change": VILLAGE,
    "attachment": VILLAGE,
    "budget": VILLAGE,
    "chain_head": VILLAGE,
    "claim": VILLAGE,
    "claim_line": VILLAGE,
    "contract": VILLAGE,
    "contract_receipt": VILLAGE,
    "contract_subject": VILLAGE,
    "decision_record": VILLAGE,
    "disclosure": VILLAGE,
    "installment": VILLAGE,
    "opening_adjustment": VILLAGE,
    "opening_balance": VILLAGE,
    "opening_start": VILLAGE,
    "period": VILLAGE,
    "period_balance": VILLAGE,
    "resource": VILLAGE,
    "voucher": VILLAGE,
    "voucher_counter": VILLAGE,
    "voucher_line": VILLAGE,
    # distributed by township: the township's own work
    "alert": TOWNSHIP,
    "audit_event": TOWNSHIP,
    "info_request": TOWNSHIP,
    "info_request_counter": TOWNSHIP,
    "info_request_event": TOWNSHIP,
    "job": TOWNSHIP,
    "kiosk_count": TOWNSHIP,
    "kiosk_notice": TOWNSHIP,
    "kiosk_notice_file": TOWNSHIP,
    "service_case": TOWNSHIP,
    "service_case_counter": TOWNSHIP,
    "service_case_event": TOWNSHIP,
    "service_case_material": TOWNSHIP,
    "subsidy_batch": TOWNSHIP,
    "subsidy_household": TOWNSHIP,
    "subsidy_objection": TOWNSHIP,
    "subsidy_payment": TOWNSHIP,
    "subsidy_row": TOWNSHIP,
}

# What does not keep the rule yet, each with its reason and what happens to it on Citus (docs/scaling.md).
# Keys: ("fk", table, (columns …)) for a foreign key.
EXCEPTIONS: dict[tuple, str] = {
    ("fk", "service_case", ("claim_id",)):
        "a service-hall case (township group) links the 报账 claim filed from it (village group): two groups "
        "cannot share a foreign key; on Citus the constraint is dropped and the claims service, which creates "
        "the link in the case's own transaction, keeps it",
}


def owned_fk(column: str, parent: str, owner: str = VILLAGE, **kw) -> ForeignKeyConstraint:
    """A foreign key to a table of the same group, the owner on both sides: (column, owner) → parent (id, owner).
    Named by its first column as a one-column key would be (fk_<table>_<column>_<parent>)."""
    return ForeignKeyConstraint([column, owner], [f"{parent}.id", f"{parent}.{owner}"], **kw)


def owned_join(child: str, column: str, parent: str, owner: str = VILLAGE, *, remote: bool = False) -> dict:
    """relationship() arguments along an `owned_fk`: the join reads the owner on both sides (a sharded database
    routes it to one shard) but only `column` is written from the related object; the owner column is the row's
    own and is set by whoever creates it. `remote` marks the parent side of a table joined to itself."""
    wrap = (lambda c: f"remote({c})") if remote else (lambda c: c)
    return {"primaryjoin": f"and_({child}.{column} == {wrap(parent + '.id')}, "
                           f"{child}.{owner} == {wrap(f'{parent}.{owner}')})",
            "foreign_keys": f"{child}.{column}"}


@dataclass
class Table:
    """What the rule reads of one table, from the models or from a database."""

    name: str
    columns: dict[str, bool] = field(default_factory=dict)  # column → nullable
    primary_key: tuple[str, ...] = ()
    uniques: list[tuple[str, ...]] = field(default_factory=list)  # unique constraints and unique indexes
    foreign_keys: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = field(default_factory=list)


def from_metadata(metadata) -> dict[str, Table]:
    """The tables of a SQLAlchemy MetaData (the models)."""
    from sqlalchemy import ForeignKeyConstraint, UniqueConstraint

    tables = {}
    for t in metadata.sorted_tables:
        table = Table(t.name, {c.name: bool(c.nullable) for c in t.columns},
                      tuple(c.name for c in t.primary_key.columns))
        for c in t.constraints:
            if isinstance(c, UniqueConstraint):
                table.uniques.append(tuple(col.name for col in c.columns))
            elif isinstance(c, ForeignKeyConstraint):
                table.foreign_keys.append((tuple(e.parent.name for e in c.elements), c.referred_table.name,
                                           tuple(e.column.name for e in c.elements)))
        table.uniques += [tuple(col.name for col in i.columns) for i in t.indexes if i.unique]
        tables[t.name] = table
    return tables


def _key(columns: Iterable[str]) -> tuple[str, ...]:
    return tuple(c for c in columns if c not in (VILLAGE, TOWNSHIP))


def violations(tables: dict[str, Table]) -> list[str]:
    """Every way the tables break the rule (empty when the schema can be distributed as classified)."""
    found: list[str] = []
    used: set[tuple] = set()

    def excepted(key: tuple) -> bool:
        if key in EXCEPTIONS:
            used.add(key)
            return True
        return False

    for name in sorted(set(tables) - set(KINDS)):
        found.append(f"{name}: not classified in KINDS")
    for name in sorted(set(KINDS) - set(tables) - {"alembic_version"}):
        found.append(f"{name}: classified in KINDS but no such table")
    for name, t in sorted(tables.items()):
        kind = KINDS.get(name)
        if kind is None:
            continue
        for cols, ref, ref_cols in t.foreign_keys:
            ref_kind = KINDS.get(ref)
            if ref_kind in (None, REFERENCE) or kind == ref_kind == COUNTY:
                continue
            if ref_kind == COUNTY:
                found.append(f"{name}: foreign key {cols} to the county table {ref}")
            elif kind in (REFERENCE, COUNTY):
                found.append(f"{name}: {kind} table has a foreign key {cols} to distributed {ref}")
            elif ref_kind != kind:
                if not excepted(("fk", name, _key(cols))):
                    found.append(f"{name}: foreign key {cols} → {ref} crosses from the {kind} group to {ref_kind}")
            elif not any(a == kind and b == kind for a, b in zip(cols, ref_cols, strict=True)):
                found.append(f"{name}: foreign key {cols} → {ref}{ref_cols} does not pair {kind} on both sides")
        if kind in (REFERENCE, COUNTY):
            continue
        if kind not in t.columns:
            found.append(f"{name}: no distribution column {kind}")
            continue
        if t.columns[kind]:
            found.append(f"{name}: distribution column {kind} is nullable")
        if kind not in t.primary_key:
            found.append(f"{name}: primary key {t.primary_key} lacks {kind}")
        for cols in t.uniques:
            if kind not in cols:
                found.append(f"{name}: unique {cols} lacks {kind}")
    for key in sorted(set(EXCEPTIONS) - used, key=str):
        found.append(f"stale exception {key}: the schema no longer needs it")
    return found
