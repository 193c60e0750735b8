"""`threeassets disclose`: one village's PDF, a township's ZIP, refusals that write nothing."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from threeassets.cli import main
from threeassets.disclosure.models import Disclosure


@pytest.fixture
def cli(app, db_url, tmp_path, world):
    """Run `threeassets …` on the test database (inside the test app's context); returns the result."""
    def _run(*args, public_url="https://sanzi.example.cn"):
        app.config["PUBLIC_URL"] = public_url  # the command runs in the pushed test app, not a new one
        env = {"DATABASE_URL": db_url, "THREEASSETS_INSTANCE": str(tmp_path / "cli-instance")}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return _run


@pytest.fixture
def books(post_voucher, world):
    """Some May 2024 income in a1."""
    post_voucher(world.a1, date(2024, 5, 3), [("土地发包费", "102", "12000", ""), ("发包", "501", "", "12000")])


def notices(session) -> list[tuple[int, str, int, str]]:
    """(village id, period, version, status) of every notice, fresh."""
    session.rollback()
    return sorted(session.execute(select(Disclosure.village_id, Disclosure.period, Disclosure.version,
                                         Disclosure.status)).all())


def test_village_pdf(cli, tmp_path, session, world, books):
    out = tmp_path / "a1.pdf"
    result = cli("disclose", "--village", "A1", "--period", "2024-05", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "A1 甲一村" in result.stdout
    assert notices(session) == [(world.a1.id, "2024-05", 1, "draft")]
    again = cli("disclose", "--village", "A1", "--period", "2024-5", "-o", str(out), "--layout", "a3")
    assert again.exit_code == 0, again.output
    assert notices(session) == [(world.a1.id, "2024-05", 1, "draft")]  # the draft regenerated, not a new one
    assert session.scalar(select(Disclosure.layout)) == "a3"


def test_township_zip_with_default_name(cli, tmp_path, session, world, books, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("disclose", "--township", "TA", "--period", "2024-Q2")
    assert result.exit_code == 0, result.output
    data = (tmp_path / "TA-2024-Q2-公开榜.zip").read_bytes()
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["A1-甲一村-2024-Q2.pdf", "A2-甲二村-2024-Q2.pdf"]
    assert [n[1:] for n in notices(session)] == [("2024-Q2", 1, "draft")] * 2


@pytest.mark.parametrize("args, reason", [
    (["--village", "A1", "--township", "TA", "--period", "2024-05"], "exactly one"),
    (["--period", "2024-05"], "exactly one"),
    (["--village", "ZZ", "--period", "2024-05"], "village ZZ not found"),
    (["--township", "ZZ", "--period", "2024-05"], "township ZZ not found"),
    (["--village", "A1", "--period", "2024-13"], "月份"),
    (["--village", "A1", "--period", f"{date.today().year + 1}-01"], "尚未开始"),
])
def test_refusals_exit_non_zero_and_write_nothing(cli, tmp_path, session, world, args, reason):
    out = tmp_path / "x.pdf"
    result = cli("disclose", *args, "-o", str(out))
    assert result.exit_code == 1
    assert reason in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not out.exists() and not (tmp_path / "x.pdf.part").exists()
    assert session.scalar(select(func.count()).select_from(Disclosure)) == 0


def test_unwritable_output_rolls_back(cli, tmp_path, session, world, books):
    result = cli("disclose", "--village", "A1", "--period", "2024-05", "-o", str(tmp_path / "no" / "dir.pdf"))
    assert result.exit_code == 1 and "cannot write" in result.stderr
    assert session.scalar(select(func.count()).select_from(Disclosure)) == 0


def test_missing_public_url_warns(cli, tmp_path, world, books):
    result = cli("disclose", "--village", "A1", "--period", "2024-05", "-o", str(tmp_path / "a.pdf"), public_url="")
    assert result.exit_code == 0 and "THREEASSETS_PUBLIC_URL" in result.stderr


def test_missing_public_url_refuses_outside_development(app, cli, tmp_path, session, world, books):
    app.testing = False  # a production instance: no tests, no debugger, THREEASSETS_ENV unset
    try:
        result = cli("disclose", "--village", "A1", "--period", "2024-05", "-o", str(tmp_path / "a.pdf"),
                     public_url="")
    finally:
        app.testing = True
    assert result.exit_code == 1 and "THREEASSETS_PUBLIC_URL" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "a.pdf").exists()
    assert notices(session) == []
