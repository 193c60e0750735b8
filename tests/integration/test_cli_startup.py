"""What a command builds as it starts (docs/architecture.md, start-up of the command line): the data commands get an
app without the web parts and load only what they use; `--help` builds no app; password hashing waits for a login.

The commands run in processes of their own, as a clerk runs them: in this process every module is loaded already.
Each run records, as it exits, which of the modules in question it had loaded and whether the dummy password hash
(auth.service.dummy_hash) was made.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date

import click
import pytest

import threeassets.models_registry  # noqa: F401  (every model, for MODEL_MODULES)
from tests.conftest import CHEAP_HASHER
from threeassets.auth import service
from threeassets.cli import WEB_COMMANDS, _create_app, main
from threeassets.core.db import Base

# Runs the console script's main with the given arguments; at exit writes what it loaded to $PROBE_OUT.
PROBE = """
import atexit, json, os, sys

def _record():
    auth = sys.modules.get("threeassets.auth.service")
    facts = {"modules": sorted(m for m in sys.modules if m.startswith(("threeassets", "flask_wtf", "wtforms",
                                                                        "pypinyin", "reportlab", "argon2"))),
             "dummy_hash_made": bool(auth and auth._DUMMY)}
    with open(os.environ["PROBE_OUT"], "w") as fh:
        json.dump(facts, fh)

atexit.register(_record)
sys.argv = ["threeassets", *sys.argv[1:]]
from threeassets.cli import main
main()
"""
WEB_PARTS = ("flask_wtf", "wtforms", "pypinyin", "threeassets.extensions", "threeassets.core.web")


def web_parts(modules: list[str]) -> list[str]:
    """The modules of the list that only the web app needs: page routes, forms, the pinyin dictionaries."""
    return [m for m in modules if m.startswith(WEB_PARTS) or m.endswith(".routes") or ".routes." in m]


@pytest.fixture
def run(db_url, tmp_path):
    """Run `threeassets ARGS` in a new process on the test database: (exit code, output, what it loaded)."""
    def _run(*args: str) -> tuple[int, str, dict]:
        out = tmp_path / "probe.json"
        out.unlink(missing_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("THREEASSETS_")}
        env.update(DATABASE_URL=db_url, THREEASSETS_INSTANCE=str(tmp_path / "cli-instance"), SECRET_KEY="test",
                   THREEASSETS_PUBLIC_URL="https://sanzi.example.cn", PROBE_OUT=str(out))
        proc = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True,
                              timeout=120, check=False)
        return proc.returncode, proc.stdout + proc.stderr, json.loads(out.read_text())
    return _run


@pytest.fixture
def books(post_voucher, world):
    """Some May 2024 income in a1."""
    post_voucher(world.a1, date(2024, 5, 3), [("土地发包费", "102", "12000", ""), ("发包", "501", "", "12000")])


def test_a_report_loads_no_web_part_and_only_the_models_it_reads(run, books, tmp_path):
    code, output, facts = run("report", "trial-balance", "--village", "A1", "--from", "2024-01", "--to", "2024-12",
                              "-o", str(tmp_path / "tb.csv"))
    assert code == 0, output
    with open(tmp_path / "tb.csv", encoding="utf-8", newline="") as fh:
        rows = {r["account_code"]: (r["period_debit"], r["period_credit"]) for r in csv.DictReader(fh)}
    assert rows == {"102": ("12000.00", "0.00"), "501": ("0.00", "12000.00")}  # the books posted above
    assert web_parts(facts["modules"]) == []
    assert not facts["dummy_hash_made"] and "argon2" not in facts["modules"]
    assert "reportlab" not in facts["modules"]  # a CSV report draws nothing
    loaded = set(facts["modules"])
    assert {"threeassets.ledger.models", "threeassets.orgs.models"} <= loaded
    assert not loaded & {"threeassets.models_registry", "threeassets.windows.models", "threeassets.subsidies.models"}


def test_disclose_is_a_data_command(run, books, tmp_path):
    out = tmp_path / "a1.pdf"
    code, output, facts = run("disclose", "--village", "A1", "--period", "2024-05", "-o", str(out))
    assert code == 0, output
    assert out.read_bytes().startswith(b"%PDF")
    assert web_parts(facts["modules"]) == []
    assert not facts["dummy_hash_made"]
    assert not {"threeassets.models_registry", "threeassets.windows.models"} & set(facts["modules"])


def test_creating_a_user_hashes_the_password_but_makes_no_dummy_hash(run, world, session):
    from sqlalchemy import select

    from threeassets.auth.models import User
    code, output, facts = run("create-user", "newclerk", "--password", "clerk-pass-1", "--role", "window_clerk",
                              "--township", "TA")
    assert code == 0, output
    assert web_parts(facts["modules"]) == []
    assert "argon2" in facts["modules"] and not facts["dummy_hash_made"]
    session.rollback()
    user = session.scalar(select(User).where(User.username == "newclerk"))
    assert user is not None and user.password_hash.startswith("$argon2id$")


def test_importing_villages_gives_them_the_chart_without_the_pinyin_dictionaries(run, session, tmp_path):
    from sqlalchemy import select

    from threeassets.ledger.models import Account
    from threeassets.orgs.models import Village
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("township_code,township_name,village_code,village_name\nT9,九镇,V91,九一村\n", encoding="utf-8")
    code, output, facts = run("import", "orgs", str(orgs))
    assert code == 0, output
    assert web_parts(facts["modules"]) == []  # the standard chart ships its mnemonics
    session.rollback()
    village = session.scalar(select(Village).where(Village.code == "V91"))
    cash = session.scalar(select(Account).where(Account.village_id == village.id, Account.code == "101"))
    assert (cash.name, cash.mnemonic) == ("库存现金", "kcxj")


def test_help_lists_every_command_without_building_an_app(run):
    code, output, facts = run("--help")
    assert code == 0, output
    listed = {line.split()[0] for line in output.split("Commands:", 1)[1].splitlines() if line.strip()}
    assert listed == set(main.commands)
    assert web_parts(facts["modules"]) == []
    assert not any(m.endswith(".models") for m in facts["modules"])


def test_only_the_web_commands_build_the_web_app(db_url, tmp_path, monkeypatch):
    """Every command of the group: the four web commands get the blueprints, every other an app without them."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("THREEASSETS_INSTANCE", str(tmp_path / "instance"))
    assert set(main.commands) > WEB_COMMANDS
    for name, command in main.commands.items():
        with click.Context(main, info_name="threeassets") as top, click.Context(command, parent=top, info_name=name):
            app = _create_app()
        assert bool(app.blueprints) == (name in WEB_COMMANDS), name


