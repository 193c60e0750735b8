"""Command-line commands of the contracts feature: `import contracts FILE` and `contracts accrue`."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from threeassets.core.db import db, transaction


@click.command("contracts")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--activate", is_flag=True, help="activate each contract (decision steps and overlaps checked)")
@with_appcontext
def import_contracts(file, activate):
    """Contracts, one per row: org_code,contract_code,title,kind,party_type,party_name,party_id_no,award_method,
    signed_on,starts_on,ends_on,total_price,subject_code,schedule (see docs/import-formats.md)."""
    from threeassets.contracts.importer import COLUMNS
    from threeassets.contracts.importer import import_contracts as do_import
    from threeassets.core.cli import run_import
    stats = run_import(file, COLUMNS, do_import, today=date.today(), activate=activate)
    click.echo(f"imported {stats['contracts']} contracts" + (", activated" if activate else ", as drafts"))


@click.group("contracts")
def contracts_group():
    """Contracts: the due-run of installments."""


@contracts_group.command("accrue")
@click.option("--village", "village_code", required=True)
@click.option("--date", "on", default=None, help="YYYY-MM-DD (default: today); the vouchers' date")
@with_appcontext
def accrue(village_code: str, on: str | None):
    """确认到期应收: post 借112 贷收入 for every installment due by the date and not yet accrued."""
    from sqlalchemy import select

    from threeassets.contracts.books import accrue_due
    from threeassets.contracts.rules import parse_date
    from threeassets.core.cli import fail
    from threeassets.core.errors import RuleError
    from threeassets.orgs.models import Village
    day = parse_date(on) if on else date.today()
    if day is None:
        fail(f"--date {on!r} is not YYYY-MM-DD")
    try:
        with transaction(db.session):
            village = db.session.scalar(select(Village).where(Village.code == village_code))
            if village is None:
                raise RuleError(f"village {village_code} not found")
            done = accrue_due(db.session, village=village, on=day, actor=None)
            total = sum((i.amount for i in done), start=0)
    except RuleError as exc:
        fail(f"nothing accrued: {exc}")
    click.echo(f"{village_code} {day}: accrued {len(done)} installments, total {total:.2f}")


def register(main, report) -> None:
    """Attach `import contracts` to the import group and the `contracts` group to the CLI."""
    main.commands["import"].add_command(import_contracts)
    main.add_command(contracts_group)
