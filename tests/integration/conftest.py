"""Helpers for service tests: row counts to prove nothing was written, shortcuts for drafts and accounts."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.conftest import CHEAP_HASHER, lines
from threeassets.core.audit import AuditEvent, CountyAuditEvent
from threeassets.core.db import transaction
from threeassets.ledger.models import Account, AccountTurnover, ChainHead, Period, Voucher, VoucherCounter, VoucherLine


@pytest.fixture
def real_hasher():
    """Ask for this to keep the production argon2 parameters in a test."""


@pytest.fixture(autouse=True)
def _fast_hasher(request, monkeypatch):
    """Eleven users per world with production argon2 cost ~2 s per test; tests of hashing opt out."""
    if "real_hasher" not in request.fixturenames:
        monkeypatch.setattr("threeassets.auth.service._hasher", CHEAP_HASHER)


COUNTED = (Voucher, VoucherLine, Period, AuditEvent, AccountTurnover, VoucherCounter, ChainHead, Account)


def snapshot(session) -> dict[str, int]:
    """Row count of every table the books write (a query autoflushes pending objects first)."""
    return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in COUNTED}


def audit_count(session, action: str) -> int:
    """How many audit rows carry an action (the townships' log and the county's)."""
    return sum(session.scalar(select(func.count()).select_from(log).where(log.action == action))
               for log in (AuditEvent, CountyAuditEvent))


def account(session, village, code: str) -> Account:
    """A village's account by code."""
    return session.scalar(select(Account).where(Account.village_id == village.id, Account.code == code))


@pytest.fixture
def draft(session, world):
    """Save a draft voucher (prepared by accountant) and commit it."""
    from threeassets.ledger import service

    def _draft(village, day: date, spec, actor="accountant"):
        with transaction(session):
            return service.save_draft(session, village=village, actor=world.user(actor), voucher_date=day,
                                      attachments=1, lines=lines(*spec))
    return _draft


@pytest.fixture
def sub_account(session, world):
    """Add a committed sub-account under a parent code of a village."""
    from threeassets.ledger.chart import add_sub_account

    def _sub(village, parent_code: str, suffix: str, name: str) -> Account:
        with transaction(session):
            return add_sub_account(session, village_id=village.id, parent=account(session, village, parent_code),
                                   suffix=suffix, name=name, actor=world.user("accountant"))
    return _sub


@pytest.fixture
def unguard(session):
    """Switch off the triggers that protect posted rows (to simulate tampering behind the app's back).

    SQLite tests copy a fresh file, so dropped triggers vanish with it; PostgreSQL keeps its schema between
    tests (only the rows are truncated), so the triggers are switched back on afterwards.
    """
    disabled: list[str] = []

    def _unguard(*tables: str) -> None:
        with transaction(session):
            if session.bind.dialect.name == "postgresql":
                for table in tables:
                    session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
                    disabled.append(table)
            else:
                for table in tables:
                    for op in ("update", "delete"):  # voucher_posted_no_update …, audit_event_no_delete …
                        session.execute(text(f"DROP TRIGGER IF EXISTS {table}_posted_no_{op}"))
                        session.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{op}"))
    yield _unguard
    if disabled:
        session.rollback()
        with transaction(session):
            for table in disabled:
                session.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))


@pytest.fixture
def cli(app):
    """Invoke a command against the test app; returns (exit code, stdout, stderr)."""
    runner = app.test_cli_runner()

    def _invoke(command, *args):
        result = runner.invoke(command, list(args))
        return result.exit_code, result.stdout, result.stderr
    return _invoke


BUY = (("买文具", "513", "100.00", ""), ("买文具", "101", "", "100.00"))


def voucher_file(tmp_path, code: str, vouchers: int, name: str = "history.csv", account: str = "513"):
    """A streamed import file of `vouchers` two-line vouchers of one village in May 2024 (debit account, credit
    101), refs unique per file name."""
    from threeassets.ledger.importer import read_vouchers
    path = tmp_path / name
    rows = ["org_code,date,voucher_ref,summary,account_code,debit,credit"]
    for n in range(1, vouchers + 1):
        day = f"2024-05-{n % 28 + 1:02d}"
        rows += [f"{code},{day},{name}-{n},购买办公用品{n},{account},{n}.00,",
                 f"{code},{day},{name}-{n},购买办公用品{n},101,,{n}.00"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return read_vouchers(path)
