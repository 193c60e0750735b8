"""The kiosk's pages: the public touch screen under /public (public.py: home and the 党务/政务 notices;
villages.py: 村务公开; services.py: 办事公开 and the case lookup; policies.py: 惠农政策, payment lists, my
household) and the staff pages under /t/<id>/kiosk
(notices.py: writing and publishing notices; usage.py: the use counts). The blueprints are made here with the
helpers the public views share; the view modules are imported at the bottom so they attach to them.

Every public page belongs to one township, named by its code in the address (/public/t/<code>/…): a kiosk
machine is pinned to its township by the address it starts at, and no page of a township links to another's.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, render_template, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from threeassets.core import clock
from threeassets.core.db import brief_write, db
from threeassets.core.web import public_back, public_error, public_pages
from threeassets.kiosk import counting
from threeassets.orgs.models import Township

bp = Blueprint("kiosk", __name__, url_prefix="/t/<int:township_id>/kiosk")
public_bp = Blueprint("kiosk_public", __name__)
BLUEPRINTS = (bp, public_bp)
IDLE_SECONDS = 60  # back to the home screen after a minute without a touch (KIOSK_IDLE_SECONDS overrides)
COUNT_WAIT_MS = 200  # the longest a page's use count waits for the write lock before it is dropped
log = logging.getLogger(__name__)


def kiosk_township(code: str) -> Township:
    """The township a public page belongs to (g.kiosk), by its code; 404 when there is none."""
    township = db.session.scalar(select(Township).where(Township.code == (code or "")[:32]))
    if township is None:
        abort(404)
    g.kiosk = township
    return township


def count(section: str, what: str, ident: int | None = None) -> None:
    """Count one opening of a page of g.kiosk's township, on a connection of its own that waits at most
    COUNT_WAIT_MS (KIOSK_COUNT_WAIT_MS overrides) for the database's write lock: a count that cannot be written
    then (another writer holds the lock) is logged and dropped, and the page never waits behind the writer. The
    villager's page matters more than the statistics."""
    wait = int(current_app.config.get("KIOSK_COUNT_WAIT_MS") or COUNT_WAIT_MS)
    try:
        with brief_write(db.engine, wait) as session:
            counting.hit(session, g.kiosk.id, section, what, ident, day=clock.now().date())
    except SQLAlchemyError:
        log.warning("kiosk count %s/%s not written", section, what, exc_info=True)


def page(template: str, *, back: str | None = None, http_status: int = 200, idle_factor: int = 1, **context):
    """Render a kiosk page of g.kiosk's township: the home and back buttons, the idle return home."""
    home = url_for("kiosk_public.home", code=g.kiosk.code)
    idle = int(current_app.config.get("KIOSK_IDLE_SECONDS") or IDLE_SECONDS) * idle_factor
    return render_template(template, township=g.kiosk, home_url=home, back_url=back, idle=idle,
                           **context), http_status


def _error(exc):
    """A kiosk page that fails stays in the kiosk (its layout, 返回 and 回到首页) once its township is known;
    before that, the public error page."""
    if g.get("kiosk") is None:
        return public_error(exc)
    return page("kiosk/error.html", back=public_back(), http_status=exc.code, error=exc)


public_pages(public_bp, _error)


from threeassets.kiosk.routes import notices, policies, public, services, usage, villages  # noqa: E402, F401  (their views join the blueprints)
