"""Command-line commands of the disclosure feature: `disclose` (one village's PDF or a township's ZIP)."""
from __future__ import annotations

import os
import sys

import click
from flask.cli import with_appcontext

from threeassets.orgs.cli import village_or_fail


def _village_run(session, code: str, period: str, layout: str, base: str) -> tuple[str, bytes, str]:
    """(default file name, PDF bytes, summary) for one village."""

    from threeassets.disclosure import batch
    village = village_or_fail(code)
    name, pdf = batch.village_file(session, village, period, layout, None, base)
    return name, pdf, f"{village.code} {village.name}"


def _township_run(session, code: str, period: str, layout: str, base: str) -> tuple[str, bytes, str]:
    """(default file name, ZIP bytes, summary) for every village of a township, with a progress bar."""
    from sqlalchemy import select

    from threeassets.core.cli import fail
    from threeassets.disclosure import batch
    from threeassets.orgs.models import Township
    township = session.scalar(select(Township).where(Township.code == code))
    if township is None:
        fail(f"township {code} not found")
    villages = batch.township_villages(session, township.id, period)
    if not villages:
        fail(f"township {code} has no villages")
    files = []
    with click.progressbar(villages, label=f"{township.name} {period}", file=sys.stderr,
                           item_show_func=lambda v: v.name if v else "") as bar:
        for village in bar:
            files.append(batch.village_file(session, village, period, layout, None, base))
    return batch.zip_name(township.code, period), batch.zip_of(files), f"{len(files)} villages of {township.name}"


@click.command("disclose")
@click.option("--village", "village_code", help="village code: one PDF")
@click.option("--township", "township_code", help="township code: a ZIP with one PDF per village")
@click.option("--period", required=True, help="YYYY-MM (month) or YYYY-Qn (quarter)")
@click.option("--layout", type=click.Choice(["a4", "a3"]), default="a4", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="file to write (default: <code>-<name>-<period>.pdf, or <township>-<period>-公开榜.zip)")
@with_appcontext
def disclose(village_code, township_code, period, layout, output):
    """财务公开榜: generate (or regenerate drafts) and write the notice PDF(s); nothing is written on failure."""
    from threeassets.core.cli import fail
    from threeassets.core.db import db, transaction
    from threeassets.core.errors import RuleError
    from threeassets.disclosure.rules import parse_period
    if bool(village_code) == bool(township_code):
        fail("give exactly one of --village or --township")
    try:
        period = parse_period(period).text
    except RuleError as exc:
        fail(str(exc))
    from threeassets.core.public import LOCAL_BASE, MISSING, public_base
    base, part = public_base(), None  # in development without one: the local server's address
    if not base:
        fail(MISSING)
    run = _village_run if village_code else _township_run
    try:
        with transaction(db.session):
            name, data, summary = run(db.session, village_code or township_code, period, layout, base)
            target = output or name
            part = f"{target}.part"
            with open(part, "wb") as fh:  # written before the commit, moved into place after it
                fh.write(data)
        os.replace(part, target)
    except RuleError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {exc.filename}: {exc.strerror}")
    finally:
        if part and os.path.exists(part):
            os.remove(part)
    click.echo(f"wrote {target} ({len(data):,} bytes): {summary}, {period}")
    if base == LOCAL_BASE:
        click.echo(f"warning: THREEASSETS_PUBLIC_URL is not set; the QR codes point at {LOCAL_BASE}", err=True)


def register(main, report) -> None:
    """Attach `disclose` to the main group."""
    main.add_command(disclose)
