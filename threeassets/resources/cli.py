"""Command-line commands of the resources feature: `import resources FILE`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("resources")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_resources(file):
    """Resources: org_code,resource_code,name,type,location,area_mu,east,south,west,north,certificate_no,status."""
    from threeassets.core.cli import run_import
    from threeassets.resources.service import IMPORT_COLUMNS
    from threeassets.resources.service import import_resources as do_import
    stats = run_import(file, IMPORT_COLUMNS, do_import)
    click.echo(f"imported {stats['rows']} resources for {stats['villages']} villages")


def register(main, report) -> None:
    """Attach `import resources` to the import group."""
    main.commands["import"].add_command(import_resources)
