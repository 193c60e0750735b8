"""`threeassets import orgs`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.cli import run_import


@click.command("orgs")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_orgs(file):
    """Townships and villages: township_code,township_name,village_code,village_name."""
    from threeassets.orgs.service import ORG_COLUMNS
    from threeassets.orgs.service import import_orgs as do_import
    t, v = run_import(file, ORG_COLUMNS, do_import)
    click.echo(f"imported {t} townships, {v} villages")


def register(main, report) -> None:
    """Attach `import orgs` to the import group."""
    main.commands["import"].add_command(import_orgs)
