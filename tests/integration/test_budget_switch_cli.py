"""The command line: `import budgets`, `report budget` and `switchover`, on the test database."""
from decimal import Decimal as D

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.integration.conftest import snapshot
from threeassets.budgets.models import Budget
from threeassets.cli import main
from threeassets.ledger.models import Voucher

TB = ("account_code,account_name,debit_balance,credit_balance\n101,现金,300.00,\n112,应收款,200.00,\n"
      "112001,张三,200.00,\n202,应付款,,100.00\n301,资本,,400.00\n")


@pytest.fixture
def cli(db_url, tmp_path, world):
    """Run `threeassets …` on the test database; returns the result (exit code, stdout, stderr)."""
    def _run(*args):
        env = {"DATABASE_URL": db_url, "THREEASSETS_INSTANCE": str(tmp_path / "cli-instance")}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return _run


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_budgets_and_report(cli, tmp_path, session, world, post_voucher):
    from datetime import date
    post_voucher(world.a1, date(2024, 3, 1), [("发包", "102", "600", ""), ("发包", "501", "", "600")])
    path = write(tmp_path, "b.csv", "org_code,year,account_code,amount\nA1,2024,501,2400\nA1,2024,513,100\n", "gbk")
    result = cli("import", "budgets", path)
    assert result.exit_code == 0, result.output
    assert "imported 2 budget rows: 1 village-years, 1 villages" in result.stdout
    session.rollback()
    assert session.scalar(select(func.sum(Budget.amount))) == D("2500.00")
    report = cli("report", "budget", "--village", "A1", "--year", "2024", "--to", "2024-06")
    assert report.exit_code == 0
    assert "501,经营收入,2400.00,600.00,-1800.00,25.0" in report.stdout.splitlines()
    out = tmp_path / "b.xlsx"
    xlsx = cli("report", "budget", "--township", "TA", "--year", "2024", "--format", "xlsx", "-o", str(out))
    assert xlsx.exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_bad_budget_file_exits_nonzero_and_writes_nothing(cli, tmp_path, session):
    before = snapshot(session)
    path = write(tmp_path, "b.csv", "org_code,year,account_code,amount\nA1,2024,501,1.005\n")
    result = cli("import", "budgets", path)
    assert result.exit_code == 1
    assert "b.csv:2: amount: 金额最多两位小数" in result.stderr
    session.rollback()
    assert snapshot(session) == before and session.scalar(select(func.count()).select_from(Budget)) == 0


def test_report_budget_arguments(cli):
    assert cli("report", "budget", "--village", "A1", "--year", "2024", "--to", "2025-01").exit_code == 1
    assert cli("report", "budget", "--year", "2024").exit_code != 0
    assert cli("report", "budget", "--village", "ZZ", "--year", "2024").exit_code == 1


def test_switchover_previews_then_saves_openings(cli, tmp_path, session):
    path = write(tmp_path, "tb.csv", TB)
    preview = cli("switchover", "--village", "A1", path)
    assert preview.exit_code == 0 and "preview only" in preview.stdout
    assert "112001       张三" in preview.stdout and "-> 112001 张三 (new)" in preview.stdout
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Voucher)) == 0
    posted = cli("switchover", "--village", "A1", path, "--post")
    assert posted.exit_code == 0 and "saved the 2024-01 opening balances of A1" in posted.stdout
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Voucher)) == 0
    again = cli("switchover", "--village", "A1", path, "--post")
    assert again.exit_code == 1 and "不能重复转换" in again.stderr


def test_switchover_refusals_exit_nonzero(cli, tmp_path, session):
    unmapped = cli("switchover", "--village", "A1", write(tmp_path, "u.csv", TB + "191,其他资产,0,\n"))
    assert unmapped.exit_code == 1 and "unmapped: 191 其他资产 (line 7)" in unmapped.stderr
    bad = write(tmp_path, "x.csv", TB.replace("300.00", "300.10"))
    unbalanced = cli("switchover", "--village", "A1", bad, "--post")
    assert unbalanced.exit_code == 1 and "借贷不平衡" in unbalanced.stderr
    assert cli("switchover", "--village", "ZZ", write(tmp_path, "t.csv", TB)).exit_code == 1
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Voucher)) == 0
