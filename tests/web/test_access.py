"""Every route checks role and scope: an access table built against app.url_map, and a request per cell.

A route missing from ROUTES fails test_every_route_is_in_the_table, so a new page cannot ship untested.
"""
from __future__ import annotations

import importlib
import io
from pathlib import Path

import pytest
from flask import url_for

from tests.conftest import login
from tests.web.access_base import (
    AUDITORS,
    COVER_A1,
    COVER_TA,
    EVERYONE,
    MANAGERS,
    PREPARERS,
    READERS,
    REVIEWERS,
    TOWNSHIP_READERS,
    USERS,
    N,
    R,
    T,
    U,
    V,
    import_job,
    r,
)
from tests.web.conftest import entry_form


def _password_mismatch(_ctx):
    return {"password": "abc12345x", "confirm": "different1"}


def _new_user(ctx):
    ctx["serial"] += 1
    return {"username": f"new{ctx['serial']}", "display_name": "新用户", "role": "window_clerk",
            "township_id": str(ctx["ta"]), "village_id": "", "password": "pass-1234", "active": "y"}


def _edit_user(ctx):
    return {"username": "target", "display_name": "改名", "role": "window_clerk", "township_id": str(ctx["ta"]),
            "village_id": "", "active": "y"}


def _new_village(ctx):
    ctx["serial"] += 1
    return {"township_code": "TA", "township_name": "甲镇", "village_code": f"N{ctx['serial']}",
            "village_name": "新村"}


def _orgs_file(ctx):
    ctx["serial"] += 1
    body = f"township_code,township_name,village_code,village_name\nTA,甲镇,F{ctx['serial']},文件村\n"
    return {"file": (io.BytesIO(body.encode()), "orgs.csv")}


def _voucher_file(ctx):
    ctx["serial"] += 1
    body = ("org_code,date,voucher_ref,summary,account_code,debit,credit\n"
            f"A1,2024-05-03,R{ctx['serial']},导入,513,10.00,\nA1,2024-05-03,R{ctx['serial']},导入,101,,10.00\n")
    return {"file": (io.BytesIO(body.encode()), "vouchers.csv")}


def _entry(_ctx):
    return entry_form()


def _reverse(_ctx):
    return {"on": "2024-05-20"}


def _close_month(_ctx):
    return {"period": "2023-01"}  # an empty month long before the records' May 2024: closing it blocks nothing


def _reopen_month(_ctx):
    return {"period": "2023-01", "reason": "补录凭证"}


def _close_year(_ctx):
    return {"year": "2022"}


def _sub_account(ctx):
    ctx["serial"] += 1
    return {"parent_id": str(ctx["acc102"]), "suffix": f"{ctx['serial'] + 50:02d}", "name": "新明细"}


def _budget_grid(_ctx):
    return {"year": "2024", "amount-501": "1,000.00", "amount-513": "200", "note-513": "办公"}


def _budget_file(_ctx):
    body = "org_code,year,account_code,amount\nA1,2024,501,1000.00\nA1,2024,513,200\n"
    return {"file": (io.BytesIO(body.encode()), "budgets.csv")}


TB_2004 = "account_code,account_name,debit_balance,credit_balance\n101,现金,100.00,\n301,资本,,100.00\n"


def _tb_file(_ctx):
    return {"file": (io.BytesIO(TB_2004.encode()), "tb.csv")}


def _tb_confirm(_ctx):
    return {"filename": "tb.csv", "tb": TB_2004}


def _tb_adjusted(_ctx):
    return {"filename": "tb.csv", "tb": TB_2004, "adj-kind-0": "asset_found", "adj-debit-0": "101",
            "adj-credit-0": "311", "adj-amount-0": "5", "adj-reason-0": "盘盈现金"}


def _mapping(_ctx):
    return {"new-101": "101", "note-101": "更名", "new-202": "211"}


