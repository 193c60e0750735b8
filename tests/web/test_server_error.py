"""A fault nobody foresaw: a Chinese page with a reference number, the trace in the log under that number,
nothing written."""
from __future__ import annotations

import logging
import re

from sqlalchemy import func, select

from threeassets.core.db import db
from threeassets.orgs.models import Township


def test_an_unforeseen_fault_shows_a_chinese_page_with_a_reference_and_logs_the_trace(app, world, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production (tests let faults through by default)

    @app.get("/boom-for-test")
    def boom():
        from threeassets.orgs.service import upsert_township
        upsert_township(db.session, "ZZ", "半途镇")  # written, then the fault: must not stay
        db.session.flush()
        raise ZeroDivisionError("planted")

    with caplog.at_level(logging.ERROR):
        resp = app.test_client().get("/boom-for-test")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "系统出错，本次操作没有完成" in page
    reference = re.search(r'id="error-reference"[^>]*>([0-9A-F-]+)<', page).group(1)
    assert re.fullmatch(r"\d{8}-\d{6}-[0-9A-F]{4}", reference)
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info[0] is ZeroDivisionError
    assert "planted" in caplog.text and "Traceback" in caplog.text
    assert "ZeroDivisionError" not in page and "Traceback" not in page  # the trace is for the log only
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Township).where(Township.code == "ZZ")) == 0
