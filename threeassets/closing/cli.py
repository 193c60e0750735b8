"""Command-line commands of the closing feature: close-period, close-year, reopen-period (acting as system), and
verify (the books with their stored balances: closing/verify.py)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError


def _fail(message: str) -> None:
    """Exit non-zero with a one-line reason (the CLI's shared helper)."""
    from threeassets.core.cli import fail
    fail(message.replace("\n", " "))


def _run(code: str, fn):
    """Find the village by code and run one closing service in a transaction; any refusal → one line, exit 1."""
    from sqlalchemy import select

    from threeassets.ledger.rules import LedgerError
    from threeassets.orgs.models import Village
    try:
        with transaction(db.session):
            village = db.session.scalar(select(Village).where(Village.code == code))
            if village is None:
                raise LedgerError(f"village {code} not found")
            return fn(village)
    except RuleError as exc:
        _fail(str(exc))


def _ym(text: str) -> int:
    """YYYY-MM → 202405, or exit with the reason."""
    from threeassets.core.periods import parse_ym
    try:
        return parse_ym(text)
    except RuleError as exc:
        _fail(str(exc))


@click.command("close-period")
@click.option("--village", "village_code", required=True)
@click.option("--period", required=True, help="YYYY-MM")
@with_appcontext
def close_period_cmd(village_code: str, period: str):
    """月结: lock a month and store its closing balances (refused while anything is unfinished)."""
    from threeassets.closing.service import close_period
    ym = _ym(period)
    stored = _run(village_code, lambda v: close_period(db.session, v, ym, None))
    click.echo(f"{village_code} {period} closed: {stored} account balances stored")


@click.command("close-year")
@click.option("--village", "village_code", required=True)
@click.option("--year", required=True, type=click.IntRange(1900, 9999))
@with_appcontext
def close_year_cmd(village_code: str, year: int):
    """年结: close income and expense into 本年收益, carry it to 收益分配, close December, open next January."""
    from threeassets.closing.yearend import close_year
    result = _run(village_code, lambda v: close_year(db.session, v, year, None))
    made = ", ".join(result.vouchers) if result.vouchers else "no vouchers needed"
    click.echo(f"{village_code} {year} closed: {made}; net result {result.net_result:.2f}; "
               f"{year}-12 closed, {year + 1}-01 open")


@click.command("reopen-period")
@click.option("--village", "village_code", required=True)
@click.option("--period", required=True, help="YYYY-MM")
@click.option("--reason", required=True)
@with_appcontext
def reopen_period_cmd(village_code: str, period: str, reason: str):
    """反结账: reopen a closed month (later months stay closed; their stored balances are dropped)."""
    from threeassets.closing.service import reopen_period
    ym = _ym(period)
    dropped = _run(village_code, lambda v: reopen_period(db.session, v, ym, None, reason))
    click.echo(f"{village_code} {period} reopened: {dropped} stored balances dropped")


def _villages(n: int) -> str:
    return f"{n} village" + ("" if n == 1 else "s")


@click.command("verify")
@click.option("--village", "village_code", default=None, help="one village's books (default: every village)")
@click.option("--head-from", type=click.Path(dir_okay=False),
              help="a file written earlier by --export-head: its heads must still be in the chains")
@click.option("--export-head", type=click.Path(dir_okay=False),
              help="when the books verify, write the chain heads to this file, to keep outside the database")
@with_appcontext
def verify_cmd(village_code: str | None, head_from: str | None, export_head: str | None):
    """Verify what the reports read: the chains, their anchors in the audit log (and an exported head), voucher
    numbers against the counters, turnover and stored balances against the posted lines; name every problem."""
    from datetime import datetime
    from pathlib import Path

    from threeassets.closing.verify import verify_books
    from threeassets.core.db import snapshot
    from threeassets.ledger.rules import heads_json, read_heads
    heads = None
    if head_from:
        try:
            heads = read_heads(Path(head_from).read_text(encoding="utf-8"), Path(head_from).name)
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"链头文件 {head_from} 无法读取：{exc}")
        except RuleError as exc:
            _fail(str(exc))
    with snapshot(db.session):
        found = verify_books(db.session, village_code, heads)
    if found.problems:
        for problem in found.problems:
            click.echo(problem, err=True)
        _fail(found.problems[0])
    done = (f"books verified: {found.vouchers} posted vouchers in {_villages(found.villages)}; chain, "
            f"{found.anchors} audit anchors, voucher numbers, turnover and stored balances agree")
    if heads:
        done += f"; the exported heads of {_villages(len(heads))} are in the chains"
    if export_head:
        Path(export_head).write_text(heads_json(found.heads, datetime.now()), encoding="utf-8")
        done += f"; heads of {_villages(len(found.heads))} written to {export_head}"
    click.echo(done)


def register(main, report) -> None:
    """Attach this feature's commands to the `threeassets` group (and sub-commands to `report`)."""
    for command in (close_period_cmd, close_year_cmd, reopen_period_cmd, verify_cmd):
        main.add_command(command)
