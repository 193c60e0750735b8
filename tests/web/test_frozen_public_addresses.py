"""Golden public addresses: the URLs printed as QR codes on paper (notice boards, case receipts) keep opening.

Printed paper cannot change, so these paths and the QR contents are literals: a failure means a route or the
printed address moved and every paper already handed out or posted on a board stopped working.
"""
from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta

import pytest
from flask import url_for
from pypdf import PdfReader

from tests.conftest import login
from tests.web.access_windows import make_case
from threeassets.disclosure.service import verify_url
from threeassets.windows.models import Case

CODE = "Ab-_0123456789xyzXYZab"  # the shape of a verify code: 22 of [A-Za-z0-9_-]
PDF = b"%PDF-1.4 stand-in of a published notice"


@pytest.fixture
def published(session, world):
    """a1's notice of 2024-05 with verify code CODE, published with a stand-in PDF (as make_notice does)."""
    from threeassets.core.db import transaction
    from threeassets.disclosure import service
    today = date.today()
    with transaction(session):
        village = session.merge(world.a1)
        n = service.generate(session, village=village, period="2024-05", actor=world.user("accountant"))
        n.verify_code = CODE
        n.status, n.signoff_names, n.signoff_on = "signed_off", "刘理财、王五", today
        n.published_on, n.display_until = today, today + timedelta(days=14)
        n.pdf, n.sha256, n.status = PDF, hashlib.sha256(PDF).hexdigest(), "published"
    sha = n.sha256
    session.expunge_all()
    return sha


def test_printed_verify_address_is_the_verify_route(app):
    with app.test_request_context():
        assert url_for("disclosure_public.verify", code=CODE) == "/verify/Ab-_0123456789xyzXYZab"
        assert url_for("disclosure_public.verify_pdf", code=CODE) == "/verify/Ab-_0123456789xyzXYZab/pdf"
        assert verify_url("http://localhost", CODE) == url_for("disclosure_public.verify", code=CODE, _external=True)


def test_printed_verify_address_opens_and_checks_the_notice(client, published):
    page = client.get("/verify/Ab-_0123456789xyzXYZab")
    assert page.status_code == 200 and published in page.get_data(as_text=True)
    assert client.get("/verify/Ab-_0123456789xyzXYZab/pdf").data == PDF
    same = client.post("/verify/Ab-_0123456789xyzXYZab", data={"file": (io.BytesIO(PDF), "copy.pdf")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert 'data-match="yes"' in same and hashlib.sha256(PDF).hexdigest() in same
    other = client.post("/verify/Ab-_0123456789xyzXYZab", data={"file": (io.BytesIO(PDF + b" "), "copy.pdf")},
                        content_type="multipart/form-data").get_data(as_text=True)
    assert 'data-match="no"' in other


def test_case_lookup_address_is_the_public_case_page(app):
    with app.test_request_context():
        assert url_for("windows_public.lookup") == "/public/case"
        assert url_for("windows_public.lookup", _external=True) == "http://localhost/public/case"


@pytest.mark.parametrize("paper, steps", [("receipt", ["accept"]), ("notice", ["notify"])])
def test_case_papers_print_the_lookup_address_and_number(client, session, world, qr_contents, paper, steps):
    case_id = make_case(session, world, world.a1, steps)
    session.rollback()
    number = session.get(Case, case_id).number
    assert number == f"TA-{date.today():%Y%m%d}-0001"
    session.expunge_all()
    login(client, "clerk")
    resp = client.get(f"/t/{world.township_a.id}/hall/cases/{case_id}/{paper}.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert qr_contents == ["http://localhost/public/case"]
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages))
    assert "http://localhost/public/case" in text and number in text
