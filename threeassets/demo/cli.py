"""`threeassets demo`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.db import db, transaction


@click.command("demo")
@click.option("--year", default=None, type=int, help="year of demo books (default: last year)")
@with_appcontext
def demo(year):
    """Load a demo township, three villages, a user per role and a year of vouchers."""
    from threeassets.core.migrate import upgrade
    from threeassets.demo.loader import DemoExists, load_demo
    upgrade(db.engine)
    try:
        with transaction(db.session):
            logins = load_demo(db.session, year=year)
    except DemoExists as exc:
        click.echo(str(exc))
        logins = exc.logins
    click.echo("demo logins (username / password / role):")
    for username, password, label in logins:
        click.echo(f"  {username:<12} {password:<14} {label}")


def register(main, report) -> None:
    """Attach demo to the main group."""
    main.add_command(demo)