def test_the_web_app_makes_the_dummy_hash_as_it_is_built(db_url, tmp_path, monkeypatch):
    """So that even the first login of an unknown name costs one hash, as a known name's does."""
    monkeypatch.setattr(service, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(service, "_DUMMY", None)
    monkeypatch.setenv("THREEASSETS_INSTANCE", str(tmp_path / "instance"))
    from threeassets import create_app
    create_app({"DATABASE_URL": db_url}, web=False)
    assert service._DUMMY is None
    create_app({"DATABASE_URL": db_url})
    assert service._DUMMY is not None and CHEAP_HASHER.verify(service._DUMMY, "not-a-password")


LONE_MODEL = """
import sys
from sqlalchemy.orm import configure_mappers
from threeassets.core.db import models_on_demand, unloaded_tables
import threeassets.core.audit  # its foreign keys name township, user_account and village: no model of those loaded
assert unloaded_tables() == {"township", "user_account", "village"}, unloaded_tables()
if sys.argv[1] == "on-demand":
    models_on_demand("threeassets.models_registry")
configure_mappers()
print(sorted(unloaded_tables()), "threeassets.models_registry" in sys.modules)
"""


@pytest.mark.parametrize("mode, printed", [("on-demand", "[] True"),
                                           ("alone", "['township', 'user_account', 'village'] False")])
def test_models_a_foreign_key_names_are_loaded_on_demand(mode, printed):
    """A model whose foreign keys name tables of models not loaded: configuring the mappers loads them all."""
    proc = subprocess.run([sys.executable, "-c", LONE_MODEL, mode], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == printed


# Every module defining models. Some name by foreign key the tables of a layer they may not import
# (tests/unit/test_boundaries.py): the core's own (the audit log, jobs) name the features', the service hall's
# cases name the claims they produce. Those rely on the loading on demand above.
MODEL_MODULES = sorted({mapper.class_.__module__ for mapper in Base.registry.mappers})
ON_DEMAND = {"threeassets.core.audit", "threeassets.core.jobs", "threeassets.windows.models"}

ALONE = """
import importlib, sys
from sqlalchemy.orm import configure_mappers
from threeassets.core.db import unloaded_tables
importlib.import_module(sys.argv[1])
configure_mappers()
print(sorted(unloaded_tables()))
"""


@pytest.mark.parametrize("module", sorted(set(MODEL_MODULES) - ON_DEMAND))
def test_a_models_module_imports_the_models_its_foreign_keys_name(module):
    """So a command reading a feature's models loads those and what they refer to, not every model."""
    proc = subprocess.run([sys.executable, "-c", ALONE, module], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