ROUTES = [
    r("auth.password", "GET", EVERYONE, N),
    r("auth.password", "POST", EVERYONE, N, data=_password_mismatch),
    r("auth.users", "GET", MANAGERS, N),
    r("auth.user_new", "GET", MANAGERS, N),
    r("auth.user_new", "POST", MANAGERS, N, data=_new_user),
    r("auth.user_edit", "GET", MANAGERS, U, "user", "user_id"),
    r("auth.user_edit", "POST", MANAGERS, U, "user", "user_id", _edit_user),
    r("auth.user_logins_end", "POST", MANAGERS, U, "user", "user_id"),
    r("auth.audit", "GET", AUDITORS, N),
    r("orgs.index", "GET", {"admin"}, N),
    r("orgs.index", "POST", {"admin"}, N, data=_new_village),
    r("orgs.import_file", "POST", {"admin"}, N, data=_orgs_file),
    r("orgs.import_job", "GET", {"admin"}, N, "orgs_import", "job_id"),
    r("orgs.import_job_status", "GET", {"admin"}, N, "orgs_import", "job_id"),
    r("ledger.vouchers", "GET", READERS, V),
    r("ledger.voucher_new", "GET", PREPARERS, V),
    r("ledger.voucher_new", "POST", PREPARERS, V, data=_entry),
    r("ledger.voucher_edit", "GET", PREPARERS, V, "draft", "voucher_id"),
    r("ledger.voucher_edit", "POST", PREPARERS, V, "draft", "voucher_id", _entry),
    r("ledger.voucher_show", "GET", READERS, V, "posted", "voucher_id"),
    r("ledger.voucher_review", "POST", REVIEWERS, V, "draft", "voucher_id"),
    r("ledger.voucher_unreview", "POST", REVIEWERS, V, "reviewed", "voucher_id"),
    r("ledger.voucher_send_back", "POST", REVIEWERS, V, "draft", "voucher_id", lambda _ctx: {"reason": "科目不对"}),
    r("ledger.voucher_post", "POST", PREPARERS, V, "reviewed", "voucher_id"),
    r("ledger.voucher_delete", "POST", PREPARERS, V, "draft", "voucher_id"),
    r("ledger.voucher_reverse", "POST", PREPARERS, V, "posted", "voucher_id", _reverse),
    r("ledger.voucher_pdf", "GET", READERS, V, "posted", "voucher_id"),
    r("ledger.accounts", "GET", READERS, V),
    r("ledger.accounts_json", "GET", READERS, V),
    r("ledger.account_add", "POST", PREPARERS, V, data=_sub_account),
    r("ledger.account_delete", "POST", PREPARERS, V, "sub", "account_id"),
    r("reports.village_tb", "GET", READERS, V),
    r("reports.township_tb", "GET", TOWNSHIP_READERS, T),
    r("reports.ledger", "GET", READERS, V, "sub", "account_id"),
    r("statements.village_balance_sheet", "GET", READERS, V),
    r("statements.village_income_statement", "GET", READERS, V),
    r("statements.village_general_ledger", "GET", READERS, V),
    r("statements.village_income_expense", "GET", READERS, V),
    r("statements.village_notes", "GET", READERS, V),
    r("statements.cash_journal", "GET", READERS, V),
    r("statements.bank_journal", "GET", READERS, V, "sub", "account_id"),
    r("statements.account_ledger", "GET", READERS, V, "sub", "account_id"),
    r("statements_township.township_balance_sheet", "GET", TOWNSHIP_READERS, T),
    r("statements_township.township_income_statement", "GET", TOWNSHIP_READERS, T),
    r("statements_township.township_general_ledger", "GET", TOWNSHIP_READERS, T),
    r("statements_township.township_income_expense", "GET", TOWNSHIP_READERS, T),
    r("statements_township.township_notes", "GET", TOWNSHIP_READERS, T),
    r("closing.index", "GET", READERS, V),
    r("closing.close", "POST", PREPARERS, V, data=_close_month),
    r("closing.reopen", "POST", MANAGERS - {"admin"}, V, data=_reopen_month),
    r("closing.year_close", "POST", PREPARERS, V, data=_close_year),
    r("dashboard.village", "GET", READERS, V),
    r("dashboard.township", "GET", TOWNSHIP_READERS, T),
    r("imports.vouchers", "GET", PREPARERS, T),
    r("imports.vouchers", "POST", PREPARERS, T, data=_voucher_file),
    r("imports.job", "GET", PREPARERS, T, "vouchers_import", "job_id"),
    r("imports.job_status", "GET", PREPARERS, T, "vouchers_import", "job_id"),
    r("imports.template", "GET", PREPARERS, T),
    r("budgets.grid", "GET", READERS, V),
    r("budgets.save", "POST", PREPARERS, V, data=_budget_grid),
    r("budgets.report", "GET", READERS, V),
    r("budgets_township.township_report", "GET", TOWNSHIP_READERS, T),
    r("budgets_township.import_form", "GET", PREPARERS, T),
    r("budgets_township.import_file", "POST", PREPARERS, T, data=_budget_file),
    r("budgets_township.import_job", "GET", PREPARERS, T, "budgets_import", "job_id"),
    r("budgets_township.import_job_status", "GET", PREPARERS, T, "budgets_import", "job_id"),
    r("budgets_township.template", "GET", PREPARERS, T),
    r("switchover.index", "GET", PREPARERS, V),
    r("switchover.preview", "POST", PREPARERS, V, data=_tb_file),
    r("switchover.repreview", "POST", PREPARERS, V, data=_tb_adjusted),
    r("switchover.confirm", "POST", PREPARERS, V, data=_tb_confirm),
    r("switchover.template", "GET", PREPARERS, V),
    r("switchover_township.mapping", "GET", PREPARERS, T),
    r("switchover_township.mapping_save", "POST", PREPARERS, T, data=_mapping),
    r("attachments.download", "GET", READERS, V, "attachment", "attachment_id"),  # a voucher's file: books.read
]


