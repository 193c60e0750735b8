"""The `threeassets` console script: a Flask CLI group with the commands of DESIGN §4."""
from __future__ import annotations

import gc
import sys

from threeassets import gc_paused

with gc_paused():  # the commands' own modules follow below; the freeze comes after them
    import click
    from flask.cli import FlaskGroup, with_appcontext

    from threeassets.core.db import db, transaction

# Commands that only read and write the books get an app without the web parts (see create_app): their
# start-up is most of what a clerk waits for. Anything not listed (serve, run, routes, shell, ...) gets it all.
DATA_COMMANDS = {"init-db", "import", "report", "verify-chain", "close-period", "close-year", "reopen-period",
                 "switchover", "alerts"}


def _create_app():
    """App factory for the CLI: the light app for the data commands, the full one otherwise."""
    from threeassets import create_app
    ctx = click.get_current_context(silent=True)
    words = ctx.command_path.split()[1:2] if ctx is not None else []
    if words and words[0] in DATA_COMMANDS:
        return create_app(web=False)
    app = create_app()
    gc.enable()  # serve, run, shell...: long-lived, they get their garbage collector back (see _Group.main)
    return app


class _Group(FlaskGroup):
    """FlaskGroup without plugin discovery (`flask.commands` entry points are meant for the `flask` command,
    and reading every installed package's metadata to find none would cost each of our commands ~30 ms),
    running a command with the cyclic GC paused: a data command is short and makes little garbage, while
    collections during its imports and first queries would re-walk every object loaded so far. The GC state
    comes back when the command returns; the web commands switch it on again at once (_create_app)."""

    def _load_plugin_commands(self) -> None:
        self._loaded_plugin_commands = True

    def main(self, *args, **kwargs):
        with gc_paused():
            return super().main(*args, **kwargs)


@click.group(cls=_Group, create_app=_create_app, add_version_option=False)
def main():
    """threeassets: books and services for township three-assets agency centres."""


def fail(message: str) -> None:
    """Exit non-zero with a one-line reason."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


@main.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the schema to the newest migration (safe to repeat)."""
    from threeassets.core.migrate import upgrade
    upgrade(db.engine)
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int)
@with_appcontext
def serve(host: str, port: int, threads: int):
    """Run the production WSGI server (waitress)."""
    from flask import current_app
    from waitress import serve as waitress_serve
    click.echo(f"threeassets listening on http://{host}:{port}/")
    waitress_serve(current_app._get_current_object(), host=host, port=port, threads=threads)


@main.command("create-user")
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


@main.group("import")
def import_group():
    """Import CSV/XLSX files (all-or-nothing)."""


def _run_import(path: str, columns: list[str], fn, reader=None, **kw):
    """Read a file, run an import service in one transaction, report errors file:line: column: reason."""
    from threeassets.core.csvio import ImportError_, read_path
    try:
        table = reader(path) if reader else read_path(path, columns)
        with transaction(db.session):
            return fn(db.session, table, **kw)
    except ImportError_ as exc:
        for line in exc.lines(20):
            click.echo(line, err=True)
        fail(f"import refused, nothing written: {exc}")


@import_group.command("orgs")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_orgs(file):
    """Townships and villages: township_code,township_name,village_code,village_name."""
    from threeassets.orgs.service import ORG_COLUMNS
    from threeassets.orgs.service import import_orgs as do_import
    t, v = _run_import(file, ORG_COLUMNS, do_import)
    click.echo(f"imported {t} townships, {v} villages")


@import_group.command("vouchers")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--post", is_flag=True, help="number and post the vouchers")
@with_appcontext
def import_vouchers(file, post):
    """Vouchers: org_code,date,voucher_ref,summary,account_code,debit,credit."""
    from threeassets.ledger.importer import COLUMNS, read_vouchers
    from threeassets.ledger.importer import import_vouchers as do_import
    stats = _run_import(file, COLUMNS, do_import, reader=read_vouchers, post=post)
    click.echo(f"imported {stats['vouchers']} vouchers ({stats['lines']} lines) for {stats['villages']} villages"
               + (", posted" if post else ", as drafts"))


@main.command("verify-chain")
@click.option("--village", "village_code", default=None)
@with_appcontext
def verify_chain(village_code):
    """Re-hash every posted voucher; name the first broken link."""
    from threeassets.ledger.chain import verify
    problems, checked = verify(db.session, village_code)
    if problems:
        for p in problems:
            click.echo(p, err=True)
        fail(problems[0])
    click.echo(f"chain intact: {checked} posted vouchers verified")


@main.command("demo")
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


FEATURE_CLIS = ("closing", "statements", "budgets", "switchover", "assets", "resources", "contracts", "alerts",
                "windows", "claims", "disclosure")


def _register_feature_commands():
    """Attach the report group and each feature's commands (each feature's cli.py has register(main, report))."""
    import importlib

    from threeassets.reports.cli import report
    main.add_command(report)
    for name in FEATURE_CLIS:
        importlib.import_module(f"threeassets.{name}.cli").register(main, report)


with gc_paused(freeze=True):  # the console script's start-up imports are done: keep them out of the GC's way
    _register_feature_commands()
