"""`threeassets demo`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.db import db, transaction


@click.command("demo")
@click.option("--year", default=None, type=int, help="year of demo books (default: last year)")
@with_appcontext
def demo(year):
    """Load a demo township, three villages, a user per role and a year of vouchers into an empty database
    (again: prints the logins); a database holding other books is refused, nothing written."""
    from sqlalchemy import inspect

    from threeassets.core.cli import fail
    from threeassets.core.migrate import upgrade
    from threeassets.demo.loader import DemoExists, DemoRefused, foreign_books, load_demo
    if inspect(db.engine).has_table("village"):  # before anything is written, the schema's upgrade included
        refusal = foreign_books(db.session)
        db.session.remove()
        if refusal:
            fail(refusal)
    upgrade(db.engine)
    try:
        with transaction(db.session):
            logins = load_demo(db.session, year=year)
    except DemoRefused as exc:
        fail(str(exc))
    except DemoExists as exc:
        click.echo(str(exc))
        logins = exc.logins
    click.echo("demo logins (username / password / role):")
    for username, password, label in logins:
        click.echo(f"  {username:<12} {password:<14} {label}")


def register(main, report) -> None:
    """Attach demo to the main group."""
    main.add_command(demo)
