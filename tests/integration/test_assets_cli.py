"""The command line: `import assets FILE` and `depreciate --village C --period YYYY-MM [--post]`."""
from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from threeassets.assets.models import Asset
from threeassets.cli import main
from threeassets.ledger.models import Voucher

HEADER = ("org_code,asset_code,name,category,acquired_on,original_cost,useful_life_months,salvage_rate,depreciate,"
          "accumulated_depreciation,purpose\n")
PERIOD = date.today().strftime("%Y-%m")


@pytest.fixture
def cli(db_url, tmp_path, world):
    def _run(*args):
        env = {"DATABASE_URL": db_url, "THREEASSETS_INSTANCE": str(tmp_path / "cli-instance")}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return _run


def _file(tmp_path, body, encoding="utf-8-sig"):
    path = tmp_path / "cards.csv"
    path.write_bytes((HEADER + body).encode(encoding))
    return str(path)


def count(session, model):
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


def test_import_then_preview_then_post(cli, tmp_path, session):
    path = _file(tmp_path, "A1,F1,拖拉机,机器设备,2020-01-15,12000.00,120,0,是,0,经营性\n"
                           "B1,F1,办公楼,房屋及建筑物,2015-06-20,860000.00,360,5,是,190000.00,管理用\n", "gbk")
    result = cli("import", "assets", path)
    assert result.exit_code == 0, result.output
    assert "imported 2 asset cards for 2 villages" in result.stdout
    result = cli("depreciate", "--village", "A1", "--period", PERIOD)
    assert result.exit_code == 0 and "100.00" in result.stdout and "total 100.00" in result.stdout
    assert count(session, Voucher) == 0
    result = cli("depreciate", "--village", "A1", "--period", PERIOD, "--post")
    assert result.exit_code == 0, result.output
    assert "posted depreciation" in result.stdout and count(session, Voucher) == 1
    result = cli("depreciate", "--village", "A1", "--period", PERIOD, "--post")
    assert result.exit_code == 1 and "每期只能计提一次" in result.stderr
    assert count(session, Voucher) == 1


def test_import_errors_are_file_line_column_reason(cli, tmp_path, session):
    path = _file(tmp_path, "A1,F1,拖拉机,机器设备,2020-01-15,12000.00,120,0,是,0,经营性\n"
                           "A1,F2,水泵,机器设备,2099-01-15,-1,0,120,maybe,0,私用\n")
    result = cli("import", "assets", path)
    assert result.exit_code == 1
    for column in ("acquired_on", "original_cost", "useful_life_months", "salvage_rate", "depreciate", "purpose"):
        assert f"cards.csv:3: {column}:" in result.stderr
    assert count(session, Asset) == 0


@pytest.mark.parametrize("args, reason", [
    (["--village", "ZZ", "--period", PERIOD], "village ZZ not found"),
    (["--village", "A1", "--period", "2024-13"], "不是年月"),
    (["--village", "A1", "--period", PERIOD, "--post"], "没有需要计提折旧的资产"),
])
def test_depreciate_failures_exit_non_zero_with_one_line(cli, args, reason):
    result = cli("depreciate", *args)
    assert result.exit_code == 1 and reason in result.stderr


def test_salvage_rates_are_read_as_people_write_them(cli, tmp_path, session):
    path = _file(tmp_path, "A1,F1,拖拉机,机器设备,2020-01-15,12000.00,120,5%,是,0,经营性\n"
                           "A1,F2,水泵,机器设备,2020-01-15,1000.00,120,３％,是,0,经营性\n"
                           "A1,F3,水车,机器设备,2020-01-15,1000.00,120,4,是,0,经营性\n")
    assert cli("import", "assets", path).exit_code == 0
    session.rollback()
    rates = dict(session.execute(select(Asset.code, Asset.salvage_rate)).all())
    assert {k: str(v) for k, v in rates.items()} == {"F1": "5.00", "F2": "3.00", "F3": "4.00"}


def test_a_bare_fraction_is_refused_as_an_ambiguous_rate(cli, tmp_path, session):
    path = _file(tmp_path, "A1,F1,拖拉机,机器设备,2020-01-15,12000.00,120,0.05,是,0,经营性\n")
    result = cli("import", "assets", path)
    assert result.exit_code == 1
    assert "cards.csv:2: salvage_rate: 残值率“0.05”有歧义" in result.stderr and "金额" not in result.stderr
    assert count(session, Asset) == 0