def _feature_tables():
    """The access_<feature>.py modules beside this file, in name order."""
    here = Path(__file__).parent
    return [importlib.import_module(f"tests.web.{p.stem}") for p in sorted(here.glob("access_*.py"))
            if p.stem != "access_base"]


FEATURES = _feature_tables()
ROUTES = [row for m in FEATURES if m.__name__.endswith("openings") for row in m.ROUTES] + ROUTES
ROUTES += [row for m in FEATURES if not m.__name__.endswith("openings") for row in m.ROUTES]
ROUTES.append(r("auth.logout", "POST", EVERYONE, N))  # last: it ends the session
NEEDS = {k: fn for m in FEATURES for k, fn in getattr(m, "NEEDS", {}).items()} | {
    "vouchers_import": import_job("import.vouchers", T), "budgets_import": import_job("import.budgets", T),
    "orgs_import": import_job("import.orgs", N)}
UNGUARDED = {"static", "auth.login", "home"} | {e for m in FEATURES for e in getattr(m, "PUBLIC", ())}
RECORD_ROUTES = [x for x in ROUTES if x.needs not in (None, "user") and x.scope == V]  # village records
VILLAGE_ROUTES = [x for x in ROUTES if x.scope == V]
TOWNSHIP_ROUTES = [x for x in ROUTES if x.scope == T]
TOWNSHIP_RECORD_ROUTES = [x for x in TOWNSHIP_ROUTES if x.needs not in (None, "user") and x.key]  # record in URL


def test_every_route_is_in_the_table(app):
    served = {(rule.endpoint, m) for rule in app.url_map.iter_rules() if rule.endpoint not in UNGUARDED
              for m in rule.methods - {"HEAD", "OPTIONS"}}
    tabled = {(x.endpoint, x.method) for x in ROUTES}
    assert served - tabled == set(), "routes without an access test"
    assert tabled - served == set(), "access table lists routes the app does not serve"
    assert len(tabled) == len(ROUTES), "duplicate rows in the access table"


