"""Rare characters on the command line (issue 14, point 2): a PDF holding a character no installed font has ends the
command with one line naming the character and the field, writes no file and, for `disclose`, no notice."""
from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from threeassets.cli import main
from threeassets.disclosure.models import Disclosure

LOST = "\U0002EBF0"  # Extension I: no installed font has it


@pytest.fixture
def cli(app, db_url, tmp_path, world):
    """Run `threeassets …` on the test database (inside the test app's context); returns click's Result."""
    def _run(*args):
        app.config["PUBLIC_URL"] = "https://sanzi.example.cn"
        env = {"DATABASE_URL": db_url, "THREEASSETS_INSTANCE": str(tmp_path / "cli-instance")}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return _run


@pytest.fixture
def lost(post_voucher, world):
    """A May 2024 cash payment of a1 whose summary holds a character no installed font has."""
    post_voucher(world.a1, date(2024, 5, 8), [(f"付{LOST}款", "513", "10", ""), (f"付{LOST}款", "101", "", "10")])


def one_line_refusal(result, where: str) -> None:
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]  # a township's has a bar
    assert len(errors) == 1 and errors[0].startswith("error: 无法生成 PDF：") and "Traceback" not in result.stderr
    assert f"“{where}”中的字符“{LOST}”（U+2EBF0）" in errors[0]


def test_a_report_refuses_and_writes_nothing(cli, tmp_path, lost):
    out = tmp_path / "cash.pdf"
    result = cli("report", "cash-journal", "--village", "A1", "--from", "2024-05", "--to", "2024-05",
                 "--format", "pdf", "-o", str(out))
    one_line_refusal(result, "现金日记账 第 2 行 摘要")
    assert not out.exists()
    csv = cli("report", "cash-journal", "--village", "A1", "--from", "2024-05", "--to", "2024-05")
    assert csv.exit_code == 0 and f"付{LOST}款" in csv.stdout  # the CSV keeps every character


@pytest.mark.parametrize("scope", ["--village A1", "--township TA"])
def test_disclose_refuses_naming_the_village_and_makes_no_notice(cli, tmp_path, session, world, lost, scope):
    out = tmp_path / "out.pdf"
    result = cli("disclose", *scope.split(), "--period", "2024-05", "-o", str(out))
    one_line_refusal(result, f"{world.a1.name} 各项支出 第 1 行 摘要")
    assert not out.exists() and not (tmp_path / "out.pdf.part").exists()
    session.rollback()
    assert session.scalar(select(func.count(Disclosure.id))) == 0
