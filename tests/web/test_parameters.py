"""No 500 from any parameter: every route of app.url_map is asked with path ids past the database's integer
range, and with odd values in every query parameter and form field it reads, as several roles.

Which parameters a page reads is learnt by asking it once with none: the request's argument and form
dictionaries note every name the page looks up (the page's defaults are read with .get too). Each odd value is
then sent in all of those names at once; when a page refuses that (not 200), each name is sent alone, so one
refused value does not hide the next.
A refusal is 400, 403, 404, 413, 422 or a redirect; a 500 is the finding.
"""
from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import ImmutableMultiDict

from tests.conftest import login
from tests.web.access_base import COVER_A1
from tests.web.test_access import ROUTES, UNGUARDED, make_record

# Past PostgreSQL's integer (2**31 - 1), past a 64-bit integer, past anything.
HUGE = ["2147483648", "9223372036854775808", "99999999999999999999"]
ODD = ["-1", "abc", "99999999999999999999", "2147483648", "99999", "2024-99", "0000-01", "9999-12", "9999-12-31",
       "2024-02-30", "²", "x\x00y", "x" * 300, "9" * 5000]
FINE = {200, 302, 303, 400, 403, 404, 405, 413, 422, 429}
SLOT = re.compile(r"<(?:(\w+):)?(\w+)>")
# Names no page reads but a page that copies the query into a link (pagination, exports) would pass on.
PASSED_ON = ["page", "format", "endpoint", "_anchor", "village_id", "township_id"]
ROLES = ["admin", "head", "vacct", "clerk", None]  # None: nobody logged in


class _Noting(ImmutableMultiDict):
    """Request arguments and form fields that note every name a page looks up."""

    seen: set[str] = set()

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's signature)
        self.seen.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self.seen.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)


@pytest.fixture
def noting_app(app):
    """The app with request dictionaries that note what is read."""
    app.request_class = type("NotingRequest", (app.request_class,), {"parameter_storage_class": _Noting})
    return app


def _path(rule, values: dict) -> str:
    """The rule's path with each <converter:name> slot filled from values."""
    return SLOT.sub(lambda m: str(values[m.group(2)]), rule.rule)


def _rules(app) -> list:
    """(rule, method) for every route the app serves, static files and logout aside."""
    return sorted(((rule, m) for rule in app.url_map.iter_rules() if rule.endpoint not in ("static", "auth.logout")
                   for m in rule.methods - {"HEAD", "OPTIONS"}), key=lambda x: (x[0].rule, x[1]))


ROWS = {(x.endpoint, x.method): x for x in ROUTES}


class _Raised:
    """What a request that raised looks like here (the test app propagates exceptions instead of a 500)."""

    def __init__(self, exc: Exception):
        self.status_code = f"500 {type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"


def _ask(client, method: str, path: str, data: dict | None = None, query: dict | None = None):
    try:
        if method == "GET":
            return client.get(path, query_string=query or {})
        return client.post(path, data=data or {}, query_string=query or {}, content_type="multipart/form-data")
    except Exception as exc:  # noqa: BLE001  (any exception is the finding)
        from threeassets.core.db import db
        db.session.remove()
        return _Raised(exc)


def _user_for(route) -> str | None:
    """Someone allowed on the route within village a1 / township A (the head when he is), None for public pages."""
    if route is None:
        return None
    allowed = route.allowed & COVER_A1
    return "head" if "head" in allowed else (sorted(allowed)[0] if allowed else None)


def _real_values(rule, route, world, records, ctx) -> dict:
    """Real ids for the rule's slots: village a1, township A, the record the route needs (made now)."""
    values = {"village_id": world.a1.id, "township_id": world.township_a.id, "code": "NOSUCHCODE"}
    if route is not None and route.key:
        values[route.key] = make_record(records, world, ctx, route, world.a1)
    for _conv, name in SLOT.findall(rule.rule):
        values.setdefault(name, 1)
    return values


def _int_slots(rule) -> list[str]:
    return [name for conv, name in SLOT.findall(rule.rule) if conv == "int"]


def _check(resp, what: str, wrong: list) -> None:
    if resp.status_code not in FINE:
        wrong.append(f"{what}: {resp.status_code}")


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_huge_path_ids_are_404_for_every_route(role, noting_app, client, world, records, ctx):
    """Every <int:...> slot of every route, one at a time, past the integer range: 404, as for a missing row
    (405 for a POST whose path a GET page shares: the router weighs the method before the number)."""
    if role:
        assert login(client, role).status_code == 302
    wrong = []
    for rule, method in _rules(noting_app):
        slots = _int_slots(rule)
        if not slots:
            continue
        route = ROWS.get((rule.endpoint, method))
        base = _real_values(rule, route, world, records, ctx)
        for slot in slots:
            for huge in HUGE:
                path = _path(rule, base | {slot: huge})
                resp = _ask(client, method, path)
                if resp.status_code not in (404, 405):  # 405: a POST whose path has a GET twin
                    wrong.append(f"{method} {path}: {resp.status_code}")
    assert wrong == [], "\n".join(wrong)


ENDPOINTS = sorted({x.endpoint for x in ROUTES} | UNGUARDED - {"static", "auth.logout"})


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_query_and_form_values_never_500(endpoint, noting_app, client, world, records, ctx):
    """A route asked with each parameter it reads set to each odd value, by a user allowed on it."""
    rule = next(r for r in noting_app.url_map.iter_rules() if r.endpoint == endpoint)
    wrong = []
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        route = ROWS.get((endpoint, method))
        client.post("/logout")
        user = _user_for(route)
        if user:
            assert login(client, user).status_code == 302
        path = _path(rule, _real_values(rule, route, world, records, ctx))
        _Noting.seen = set()
        _check(_ask(client, method, path), f"{method} {path} (nothing)", wrong)
        names = sorted(_Noting.seen - {"csrf_token"} | (set(PASSED_ON) if method == "GET" else set()))
        for value in ODD:
            every = dict.fromkeys(names, value)
            if method == "POST":
                _check(_ask(client, method, path, data=every, query=every), f"POST {path} {names} = {value[:20]!r}",
                       wrong)
                continue
            resp = _ask(client, method, path, query=every)
            if resp.status_code == 200:  # every value was taken or ignored: nothing hid behind a refusal
                continue
            for name in names:
                _check(_ask(client, method, path, query={name: value}), f"{path}?{name}={value[:20]!r}", wrong)
    assert wrong == [], "\n".join(wrong)
