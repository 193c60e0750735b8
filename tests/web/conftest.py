"""Web-test fixtures: cheap password hashing, record factories and a CSRF-enabled app."""
from __future__ import annotations

import re
from datetime import date

import pytest

from tests.conftest import CHEAP_HASHER, PASSWORD, lines

DAY = date(2024, 5, 10)
CHEAP_DUMMY = CHEAP_HASHER.hash("not-a-password")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def app(db_url, tmp_path, monkeypatch):
    """The app, without an app context held open: each request gets its own, as in production.

    An outer app context would be reused by every test request, so `g` (Flask-Login's cached user,
    g.village) and the database session would leak from one request, and one client, to the next.
    """
    monkeypatch.setenv("THREEASSETS_INSTANCE", str(tmp_path / "instance"))
    from threeassets import create_app
    from threeassets.core.db import db
    application = create_app({"DATABASE_URL": db_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                              "SECRET_KEY": "test-secret", "PAGE_SIZE": 20})
    yield application
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def world(world, session):
    """The shared World, detached with its columns loaded: requests end the session, rows must stay readable."""
    session.expunge_all()
    return world


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch):
    """Argon2 with tiny costs: the web suite logs in hundreds of times (real costs are tested elsewhere)."""
    from threeassets.auth import service
    monkeypatch.setattr(service, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(service, "_DUMMY", CHEAP_DUMMY)

# The smallest valid PNG (1×1, grey): an upload fixture that passes the type sniffing.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010800000000"
                    "3a7e9b550000000a49444154789c6360000000020001e221bc330000000049454e44ae426082")


class Records:
    """Makes vouchers and sub-accounts in any village, as that village's own agency staff."""

    def __init__(self, session, world):
        self.session, self.world = session, world
        self.serial = 0

    def _staff(self, village):
        """(preparer, reviewer, poster) of the village's township."""
        w = self.world
        if village.township_id == w.township_a.id:
            return w.user("accountant"), w.user("reviewer"), w.user("accountant2")
        return w.user("accountant_b"), w.user("head_b"), w.user("head_b")  # four eyes: not its preparer

    def voucher(self, village, status: str = "draft", day: date = DAY, summary: str = "购买办公用品",
                amount: str = "100.00", debit: str = "513", credit: str = "101"):
        """A voucher in the given state; returns it (detached, ids loaded)."""
        from threeassets.core.db import transaction
        from threeassets.ledger import service
        preparer, reviewer, poster = self._staff(village)
        with transaction(self.session):
            v = service.save_draft(self.session, village=village, actor=preparer, voucher_date=day, attachments=1,
                                   lines=lines((summary, debit, amount, ""), (summary, credit, "", amount)))
            if status in ("reviewed", "posted"):
                service.review(self.session, voucher=v, village=village, actor=reviewer)
            if status == "posted":
                service.post(self.session, voucher=v, village=village, actor=poster)
        self.session.expunge_all()
        return v

    def attachment(self, village, owner_type: str = "voucher", owner_id: int = 0):
        """A small PNG attached to a row of the village (owner 0 unless given); returns it."""
        from threeassets.attachments.service import store
        from threeassets.core.db import transaction
        with transaction(self.session):
            att = store(self.session, village_id=village.id, owner_type=owner_type, owner_id=owner_id,
                        filename="receipt.png", data=PNG)
        self.session.expunge_all()
        return att

    def sub_account(self, village, parent_code: str = "102", name: str | None = None):
        """A fresh sub-account under parent_code; returns it."""
        from sqlalchemy import select

        from threeassets.core.db import transaction
        from threeassets.ledger import chart
        from threeassets.ledger.models import Account
        self.serial += 1
        with transaction(self.session):
            parent = self.session.scalar(select(Account).where(Account.village_id == village.id,
                                                               Account.code == parent_code))
            acc = chart.add_sub_account(self.session, village_id=village.id, parent=parent,
                                        suffix=f"{self.serial:02d}", name=name or f"明细{self.serial}", actor=None)
        self.session.expunge_all()
        return acc

    def account(self, village, code: str):
        """A village's account by code."""
        from sqlalchemy import select

        from threeassets.ledger.models import Account
        acc = self.session.scalar(select(Account).where(Account.village_id == village.id, Account.code == code))
        self.session.expunge_all()
        return acc


@pytest.fixture
def records(session, world):
    """Factory of vouchers and accounts for web tests."""
    return Records(session, world)


class Ctx(dict):
    """Ids the table's builders need, plus a serial for unique names."""


@pytest.fixture
def ctx(world, records, session):
    """Ids the access table needs: townships, a clerk of each township ("target", "target_b"), a1's 102."""
    from threeassets.auth.service import create_user
    from threeassets.core.db import transaction
    with transaction(session):
        target = create_user(session, actor=None, username="target", display_name="target", password=PASSWORD,
                             role="window_clerk", township_id=world.township_a.id)
        target_b = create_user(session, actor=None, username="target_b", display_name="target_b",
                               password=PASSWORD, role="window_clerk", township_id=world.township_b.id)
    return Ctx(serial=0, ta=world.township_a.id, tb=world.township_b.id, user=target.id, user_b=target_b.id,
               acc102=records.account(world.a1, "102").id)


def count(session, model, **where) -> int:
    """Rows of a model, optionally filtered by column values (fresh read)."""
    from sqlalchemy import func, select
    session.rollback()
    q = select(func.count()).select_from(model).filter_by(**where)
    return session.scalar(q)


def entry_form(day: str = "2024-05-10", attachments: str = "1", rows=None) -> dict:
    """Form data of the voucher entry page; rows are (summary, account, debit, credit)."""
    rows = rows or [("购买办公用品", "513", "100.00", ""), ("购买办公用品", "101", "", "100.00")]
    data = {"voucher_date": day, "attachments": attachments}
    for i, (s, a, d, c) in enumerate(rows):
        data.update({f"lines-{i}-summary": s, f"lines-{i}-account": a, f"lines-{i}-debit": d,
                     f"lines-{i}-credit": c})
    return data


def import_job(client, resp) -> tuple[dict, str]:
    """Follow an import's POST to its job (run in the request under test, JOBS_INLINE): (status JSON, job page)."""
    assert resp.status_code == 302 and "/jobs/" in resp.headers["Location"], resp.status_code
    url = resp.headers["Location"]
    return client.get(url + "/status").get_json(), client.get(url).get_data(as_text=True)


def tbody(page: str) -> str:
    """The rows of a page's (first) table, without forms and filters around it."""
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token embedded in a page's form."""
    match = CSRF_RE.search(client.get(path).get_data(as_text=True))
    assert match, f"no csrf_token on {path}"
    return match.group(1)


@pytest.fixture
def csrf_app(app, db_url):
    """A second app on the same database with CSRF protection on (as in production)."""
    from threeassets import create_app
    return create_app({"DATABASE_URL": db_url, "TESTING": True, "WTF_CSRF_ENABLED": True,
                       "SECRET_KEY": "test-secret", "PAGE_SIZE": 20})


@pytest.fixture
def csrf_client(csrf_app):
    """A client of the CSRF-enabled app."""
    return csrf_app.test_client()


def csrf_login(client, username: str, password: str = PASSWORD):
    """Log in through the real form, token included."""
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})
