"""`threeassets import vouchers`, `import opening-balances` and `threeassets verify-chain`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.cli import fail, run_import
from threeassets.core.db import db, snapshot


@click.command("vouchers")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--post", is_flag=True, help="number and post the vouchers")
@with_appcontext
def import_vouchers(file, post):
    """Vouchers: org_code,date,voucher_ref,summary,account_code,debit,credit."""
    from threeassets.ledger.importer import COLUMNS, read_vouchers
    from threeassets.ledger.importer import import_vouchers as do_import
    stats = run_import(file, COLUMNS, do_import, reader=read_vouchers, post=post)
    click.echo(f"imported {stats['vouchers']} vouchers ({stats['lines']} lines) for {stats['villages']} villages"
               + (", posted" if post else ", as drafts"))
    for name, months in (stats.get("cash_deficits") or {}).items():
        click.echo(f"cash on hand in credit at month end (现金赤字), imported as the old books hold it: {name} "
                   f"{', '.join(months)}")


@click.command("opening-balances")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_opening_balances(file):
    """Opening balances: org_code,start_period,account_code,account_name,year_opening_debit,year_opening_credit,
    ytd_debit,ytd_credit; each village's whole set is replaced."""
    from threeassets.core.csvio import read_path
    from threeassets.ledger.openings.importer import CLI_LIMITS, COLUMNS, import_openings
    stats = run_import(file, COLUMNS, import_openings, reader=lambda path: read_path(path, COLUMNS, CLI_LIMITS))
    click.echo(f"imported opening balances: {stats['rows']} accounts for {stats['villages']} villages")


@click.command("verify-chain")
@click.option("--village", "village_code", default=None)
@with_appcontext
def verify_chain(village_code):
    """Re-hash every posted voucher; name the first broken link."""
    from threeassets.ledger.chain import verify
    with snapshot(db.session):  # the vouchers and the head as of one moment, while clerks keep posting
        problems, checked = verify(db.session, village_code)
    if problems:
        for p in problems:
            click.echo(p, err=True)
        fail(problems[0])
    click.echo(f"chain intact: {checked} posted vouchers verified")


def register(main, report) -> None:
    """Attach `import vouchers`, `import opening-balances` and verify-chain."""
    main.commands["import"].add_command(import_vouchers)
    main.commands["import"].add_command(import_opening_balances)
    main.add_command(verify_chain)
