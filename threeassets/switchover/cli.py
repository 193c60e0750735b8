"""Command-line commands of the switchover feature: `threeassets switchover --village C FILE [--post]`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.db import db, transaction
from threeassets.orgs.cli import village_or_fail


def _print_preview(result) -> None:
    """The mapped rows and the opening lines, as plain text."""
    plan = result.plan
    for ln in result.lines:
        new = plan.targets.get(ln.code)
        label = f"{new} {plan.accounts[new].name}" + (" (new)" if new in result.creates else "") if new else "UNMAPPED"
        click.echo(f"{ln.code:<12} {ln.name:<16} -> {label}")
    if result.ready:
        debit, credit = plan.totals()
        click.echo(f"opening balances 2024-01: {len(plan.opening_lines())} accounts, debit {debit:.2f}, "
                   f"credit {credit:.2f}; {len(result.creates)} sub-accounts to create")


def _problems(result) -> list[str]:
    """Everything that stops the switch, one line each."""
    out = [result.refusal] if result.refusal else []
    out += [f"unmapped: {ln.code} {ln.name} (line {ln.line})" for ln in result.plan.unmapped]
    out += [f"line {line}: {col}: {why}" for line, col, why in result.plan.errors]
    return out + result.problems


@click.command("switchover")
@click.option("--village", "village_code", required=True)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--post", is_flag=True, help="create the sub-accounts and save the 2024-01 opening balances")
@with_appcontext
def switchover(village_code, file, post):
    """Map a village's 2023-12-31 trial balance under the 2004 chart to 2024 opening balances (preview by default)."""

    from threeassets.core.cli import fail
    from threeassets.core.csvio import ImportError_, read_path
    from threeassets.core.errors import IllegalMove
    from threeassets.switchover import service
    from threeassets.switchover.rules import TB_COLUMNS, TB_LIMITS
    village = village_or_fail(village_code)
    try:
        table = read_path(file, TB_COLUMNS, TB_LIMITS)
        result = service.preview(db.session, village, table)
        _print_preview(result)
        problems = _problems(result)
        if problems:
            for p in problems:
                click.echo(p, err=True)
            fail(f"switch-over refused, nothing written: {problems[0]}")
        if not post:
            click.echo("preview only: nothing written (add --post to save the 2024-01 opening balances)")
            return
        with transaction(db.session):
            service.switch_over(db.session, village=village, table=table, actor=None)
    except ImportError_ as exc:
        for line in exc.lines(20):
            click.echo(line, err=True)
        fail(f"switch-over refused, nothing written: {exc}")
    except (service.SwitchError, IllegalMove) as exc:
        fail(f"switch-over refused, nothing written: {exc}")
    debit, _credit = result.plan.totals()
    click.echo(f"saved the 2024-01 opening balances of {village.code} (debit = credit = {debit})")


def register(main, report) -> None:
    """Attach `switchover` to the `threeassets` group."""
    main.add_command(switchover)
