"""Command-line commands of the assets feature: `import assets FILE` and `depreciate --village C --period YYYY-MM`."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.db import db, transaction
from threeassets.orgs.cli import village_or_fail


@click.command("assets")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def import_assets(file):
    """Asset cards: org_code,asset_code,name,category,acquired_on,original_cost,useful_life_months,salvage_rate,
    depreciate,accumulated_depreciation[,purpose,location,custodian,status,note]; registered without vouchers."""
    from threeassets.assets.importer import COLUMNS
    from threeassets.assets.importer import import_assets as do_import
    from threeassets.core.cli import run_import
    stats = run_import(file, COLUMNS, do_import)
    click.echo(f"imported {stats['cards']} asset cards for {stats['villages']} villages")


def _preview_table(p) -> list[str]:
    """The month's preview as aligned text lines."""
    from threeassets.core.money import fmt
    out = [f"{'code':<12} {'account':<7} {'cost':>16} {'this month':>14} {'accumulated':>16} {'net':>16}  note"]
    for r in p.rows:
        out.append(f"{r.asset.code:<12} {r.account_code:<7} {fmt(r.asset.original_cost):>16} {fmt(r.amount):>14} "
                   f"{fmt(r.accumulated_after):>16} {fmt(r.net_after):>16}  {r.asset.name} {r.reason}".rstrip())
    out.append(f"total {fmt(p.total)} ({', '.join(f'{c}: {fmt(a)}' for c, a in p.by_account.items()) or 'nothing'})")
    return out


@click.command("depreciate")
@click.option("--village", "village_code", required=True)
@click.option("--period", required=True, help="YYYY-MM")
@click.option("--post", is_flag=True, help="post the month's depreciation voucher (once per period)")
@with_appcontext
def depreciate(village_code, period, post):
    """The month's straight-line depreciation: a preview per card, or with --post the voucher."""

    from threeassets.assets import depreciation
    from threeassets.core.cli import fail
    from threeassets.core.errors import RuleError
    from threeassets.core.periods import parse_ym
    village = village_or_fail(village_code)
    try:
        ym = parse_ym(period)
        if not post:
            p = depreciation.preview(db.session, village.id, ym)
            click.echo("\n".join(_preview_table(p)))
            if p.done_voucher is not None:
                click.echo(f"already posted: voucher {p.done_voucher.label}")
            return
        with transaction(db.session):
            v = depreciation.run(db.session, village=village, ym=ym, actor=None)
    except RuleError as exc:
        fail(str(exc))
    click.echo(f"posted depreciation {period}: voucher {v.label}, total {v.total:.2f}")


def register(main, report) -> None:
    """Attach `import assets` to the import group and `depreciate` to the main group."""
    main.commands["import"].add_command(import_assets)
    main.add_command(depreciate)