def make_record(records, world, ctx, route: R, village):
    """Create the record a route needs in a village; returns its id (None if it needs none)."""
    if route.needs in ("draft", "reviewed", "posted"):
        return records.voucher(village, route.needs).id
    if route.needs == "sub":
        return records.sub_account(village).id
    if route.needs == "user":
        return ctx["user"] if village.township_id == world.township_a.id else ctx["user_b"]
    if route.needs == "attachment":
        return records.attachment(village, "voucher", records.voucher(village).id).id
    if route.needs is not None:
        return NEEDS[route.needs](records.session, world, village, ctx)
    return None


def send(client, app, route: R, village, township_id: int, record_id, ctx):
    """Send the route's request for a village (or township) and record."""
    kwargs = {}
    if route.scope == V:
        kwargs["village_id"] = village.id
    if route.scope == T:
        kwargs["township_id"] = township_id
    if route.key:
        kwargs[route.key] = record_id
    with app.test_request_context():
        path = url_for(route.endpoint, **kwargs)
    data = route.data(ctx) if route.data else {}
    if route.method == "GET":
        return client.get(path)
    return client.post(path, data=data, content_type="multipart/form-data")


def _expected(user: str, route: R) -> str:
    """'403', '404' or 'ok' for a user on the a1 / township A / township A user target."""
    allowed = user in route.allowed
    covered = {V: user in COVER_A1, T: user in COVER_TA, U: user in COVER_TA or user == "admin",
               N: True}[route.scope]
    if route.scope == U:  # user pages check the role first, then load the user within the head's township
        return "403" if not allowed else ("ok" if covered else "404")
    return "404" if not covered else ("ok" if allowed else "403")


def _outcome(resp, route: R) -> str:
    if resp.status_code in (403, 404):
        return str(resp.status_code)
    location = resp.headers.get("Location", "")
    if resp.status_code in (200, 422) or (resp.status_code == 302 and  # 422: the handler's refusal, past access
                                   ("/login" not in location or route.endpoint == "auth.logout")):
        return "ok"
    return f"{resp.status_code} {location}"


@pytest.mark.parametrize("user", USERS)
def test_role_and_scope_matrix(user, app, client, world, records, ctx):
    """Each user on every route of village a1 / township A: 404 outside scope, 403 without the role, else ok."""
    assert login(client, user).status_code == 302
    wrong = []
    for route in ROUTES:
        record_id = make_record(records, world, ctx, route, world.a1)
        resp = send(client, app, route, world.a1, ctx["ta"], record_id, ctx)
        got, want = _outcome(resp, route), _expected(user, route)
        if got != want:
            wrong.append(f"{route.id}: got {got}, want {want}")
    assert wrong == []


@pytest.mark.parametrize("route", ROUTES, ids=lambda x: x.id)
def test_anonymous_is_sent_to_login(route, app, client, world, records, ctx):
    record_id = make_record(records, world, ctx, route, world.a1)
    resp = send(client, app, route, world.a1, ctx["ta"], record_id, ctx)
    assert resp.status_code == 302
    assert "/login" in resp.headers["Location"]


@pytest.mark.parametrize("route", VILLAGE_ROUTES, ids=lambda x: x.id)
def test_other_village_or_township_is_404(route, app, client, world, records, ctx):
    """Township A staff on b1, township B staff on a1, a1's village users on a2: all 404, nothing changes."""
    cases = [("head", world.b1), ("accountant", world.b1), ("head_b", world.a1), ("accountant_b", world.a1),
             ("vacct", world.a2), ("board", world.a2), ("reviewer", world.b1)]
    for user, village in cases:
        record_id = make_record(records, world, ctx, route, village)
        login(client, user)
        resp = send(client, app, route, village, ctx["ta"], record_id, ctx)
        assert resp.status_code == 404, (user, village.code, resp.status_code)


@pytest.mark.parametrize("route", TOWNSHIP_ROUTES, ids=lambda x: x.id)
def test_other_township_is_404(route, app, client, world, records, ctx):
    """Township pages of another township (or of any township, for village users) are missing."""
    cases = [("head_b", "ta"), ("accountant_b", "ta"), ("head", "tb"), ("accountant", "tb"),
             ("vacct", "ta"), ("board", "ta")]
    for user, township in cases:
        # a township page about one record (e.g. a batch job) gets a record of the township in the URL
        village = world.a1 if township == "ta" else world.b1
        record_id = make_record(records, world, ctx, route, village) if route.key else None
        login(client, user)
        resp = send(client, app, route, village, ctx[township], record_id, ctx)
        assert resp.status_code == 404, (user, township, resp.status_code)


