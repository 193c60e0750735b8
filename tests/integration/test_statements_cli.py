"""The `threeassets report balance-sheet | income-statement | …` contracts (README, docs/statements.md) on
vouchers imported with the console script (in a subprocess, as a clerk runs it), the reports run through click's
CliRunner on the same database, checked against sums computed here from the imported file."""
from __future__ import annotations

import csv
import os
import random
import re
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
CLI = "import sys; from threeassets.cli import main; sys.exit(main())"
AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
D = Decimal
# (debit, credit) pairs over the 2023 chart, including 113 内部往来 on both sides and the P&L accounts.
PAIRS = [("102", "501"), ("102", "503"), ("101", "102"), ("513", "101"), ("511", "102"), ("514", "102"),
         ("112", "501"), ("102", "112"), ("113", "102"), ("102", "113"), ("151", "102"), ("513", "152"),
         ("102", "201"), ("102", "301"), ("515", "101"), ("102", "504"), ("212", "102"), ("513", "212")]
INCOME = {"501", "502", "503", "504"}
EXPENSE = {"511", "512", "513", "514", "515", "521"}


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run `threeassets ARGS` in a subprocess on the test database."""
    done = subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done


def report(env: dict, *args: str, ok: bool = True):
    """Run `threeassets report ARGS` in-process (CliRunner); returns click's Result."""
    from threeassets.cli import main
    result = CliRunner().invoke(main, ["report", *args], env=env)
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def imported(db_url, tmp_path):
    """Two villages of township T1 with 2024 vouchers imported and posted through the CLI; returns (env, lines)."""
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_URL"}
    env.update(DATABASE_URL=str(db_url), THREEASSETS_INSTANCE=str(tmp_path / "instance"))
    (tmp_path / "orgs.csv").write_text("township_code,township_name,village_code,village_name\n"
                                       "T1,示范镇,V1,第一村\nT1,示范镇,V2,第二村\n", encoding="utf-8")
    rnd = random.Random(7)
    rows = []
    for org in ("V1", "V2"):
        for i in range(60):
            dr, cr = rnd.choice(PAIRS)
            amount = D(rnd.randrange(100, 2_000_000)).scaleb(-2)
            day = f"2024-{1 + i // 6:02d}-{1 + i % 28:02d}"
            rows += [(org, day, f"{org}-{i}", "导入", dr, f"{amount:.2f}", ""),
                     (org, day, f"{org}-{i}", "导入", cr, "", f"{amount:.2f}")]
    with open(tmp_path / "j.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["org_code", "date", "voucher_ref", "summary", "account_code", "debit", "credit"])
        w.writerows(rows)
    run(env, "import", "orgs", str(tmp_path / "orgs.csv"))
    run(env, "import", "vouchers", str(tmp_path / "j.csv"), "--post")
    return env, rows


def net_by_code(rows, orgs: set[str], upto: str) -> dict[str, dict[str, D]]:
    """org → account code → net debit of the imported lines dated up to a month (YYYY-MM)."""
    out: dict[str, dict[str, D]] = defaultdict(lambda: defaultdict(D))
    for org, day, _ref, _s, code, debit, credit in rows:
        if org in orgs and day[:7] <= upto:
            out[org][code] += D(debit or 0) - D(credit or 0)
    return out


def read(path: Path) -> list[dict]:
    """A CSV written by the CLI."""
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


SCOPES = [(("--village", "V1"), {"V1"}), (("--village", "V2"), {"V2"}), (("--township", "T1"), {"V1", "V2"})]


def test_balance_sheet_contract(imported, tmp_path):
    env, rows = imported
    for scope, orgs in SCOPES:
        out = tmp_path / "bs.csv"
        report(env, "balance-sheet", *scope, "--period", "2024-06", "-o", str(out))
        check_balance_sheet(read(out), rows, orgs)


def check_balance_sheet(got: list[dict], rows, orgs: set[str]) -> None:
    """The balance sheet CSV against the imported lines of some villages."""
    assert list(got[0]) == ["row_no", "item", "opening", "closing"]
    assert all(AMOUNT.match(r["opening"]) and AMOUNT.match(r["closing"]) for r in got)
    closing = {r["item"]: D(r["closing"]) for r in got}
    nets = net_by_code(rows, orgs, "2024-06")
    total = lambda *codes: sum((n.get(c, D(0)) for n in nets.values() for c in codes), D(0))  # noqa: E731
    assert closing["货币资金"] == total("101", "102")
    # 113 is a leaf here: each village's net balance goes to 应收款项 when debit, 应付款项 when credit
    internal = [n.get("113", D(0)) for n in nets.values()]
    assert closing["应收款项"] == total("112") + sum(x for x in internal if x > 0)
    assert closing["应付款项"] == -total("211") - sum(x for x in internal if x < 0)
    assert closing["固定资产净值"] == total("151", "152")
    assert closing["未分配收益"] == -total(*INCOME, *EXPENSE)
    assert closing["资产总计"] == closing["负债和所有者权益总计"]
    assert {r["opening"] for r in got} == {"0.00"}  # nothing before 2024


def test_income_statement_contract(imported):
    env, rows = imported
    for scope, orgs in SCOPES:
        done = report(env, "income-statement", *scope, "--period", "2024-06")  # to stdout
        check_income_statement(list(csv.DictReader(done.stdout.splitlines())), rows, orgs)


def check_income_statement(got: list[dict], rows, orgs: set[str]) -> None:
    """The income statement CSV against the imported lines of some villages."""
    assert list(got[0]) == ["row_no", "item", "current", "year_to_date"]
    assert all(AMOUNT.match(r["current"]) and AMOUNT.match(r["year_to_date"]) for r in got)
    item = {r["item"]: r for r in got}
    whole = net_by_code(rows, orgs, "2024-06")
    may = net_by_code(rows, orgs, "2024-05")
    pl = lambda nets: -sum((n.get(c, D(0)) for n in nets.values() for c in INCOME | EXPENSE), D(0))  # noqa: E731
    assert D(item["本年收益"]["year_to_date"]) == pl(whole)
    assert D(item["本年收益"]["current"]) == pl(whole) - pl(may)
    assert item["年末未分配收益"]["year_to_date"] == item["可分配收益"]["year_to_date"]  # nothing distributed


def test_books_files_and_refusals(imported, tmp_path):
    env, _rows = imported
    gl = report(env, "general-ledger", "--village", "V1", "--period", "2024-03").stdout.splitlines()
    assert gl[0] == "account_code,account_name,period,summary,debit,credit,side,balance"
    journal = report(env, "bank-journal", "--village", "V1", "--from", "2024-02", "--to", "2024-02").stdout
    assert journal.splitlines()[0] == "date,voucher,summary,debit,credit,side,balance"
    assert "本日合计" in journal and "本月合计" in journal and "本年累计" in journal
    detail = report(env, "income-expense", "--township", "T1", "--period", "2024-06").stdout
    assert detail.splitlines()[0] == "account_code,account_name,current,year_to_date"
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        out = tmp_path / f"bs.{fmt}"
        report(env, "balance-sheet", "--township", "T1", "--period", "2024-06", "--format", fmt, "-o", str(out))
        assert out.read_bytes().startswith(magic)
    # refusals: non-zero exit, nothing on stdout, the reason on the last line
    for args in (("balance-sheet", "--village", "V1", "--period", "2024-13"),
                 ("balance-sheet", "--village", "NOPE", "--period", "2024-06"),
                 ("income-statement", "--village", "V1", "--township", "T1", "--period", "2024-06"),
                 ("bank-journal", "--village", "V1", "--account", "101", "--from", "2024-01", "--to", "2024-01")):
        done = report(env, *args, ok=False)
        assert done.exit_code != 0 and done.stdout == "", args
        assert done.stderr.strip().splitlines()[-1].startswith("Error: "), done.stderr
    assert "not found under 102" in done.stderr


def test_notes_files_add_up_to_the_balance_sheet(imported, tmp_path):
    from io import BytesIO

    from openpyxl import load_workbook
    env, _rows = imported
    out = tmp_path / "notes.xlsx"
    report(env, "notes", "--village", "V1", "--period", "2024-06", "--format", "xlsx", "-o", str(out))
    wb = load_workbook(BytesIO(out.read_bytes()))
    total = [r for r in wb["二、应收款项（按单位或个人）"].iter_rows(values_only=True) if r[0] == "合计"][0]
    bs = {r["item"]: r for r in read_csv_text(report(env, "balance-sheet", "--village", "V1", "--period",
                                                     "2024-06").stdout)}
    assert f"{D(str(total[3])):.2f}" == bs["应收款项"]["closing"]
    pdf = tmp_path / "notes.pdf"
    report(env, "notes", "--township", "T1", "--period", "2024-06", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    done = report(env, "notes", "--village", "V1", "--period", "2024-06", "--format", "csv", ok=False)
    assert done.exit_code != 0


def read_csv_text(text: str) -> list[dict]:
    """Rows of a CSV the CLI printed."""
    import io
    return list(csv.DictReader(io.StringIO(text)))
