"""`threeassets create-user`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.cli import fail
from threeassets.core.db import db, transaction


@click.command("create-user")
@click.argument("username")
@click.option("--role", required=True)
@click.option("--name", "display_name", default="")
@click.option("--township", "township_code", default=None, help="township code for agency roles")
@click.option("--village", "village_code", default=None, help="village code for village roles")
@click.password_option()
@with_appcontext
def create_user(username, role, display_name, township_code, village_code, password):
    """Create a user with a role scoped to a township or a village."""
    from sqlalchemy import select

    from threeassets.auth.service import AuthError
    from threeassets.auth.service import create_user as do_create
    from threeassets.orgs.models import Township, Village
    try:
        with transaction(db.session):
            tid = vid = None
            if township_code:
                tid = db.session.scalar(select(Township.id).where(Township.code == township_code))
                if tid is None:
                    raise AuthError(f"乡镇 {township_code} 不存在")
            if village_code:
                vid = db.session.scalar(select(Village.id).where(Village.code == village_code))
                if vid is None:
                    raise AuthError(f"村 {village_code} 不存在")
            do_create(db.session, actor=None, username=username, display_name=display_name or username,
                      password=password, role=role, township_id=tid, village_id=vid)
    except AuthError as exc:
        fail(str(exc))
    click.echo(f"user {username} created")


def register(main, report) -> None:
    """Attach create-user to the main group."""
    main.add_command(create_user)
