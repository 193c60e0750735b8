"""Command line: `annual-report` writes a township's or the county's annual report as PDF or Word."""
from __future__ import annotations

import os
from datetime import date

import click
from flask.cli import with_appcontext


@click.command("annual-report")
@click.option("--township", "township_code", help="township code: that township's report")
@click.option("--county", is_flag=True, help="the county's report: every township side by side")
@click.option("--year", type=int, default=None, help="the report's year (default: last year)")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx"]), default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="file to write (default: <township code or county>-<year>-年度报告.<format>)")
@with_appcontext
def annual_report(township_code, county, year, fmt, output):
    """年度报告: compiled from the books, notices, window cases and requests of the year, with the texts the head
    wrote (a report not yet finalised prints as a draft)."""
    from sqlalchemy import select

    from threeassets.annualreport import rules
    from threeassets.annualreport.build import county_report, render, township_report
    from threeassets.core.cli import fail
    from threeassets.core.db import db
    from threeassets.core.errors import RuleError
    from threeassets.orgs.models import Township
    if bool(township_code) == bool(county):
        fail("give exactly one of --township CODE or --county")
    year = year or date.today().year - 1
    try:
        rules.check_year(year)
    except RuleError as exc:
        fail(str(exc))
    if county:
        report, _row = county_report(db.session, list(db.session.scalars(select(Township.id))), year)
    else:
        township = db.session.scalar(select(Township).where(Township.code == township_code))
        if township is None:
            fail(f"township {township_code} not found")
        report, _row = township_report(db.session, township, year)
    data = render(report, fmt)
    db.session.rollback()
    target = output or f"{township_code or 'county'}-{year}-年度报告.{fmt}"
    try:
        with open(f"{target}.part", "wb") as fh:
            fh.write(data)
        os.replace(f"{target}.part", target)
    except OSError as exc:
        fail(f"cannot write {exc.filename}: {exc.strerror}")
    click.echo(f"{target}: {report.title}{'（草稿）' if report.draft else ''}")


def register(main, report) -> None:
    """Attach `annual-report` to the main group."""
    main.add_command(annual_report)
