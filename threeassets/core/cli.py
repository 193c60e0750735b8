"""Command-line plumbing: the `threeassets` group (assembled by threeassets/cli.py from the feature list), the
commands of the core itself (init-db, serve, backup, restore), the `import` and `report` groups features add
to, one-line failures and one transaction per import."""
from __future__ import annotations

import sys

from threeassets.core.startup import gc_paused

with gc_paused():  # the commands' own modules follow below; the freeze comes after them
    import click
    from flask.cli import FlaskGroup, with_appcontext

    from threeassets.core.db import db, transaction


class AppGroup(FlaskGroup):
    """FlaskGroup without plugin discovery (`flask.commands` entry points are meant for the `flask` command,
    and reading every installed package's metadata to find none would cost each of our commands ~30 ms),
    running a command with the cyclic GC paused: a data command is short and makes little garbage, while
    collections during its imports and first queries would re-walk every object loaded so far. The GC state
    comes back when the command returns; the web commands switch it on again at once (threeassets/cli.py)."""

    def _load_plugin_commands(self) -> None:
        self._loaded_plugin_commands = True

    def get_command(self, ctx, name):
        """The group's own command; no app is built to look for commands of its own (`app.cli` has none here:
        every command is attached to this group), so `--help` and a mistyped name cost no start-up."""
        return click.Group.get_command(self, ctx, name)

    def list_commands(self, ctx):
        """Every command of the group, for `--help`, without building the app (see get_command)."""
        return click.Group.list_commands(self, ctx)

    def main(self, *args, **kwargs):
        with gc_paused():
            return super().main(*args, **kwargs)

    def invoke(self, ctx):
        """Run the command; what is wrong with the place it runs ends it with one line, nothing written: a PDF
        refused for a character no installed font has (core.pdf.MissingGlyph), a database URL that cannot be
        used, a database that cannot be reached or has no schema yet (database_failure)."""
        from sqlalchemy.exc import OperationalError, ProgrammingError

        from threeassets.core.db import DatabaseURLError
        from threeassets.core.pdf import MissingGlyph
        try:
            return super().invoke(ctx)
        except (MissingGlyph, DatabaseURLError) as exc:
            fail(str(exc))
        except (OperationalError, ProgrammingError) as exc:
            reason = database_failure(exc)
            if reason is None:
                raise
            fail(reason)


UNDEFINED_TABLE = "42P01"  # PostgreSQL's SQLSTATE for a relation that does not exist


def database_failure(exc) -> str | None:
    """One line for a database error that is about where the command runs, not about the command: the database
    cannot be reached (OperationalError: refused, a wrong password, a locked or unreadable file …) or has no
    schema yet. None for anything else (a bug's traceback stays whole)."""
    from sqlalchemy.exc import OperationalError
    orig = getattr(exc, "orig", None)
    said = (str(orig or exc).strip().splitlines() or [""])[0]
    if said.startswith("no such table") or getattr(orig, "sqlstate", None) == UNDEFINED_TABLE:
        return f"the database has no tables yet ({said}): run `threeassets init-db` first"
    if isinstance(exc, OperationalError):
        return f"database: {said}"
    return None


def fail(message: str) -> None:
    """Exit non-zero with a one-line reason."""
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def write_output(data: bytes, output: str | None) -> None:
    """Write a report to the file given with -o, else to stdout."""
    if output:
        with open(output, "wb") as fh:
            fh.write(data)
    else:
        sys.stdout.buffer.write(data)


def run_import(path: str, columns: list[str], fn, reader=None, **kw):
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


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the schema to the newest migration (safe to repeat)."""
    from threeassets.core.migrate import upgrade
    upgrade(db.engine)
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on (0.0.0.0: every one)")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--bind", default=None, metavar="HOST:PORT", help="host and port in one (instead of --host/--port)")
@click.option("--workers", default=None, type=click.IntRange(min=1),
              help="worker processes  [default: one per core]")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(min=1),
              help="threads per worker (more helps when requests wait on a remote database)")
@with_appcontext
def serve(host: str, port: int, bind: str | None, workers: int | None, threads: int):
    """Run the production server: gunicorn with one worker process per core (waitress, one process, where
    gunicorn does not run, e.g. Windows). docs/deployment.md says how to run it behind a reverse proxy."""
    from flask import current_app

    from threeassets.core.migrate import behind
    from threeassets.core.serve import cores, gunicorn_runs
    from threeassets.core.serve import serve as run
    if behind(db.engine):  # pages would fail one by one on tables or columns not there yet
        fail("the database is not at the newest schema: run `threeassets init-db` first")
    if bind:
        host, _, port_text = bind.rpartition(":")
        if not host or not port_text.isdigit():
            fail(f"--bind {bind}: give HOST:PORT, e.g. 127.0.0.1:8000")
        host, port = host.strip("[]"), int(port_text)
    workers = workers or cores()
    how = (f"gunicorn, {workers} worker processes × {threads} thread{'s' if threads > 1 else ''}"
           if workers > 1 and gunicorn_runs() else f"waitress, 1 process × {max(threads, 4)} threads")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"threeassets listening on http://{shown}:{port}/ ({how})")
    run(current_app._get_current_object(), host=host, port=port, workers=workers, threads=threads)


def _direct_url(config) -> str:
    """The database backup and restore work on: THREEASSETS_DIRECT_DATABASE_URL (PostgreSQL itself, where
    DATABASE_URL goes through a pooler), else DATABASE_URL."""
    return config.get("DIRECT_DATABASE_URL") or config["DATABASE_URL"]


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup(file):
    """A consistent copy of the database into a new FILE, safe while the app runs (SQLite: its backup API;
    PostgreSQL: pg_dump's custom format, through THREEASSETS_DIRECT_DATABASE_URL when set). A plain copy of a
    live SQLite file is not a backup."""
    from flask import current_app

    from threeassets.core.backup import BackupError
    from threeassets.core.backup import backup as take
    try:
        click.echo(take(_direct_url(current_app.config), file))
    except BackupError as exc:
        fail(str(exc))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def restore(file):
    """Bring a backup FILE back into the configured database (THREEASSETS_DIRECT_DATABASE_URL when set), which
    must be empty (no table holding a row); then run `threeassets init-db` (an older backup's schema is upgraded)
    and `threeassets verify-chain`."""
    from flask import current_app

    from threeassets.core.backup import BackupError
    from threeassets.core.backup import restore as bring_back
    db.session.remove()
    db.engine.dispose()  # no pooled connection of this process stays on the database being replaced
    try:
        click.echo(bring_back(_direct_url(current_app.config), file))
    except BackupError as exc:
        fail(str(exc))


@click.group("import")
def import_group():
    """Import CSV/XLSX files (all-or-nothing)."""


@click.group("report")
def report_group():
    """Reports in the export contracts (CSV, XLSX, PDF)."""


def build_main(create_app) -> click.Group:
    """The `threeassets` group with the core's commands; features attach theirs (see threeassets/cli.py)."""
    @click.group(cls=AppGroup, create_app=create_app, add_version_option=False)
    def main():
        """threeassets: books and services for township three-assets agency centres."""
    for command in (init_db, serve, backup, restore, import_group, report_group):
        main.add_command(command)
    return main
