"""`threeassets report balance-sheet | income-statement | general-ledger | income-expense | notes | cash-journal |
bank-journal | account-ledger` — the statements and books as CSV (export contracts), XLSX or PDF."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from threeassets.core.cli import write_output
from threeassets.core.db import db
from threeassets.core.errors import RuleError

FORMAT = click.Choice(["csv", "xlsx", "pdf"])


def _ym(text: str, option: str) -> int:
    """Parse YYYY-MM or stop with a one-line reason."""
    from threeassets.core.periods import parse_ym
    try:
        return parse_ym(text)
    except RuleError:
        raise click.ClickException(f"{option} must be YYYY-MM, got {text!r}") from None


def _emit(table, csv_text, fmt: str, output: str | None) -> None:
    """Render a table (XLSX, PDF) or the CSV export contract and write it out."""
    if fmt == "csv":
        data = csv_text().encode("utf-8")
    elif fmt == "xlsx":
        from threeassets.statements.export import table_xlsx
        data = table_xlsx(table)
    else:
        from threeassets.statements.pdf import render_table
        data = render_table(table)
    write_output(data, output)


def _scoped(fn):
    """Options shared by the statement commands: --village | --township, --period, --format, -o."""
    for deco in reversed([click.option("--village", "village_code"), click.option("--township", "township_code"),
                          click.option("--period", required=True, help="YYYY-MM"),
                          click.option("--format", "fmt", type=FORMAT, default="csv", show_default=True),
                          click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
                                       help="file (default: stdout)"),
                          with_appcontext]):
        fn = deco(fn)
    return fn


def _org(village_code, township_code) -> tuple[list[int], str]:
    """Village ids and the 编制单位 name for --village or --township."""
    from threeassets.reports.cli import _scope
    return _scope(village_code, township_code)


def _balance_sheet(ids: list[int], ym: int, org: str):
    """资产负债表: the printed table and the CSV export contract (row_no,item,opening,closing)."""
    from threeassets.statements import export, tables
    from threeassets.statements.service import balance_sheet
    st = balance_sheet(db.session, ids, ym, org)
    return tables.balance_sheet_table(st), lambda: export.statement_csv(st)


def _income_statement(ids: list[int], ym: int, org: str):
    """收益及收益分配表: the printed table and the CSV (row_no,item,current,year_to_date)."""
    from threeassets.statements import export, tables
    from threeassets.statements.service import income_statement
    st = income_statement(db.session, ids, ym, org)
    return tables.income_statement_table(st), lambda: export.statement_csv(st)


def _general_ledger(ids: list[int], ym: int, org: str):
    """总账: the printed table and its CSV."""
    from threeassets.statements import books, export, tables
    accounts = books.general_ledger(db.session, ids, ym)
    return tables.general_ledger_table(accounts, org, ym), lambda: export.general_ledger_csv(accounts)


def _income_expense(ids: list[int], ym: int, org: str):
    """收支明细表: the printed table and its CSV."""
    from threeassets.statements import books, export, tables
    detail = books.income_expense_detail(db.session, ids, ym)
    return tables.income_expense_table(detail, org), lambda: export.income_expense_csv(detail)


STATEMENTS = [
    ("balance-sheet", _balance_sheet,
     "资产负债表 at the end of a month: CSV columns row_no,item,opening,closing (年初数, 期末数)."),
    ("income-statement", _income_statement,
     "收益及收益分配表 of a month: CSV columns row_no,item,current,year_to_date (本月数, 本年累计数)."),
    ("general-ledger", _general_ledger,
     "总账 of the year up to a month: 上年结转, 本月合计 and 本年累计 per first-level account."),
    ("income-expense", _income_expense,
     "收支明细表 of a month: income and expense accounts with sub-accounts, 本月数 and 本年累计数."),
]


def _statement_command(name: str, build, doc: str):
    """Build one statement command (--village | --township, --period, --format, -o)."""
    @click.command(name, help=doc)
    @_scoped
    def command(village_code, township_code, period, fmt, output):
        ym = _ym(period, "--period")
        ids, org = _org(village_code, township_code)
        table, csv_text = build(ids, ym, org)
        _emit(table, csv_text, fmt, output)
    return command


def _journal(kind: str, village_code: str, account_code: str | None, start: str, end: str, fmt: str, output):
    """A journal or account ledger of one village's account over a range of months."""
    from sqlalchemy import select

    from threeassets.ledger.models import Account
    from threeassets.orgs.models import Village
    from threeassets.statements import books, export, tables
    s, e = _ym(start, "--from"), _ym(end, "--to")
    if s > e:
        raise click.ClickException("--from is after --to")
    village = db.session.scalar(select(Village).where(Village.code == village_code))
    if village is None:
        raise click.ClickException(f"village {village_code} not found")
    root = books.JOURNAL_ROOTS.get(kind)
    code = account_code or root
    account = db.session.scalar(select(Account).where(Account.village_id == village.id, Account.code == code))
    if account is None or (root and not books.is_under(account, root)):
        raise click.ClickException(f"account {code} not found" + (f" under {root}" if root else ""))
    j = books.journal(db.session, village.id, account, s, e, kind)
    _emit(tables.journal_table(j, village.name), lambda: export.journal_csv(j), fmt, output)


def _journal_command(name: str, kind: str, doc: str, account_required: bool = False):
    """Build one journal command (cash, bank, account ledger) with its options."""
    @click.command(name, help=doc)
    @click.option("--village", "village_code", required=True)
    @click.option("--account", "account_code", required=account_required, default=None, help="account code")
    @click.option("--from", "start", required=True, help="YYYY-MM")
    @click.option("--to", "end", required=True, help="YYYY-MM")
    @click.option("--format", "fmt", type=FORMAT, default="csv", show_default=True)
    @click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="file (default: stdout)")
    @with_appcontext
    def command(village_code, account_code, start, end, fmt, output):
        _journal(kind, village_code, account_code, start, end, fmt, output)
    return command


@click.command("notes", help="会计报表附注 of a month (policies, counterparties, assets by category, distribution): "
                              "XLSX (a sheet per note) or PDF.")
@click.option("--village", "village_code")
@click.option("--township", "township_code")
@click.option("--period", required=True, help="YYYY-MM")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "pdf"]), default="pdf", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="file (default: stdout)")
@with_appcontext
def notes_command(village_code, township_code, period, fmt, output):
    """The notes as one file."""
    from threeassets.statements import export, tables
    from threeassets.statements.notes import statement_notes
    ym = _ym(period, "--period")
    ids, org = _org(village_code, township_code)
    parts = tables.notes_tables(statement_notes(db.session, ids, ym, org))
    if fmt == "xlsx":
        write_output(export.tables_xlsx(parts), output)
    else:
        from threeassets.statements.pdf import render_tables
        write_output(render_tables(tables.NOTES_TITLE, parts), output)


def register(main, report) -> None:
    """Attach this feature's commands to the `threeassets` group (and sub-commands to `report`)."""
    for name, build, doc in STATEMENTS:
        report.add_command(_statement_command(name, build, doc))
    report.add_command(notes_command)
    report.add_command(_journal_command("cash-journal", "cash", "现金日记账 (101 or one of its sub-accounts)."))
    report.add_command(_journal_command("bank-journal", "bank", "银行存款日记账 (102 or one bank sub-account)."))
    report.add_command(_journal_command("account-ledger", "ledger", "明细账 of any account, children included.",
                                        account_required=True))
