"""Smaller leaks (issue 11, point 10): a file is read with its owner record, draft claims stay in the village,
menus offer only pages the role may open, HSTS and Permissions-Policy over HTTPS."""
from __future__ import annotations

import pytest

from tests.conftest import login
from tests.web.access_assets import NEEDS as ASSET_NEEDS
from tests.web.access_claims import make_claim
from tests.web.conftest import tbody

STAFF = ("admin", "supervisor", "head", "accountant", "reviewer", "clerk")  # none of them is of village a1


def _download(client, village, att_id):
    return client.get(f"/v/{village.id}/attachments/{att_id}")


# Attachments follow their owner record --------------------------------------------------------------------

def test_a_clerk_cannot_download_a_vouchers_files(client, world, records):
    """The window clerk holds attachments.read (for claims' receipts) but not books.read: a voucher's file is 403."""
    voucher = records.voucher(world.a1)
    att = records.attachment(world.a1, "voucher", voucher.id)
    login(client, "clerk")
    assert client.get(f"/v/{world.a1.id}/vouchers/{voucher.id}").status_code == 403
    resp = _download(client, world.a1, att.id)
    assert resp.status_code == 403 and b"\x89PNG" not in resp.data
    login(client, "reviewer")
    assert _download(client, world.a1, att.id).status_code == 200


def test_a_clerk_cannot_download_an_asset_cards_files(client, world, records, session, ctx):
    asset_id = ASSET_NEEDS["asset"](session, world, world.a1, ctx)
    att = records.attachment(world.a1, "asset", asset_id)
    login(client, "clerk")
    assert client.get(f"/v/{world.a1.id}/assets/{asset_id}").status_code == 403
    assert _download(client, world.a1, att.id).status_code == 403
    login(client, "board")
    assert _download(client, world.a1, att.id).status_code == 200


def test_a_clerk_downloads_a_submitted_claims_receipt(client, world, session):
    _claim, att = make_claim(session, world, world.a1, submit=True)
    login(client, "clerk")
    resp = _download(client, world.a1, att)
    assert resp.status_code == 200 and resp.data.startswith(b"\x89PNG")


def test_a_file_of_an_unknown_kind_of_record_is_refused(client, world, records):
    """Default deny: a file whose record no feature vouches for is opened by no one."""
    att = records.attachment(world.a1, "mystery", 1)
    for who in ("admin", "head", "vacct"):
        login(client, who)
        assert _download(client, world.a1, att.id).status_code == 404, who


def test_a_file_whose_voucher_is_gone_is_missing(client, world, records):
    att = records.attachment(world.a1, "voucher", 999999)
    login(client, "head")
    assert _download(client, world.a1, att.id).status_code == 404


# Draft claims stay in the village ---------------------------------------------------------------------------

def test_township_staff_never_see_a_draft_claim(app, world, session):
    draft, receipt = make_claim(session, world, world.a1)
    sent, _ = make_claim(session, world, world.a1, submit=True)
    base = f"/v/{world.a1.id}/claims"
    for who in STAFF:
        c = app.test_client()
        login(c, who)
        rows = tbody(c.get(base).get_data(as_text=True))
        assert f"{base}/{sent}" in rows and f"{base}/{draft}" not in rows, who
        assert f"{base}/{draft}" not in tbody(c.get(f"{base}?status=draft").get_data(as_text=True)), who
        assert c.get(f"{base}/{draft}").status_code == 404, who
        assert c.get(f"{base}/{sent}").status_code == 200, who
        assert _download(c, world.a1, receipt).status_code == 404, who
    c = app.test_client()
    login(c, "clerk")
    resp = c.post(f"{base}/{draft}/receive")
    assert resp.status_code == 404 and "草稿" not in resp.get_data(as_text=True)


def test_the_village_sees_its_drafts(app, world, session):
    draft, receipt = make_claim(session, world, world.a1)
    base = f"/v/{world.a1.id}/claims"
    for who in ("vacct", "board"):
        c = app.test_client()
        login(c, who)
        assert f"{base}/{draft}" in tbody(c.get(base).get_data(as_text=True)), who
        assert c.get(f"{base}/{draft}").status_code == 200, who
        assert _download(c, world.a1, receipt).status_code == 200, who


# HTTPS headers ----------------------------------------------------------------------------------------------

def test_hsts_and_permissions_policy_over_https(client, world):
    resp = client.get("/login", base_url="https://kiosk.example")
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(resp.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 180 * 86400
    policy = resp.headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_no_hsts_over_plain_http(client, world):
    """HSTS over HTTP would be ignored by browsers, and would pin an office server that has no certificate."""
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_a_forwarded_proto_is_believed_only_from_a_configured_proxy(app, db_url, world):
    """Behind a TLS-terminating proxy (THREEASSETS_PROXY_HOPS=1) X-Forwarded-Proto says HTTPS; a client that sends
    the header to a server with no proxy configured is not believed."""
    from threeassets import create_app
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Strict-Transport-Security" not in app.test_client().get("/login", headers=forwarded).headers
    proxied = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret", "PROXY_HOPS": 1})
    assert "Strict-Transport-Security" in proxied.test_client().get("/login", headers=forwarded).headers


@pytest.mark.parametrize("path", ["/login", "/public/case"])
def test_permissions_policy_on_public_pages_over_https(path, client, world):
    assert "Permissions-Policy" in client.get(path, base_url="https://kiosk.example").headers
