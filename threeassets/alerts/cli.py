"""Command-line commands of the alerts feature: `alerts scan` (for a daily cron)."""
from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import with_appcontext

from threeassets.core.db import db, transaction


@click.group("alerts")
def alerts_group():
    """预警: evaluate the alert rules."""


def _villages(village_code: str | None, township_code: str | None) -> list:
    """The villages named by --village or --township, or every village when neither is given."""
    from sqlalchemy import select

    from threeassets.orgs.models import Township, Village
    if village_code and township_code:
        raise click.UsageError("give at most one of --village or --township")
    q = select(Village).order_by(Village.id)
    if village_code:
        q = q.where(Village.code == village_code)
    elif township_code:
        tid = db.session.scalar(select(Township.id).where(Township.code == township_code))
        if tid is None:
            raise click.ClickException(f"township {township_code} not found")
        q = q.where(Village.township_id == tid)
    villages = list(db.session.scalars(q))
    if village_code and not villages:
        raise click.ClickException(f"village {village_code} not found")
    return villages


@alerts_group.command("scan")
@click.option("--village", "village_code", help="one village (code)")
@click.option("--township", "township_code", help="every village of a township (code)")
@click.option("--date", "on", default=None, help="evaluate as of YYYY-MM-DD (default: today)")
@with_appcontext
def scan(village_code, township_code, on):
    """Raise, update and resolve alerts of the villages (all villages when no scope is given)."""
    from threeassets.alerts.service import scan as do_scan
    from threeassets.core.periods import PeriodError, parse_day
    try:
        today = parse_day(on, "--date") or date.today()
    except PeriodError as exc:
        raise click.ClickException(str(exc)) from None
    villages = _villages(village_code, township_code)
    with transaction(db.session):
        if sys.stderr.isatty() and len(villages) > 1:
            with click.progressbar(length=len(villages), label="scanning", file=sys.stderr) as bar:
                result = do_scan(db.session, villages, today, progress=lambda _v: bar.update(1))
        else:
            result = do_scan(db.session, villages, today)
    click.echo(f"scanned {result.villages} villages as of {today}: {result.raised} raised, "
               f"{result.reopened} raised again, {result.resolved} resolved, {result.open} open")


def register(main, report) -> None:
    """Attach the `alerts` group to the console script."""
    main.add_command(alerts_group)
