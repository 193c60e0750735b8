"""`threeassets import orgs`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.cli import fail, run_import


@click.command("orgs")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_orgs(file):
    """Townships and villages: township_code,township_name,village_code,village_name."""
    from threeassets.orgs.service import ORG_COLUMNS
    from threeassets.orgs.service import import_orgs as do_import
    t, v = run_import(file, ORG_COLUMNS, do_import)
    click.echo(f"imported {t} townships, {v} villages")


def village_or_fail(code: str):
    """The village with this code, or exit with the one-line reason."""
    from sqlalchemy import select

    from threeassets.core.db import db
    from threeassets.orgs.models import Village
    village = db.session.scalar(select(Village).where(Village.code == code))
    if village is None:
        fail(f"village {code} not found")
    return village


def register(main, report) -> None:
    """Attach `import orgs` to the import group."""
    main.commands["import"].add_command(import_orgs)
