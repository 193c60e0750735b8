"""`threeassets report …` commands."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from threeassets.core.cli import write_output
from threeassets.core.db import db
from threeassets.core.errors import RuleError


def _scope(village_code: str | None, township_code: str | None) -> tuple[list[int], str]:
    """Village ids and a title for --village or --township (exactly one)."""
    from threeassets.orgs.models import Township, Village
    from threeassets.reports.service import township_village_ids
    if bool(village_code) == bool(township_code):
        raise click.UsageError("give exactly one of --village or --township")
    if village_code:
        v = db.session.scalar(select(Village).where(Village.code == village_code))
        if v is None:
            raise click.ClickException(f"village {village_code} not found")
        return [v.id], v.name
    t = db.session.scalar(select(Township).where(Township.code == township_code))
    if t is None:
        raise click.ClickException(f"township {township_code} not found")
    return township_village_ids(db.session, t.id), f"{t.name}（汇总）"


@click.command("trial-balance")
@click.option("--village", "village_code")
@click.option("--township", "township_code")
@click.option("--from", "start", required=True, help="YYYY-MM")
@click.option("--to", "end", required=True, help="YYYY-MM")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "pdf"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="file (default: stdout)")
@with_appcontext
def trial_balance(village_code, township_code, start, end, fmt, output):
    """科目余额表 for a village or a whole township over a range of months."""
    from threeassets.core.periods import parse_ym
    from threeassets.reports import export
    from threeassets.reports.service import trial_balance as tb
    try:
        s, e = parse_ym(start), parse_ym(end)
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None
    if s > e:
        raise click.ClickException("--from is after --to")
    ids, title = _scope(village_code, township_code)
    rows = tb(db.session, ids, s, e)
    subtitle = f"{start} 至 {end}"
    if fmt == "csv":
        data = export.tb_csv(rows).encode("utf-8")
    elif fmt == "xlsx":
        data = export.tb_xlsx(rows, f"{title} 科目余额表", subtitle)
    else:
        from threeassets.reports.pdf import render_trial_balance
        data = render_trial_balance(rows, f"{title} 科目余额表", subtitle)
    write_output(data, output)


def register(main, report) -> None:
    """Attach the trial balance to the report group."""
    report.add_command(trial_balance)