@pytest.mark.parametrize("user, target", [("head", "user_b"), ("head_b", "user")])
def test_user_of_another_township_is_404(user, target, client, ctx):
    login(client, user)
    assert client.get(f"/users/{ctx[target]}").status_code == 404
    resp = client.post(f"/users/{ctx[target]}", data={"display_name": "x", "role": "window_clerk",
                                                      "township_id": "", "village_id": "", "active": "y"})
    assert resp.status_code == 404


def _snapshot(session, model, record_id):
    """What a refused request must leave alone: the record's state and the number of vouchers and accounts."""
    from sqlalchemy import func, select

    from threeassets.ledger.models import Account, Voucher
    session.rollback()
    row = session.get(model, record_id, populate_existing=True)
    return (getattr(row, "status", None), getattr(row, "code", None),
            session.scalar(select(func.count()).select_from(Voucher)),
            session.scalar(select(func.count()).select_from(Account)))


def _a1_user(route: R) -> str:
    """Who asks for a2's record under /v/a1/: the head (he covers both villages) when the route is his, else a
    user of a1 allowed on it (e.g. a1's village accountant for his claims)."""
    return "head" if "head" in route.allowed else sorted(route.allowed & COVER_A1)[0]


@pytest.mark.parametrize("route", RECORD_ROUTES, ids=lambda x: x.id)
def test_record_of_a2_under_a1_is_404(route, app, client, world, records, ctx, session):
    """A user allowed on a1 (the head covers both villages) asks for a2's record under /v/a1/: it is missing."""
    from threeassets.ledger.models import Account, Voucher
    record_id = make_record(records, world, ctx, route, world.a2)
    model = Account if route.needs == "sub" else Voucher
    before = _snapshot(session, model, record_id)
    login(client, _a1_user(route))
    resp = send(client, app, route, world.a1, ctx["ta"], record_id, ctx)
    assert resp.status_code == 404
    assert _snapshot(session, model, record_id) == before


def test_parent_account_of_a2_under_a1_is_404(client, world, records, session):
    from threeassets.ledger.models import Account
    parent = records.account(world.a2, "102")
    login(client, "accountant")
    resp = client.post(f"/v/{world.a1.id}/accounts", data={"parent_id": parent.id, "suffix": "01", "name": "x"})
    assert resp.status_code == 404
    assert session.query(Account).filter(Account.code == "10201").count() == 0


def test_ledger_by_code_of_missing_account_is_404(client, world):
    login(client, "accountant")
    assert client.get(f"/v/{world.a1.id}/reports/ledger?account=999999").status_code == 404


def test_missing_village_or_township_is_404(client, world):
    login(client, "admin")
    assert client.get("/v/999999/vouchers").status_code == 404
    assert client.get("/t/999999/reports/trial-balance").status_code == 404


@pytest.mark.parametrize("route", TOWNSHIP_RECORD_ROUTES, ids=lambda x: x.id)
def test_record_of_tb_under_ta_is_404(route, app, client, world, records, ctx, session):
    """Township A's head asks for township B's record (e.g. a case) under /t/A/: it is missing, nothing is written."""
    from sqlalchemy import func, select

    from threeassets.core.audit import AuditEvent, CountyAuditEvent
    record_id = make_record(records, world, ctx, route, world.b1)
    login(client, "head")
    session.rollback()
    logged = lambda: [session.scalar(select(func.count()).select_from(log))  # noqa: E731  (both logs)
                      for log in (AuditEvent, CountyAuditEvent)]
    before = logged()
    resp = send(client, app, route, world.a1, ctx["ta"], record_id, ctx)
    assert resp.status_code == 404
    session.rollback()
    assert logged() == before
