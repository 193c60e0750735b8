"""The address printed in QR codes comes from configuration (core/public.py), not from the request's host.

Outside development (no debug, no tests, THREEASSETS_ENV not "development") publishing a notice, previewing a
draft, a township's batch run and printing a case paper with a QR code are refused without
THREEASSETS_PUBLIC_URL, with a sentence in Chinese and nothing written; with it, every QR code carries it,
whatever host the clerk's browser came by.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from tests.web.access_disclosure import make_notice
from tests.web.access_windows import make_case
from threeassets.core.jobs import Job
from threeassets.disclosure.models import Disclosure

TODAY = date.today()
PUBLIC = "https://sanzi.example.cn"
MISSING = "未设置对外公开地址（THREEASSETS_PUBLIC_URL）"  # how the refusal begins (core/public.py)


@pytest.fixture
def production(app):
    """The test app as a production server runs: not testing, no debugger, no public address set."""
    app.testing = False
    app.config.update(PUBLIC_URL="", ENVIRONMENT="production", JOBS_INLINE=True)
    yield app
    app.testing = True


def _publish(client, session, world, ctx) -> tuple[int, object]:
    """The head publishes a1's signed-off notice through the page; returns (notice id, response)."""
    nid = make_notice(session, world, world.a1, ctx, "signed_off")
    login(client, "head")
    resp = client.post(f"/v/{world.a1.id}/disclosure/{nid}/publish", data={
        "posted_on": TODAY.isoformat(), "display_until": (TODAY + timedelta(days=20)).isoformat()})
    return nid, resp


def _state(session, nid: int) -> tuple:
    session.rollback()
    n = session.get(Disclosure, nid, populate_existing=True)
    return n.status, n.sha256, n.published_on


def test_publishing_refuses_without_a_public_address(production, client, session, world, ctx, qr_contents):
    nid, resp = _publish(client, session, world, ctx)
    assert resp.status_code == 422 and MISSING in resp.get_data(as_text=True)
    assert _state(session, nid) == ("signed_off", None, None) and qr_contents == []
    page = client.get(f"/v/{world.a1.id}/disclosure/{nid}").get_data(as_text=True)
    assert MISSING in page and "/verify/" not in page


def test_a_draft_preview_refuses_without_a_public_address(production, client, session, world, ctx, qr_contents):
    nid = make_notice(session, world, world.a1, ctx, "draft")
    login(client, "accountant")
    resp = client.get(f"/v/{world.a1.id}/disclosure/{nid}/pdf")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/disclosure/{nid}")
    assert MISSING in client.get(resp.headers["Location"]).get_data(as_text=True) and qr_contents == []


def test_a_batch_run_refuses_without_a_public_address(production, client, session, world, ctx):
    login(client, "accountant")
    resp = client.post(f"/t/{world.township_a.id}/disclosure/batch", data={"period": "2024-05", "layout": "a4"})
    assert resp.status_code == 422 and MISSING in resp.get_data(as_text=True)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Job)) == 0
    assert session.scalar(select(func.count()).select_from(Disclosure)) == 0


def test_the_published_qr_code_carries_the_configured_address(production, client, session, world, ctx,
                                                              qr_contents):
    production.config["PUBLIC_URL"] = PUBLIC
    nid, resp = _publish(client, session, world, ctx)
    assert resp.status_code == 302 and _state(session, nid)[0] == "published"
    code = session.get(Disclosure, nid).verify_code
    assert qr_contents == [f"{PUBLIC}/verify/{code}"]


@pytest.mark.parametrize("paper, steps", [("receipt", ["accept"]), ("notice", ["notify"])])
def test_case_papers_with_a_qr_code_refuse_without_a_public_address(production, client, session, world,
                                                                    qr_contents, paper, steps):
    case_id = make_case(session, world, world.a1, steps)
    login(client, "clerk")
    resp = client.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/{paper}.pdf")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/cases/{case_id}")
    assert MISSING in client.get(resp.headers["Location"]).get_data(as_text=True) and qr_contents == []


def test_a_rejection_prints_no_address_and_needs_none(production, client, session, world):
    case_id = make_case(session, world, world.a1, ["reject"])
    login(client, "clerk")
    resp = client.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/rejection.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"


@pytest.mark.parametrize("paper, steps", [("receipt", ["accept"]), ("notice", ["notify"])])
def test_case_papers_print_the_configured_address_not_the_request_host(production, client, session, world,
                                                                       qr_contents, paper, steps):
    production.config["PUBLIC_URL"] = PUBLIC
    case_id = make_case(session, world, world.a1, steps)
    login(client, "clerk")
    resp = client.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/{paper}.pdf")  # asked of http://localhost/
    assert resp.status_code == 200 and qr_contents == [f"{PUBLIC}/public/case"]


def test_development_is_named_in_the_environment(production, client, session, world, ctx, qr_contents):
    production.config["ENVIRONMENT"] = "development"  # THREEASSETS_ENV=development
    nid, resp = _publish(client, session, world, ctx)
    assert resp.status_code == 302 and _state(session, nid)[0] == "published"
    assert qr_contents == [f"http://localhost/verify/{session.get(Disclosure, nid).verify_code}"]


def test_the_environment_and_address_are_read_from_the_process_environment(monkeypatch, tmp_path):
    from threeassets import config
    monkeypatch.setenv("THREEASSETS_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("THREEASSETS_ENV", " Development ")
    monkeypatch.setenv("THREEASSETS_PUBLIC_URL", f" {PUBLIC}/ ")
    cfg = config.load()
    assert (cfg["ENVIRONMENT"], cfg["PUBLIC_URL"]) == ("development", PUBLIC)
    monkeypatch.delenv("THREEASSETS_ENV")
    assert config.load()["ENVIRONMENT"] == "production"
