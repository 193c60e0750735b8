"""Command-line commands of the budgets feature: `import budgets FILE` and `report budget`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.cli import write_output
from threeassets.core.db import db
from threeassets.core.errors import RuleError


@click.command("budgets")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_budgets(file):
    """Budgets: org_code,year,account_code,amount[,note]; each village-year in the file is replaced."""
    from threeassets.budgets.service import IMPORT_COLUMNS
    from threeassets.budgets.service import import_budgets as do_import
    from threeassets.core.cli import run_import
    stats = run_import(file, IMPORT_COLUMNS, do_import)
    click.echo(f"imported {stats['rows']} budget rows: {stats['budgets']} village-years, {stats['villages']} villages")


@click.command("budget")
@click.option("--village", "village_code")
@click.option("--township", "township_code")
@click.option("--year", required=True, type=int)
@click.option("--to", "upto", default=None, help="YYYY-MM, last month of actuals (default: December of the year)")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="file (default: stdout)")
@with_appcontext
def report_budget(village_code, township_code, year, upto, fmt, output):
    """预算执行情况: budget, actual to date, variance and % executed per account."""
    from threeassets.budgets import export
    from threeassets.budgets.rules import parse_year
    from threeassets.budgets.service import budget_vs_actual
    from threeassets.core.periods import parse_ym, ym_label
    from threeassets.reports.cli import _scope
    if parse_year(year) is None:
        raise click.ClickException("--year must be between 2000 and 2100")
    try:
        end = parse_ym(upto) if upto else year * 100 + 12
    except RuleError as exc:
        raise click.ClickException(str(exc)) from None
    if end // 100 != year:
        raise click.ClickException("--to must be a month of --year")
    ids, title = _scope(village_code, township_code)
    rows = budget_vs_actual(db.session, ids, year, end)
    if fmt == "csv":
        data = export.bva_csv(rows).encode("utf-8")
    else:
        data = export.bva_xlsx(rows, f"{title} 预算执行情况", f"{year}年预算，实际数截至 {ym_label(end)}")
    write_output(data, output)


def register(main, report) -> None:
    """Attach `import budgets` to the import group and `report budget` to the report group."""
    main.commands["import"].add_command(import_budgets)
    report.add_command(report_budget)
