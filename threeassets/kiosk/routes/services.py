"""办事公开 on the kiosk: every active service item's guide (materials, legal basis, promised working days, fee),
searchable by name or pinyin initials, and the case-status lookup (windows' own, with its throttle)."""
from __future__ import annotations

from flask import abort, request, url_for

from threeassets.core import masking
from threeassets.core.db import db
from threeassets.kiosk import search
from threeassets.kiosk.routes import count, kiosk_township, page, public_bp
from threeassets.windows.catalogue import items_of, windows_of
from threeassets.windows.models import ServiceItem, Window
from threeassets.windows.routes.public import LookupForm, answer


@public_bp.get("/public/t/<code>/services")
def services(code: str):
    """The hall's windows and their items; ?q= keeps the items whose name (or its initials) holds it."""
    township = kiosk_township(code)
    count("service", "list")
    query = search.clean(request.args.get("q"))
    windows = windows_of(db.session, township.id, active_only=True)
    items = [i for i in items_of(db.session, township.id, active_only=True) if search.matches(query, i.name)]
    by_window = {w.id: [i for i in items if i.window_id == w.id] for w in windows}
    return page("kiosk/services.html", windows=[w for w in windows if by_window[w.id]], by_window=by_window,
                query=query, found=len(items), back=url_for("kiosk_public.home", code=code))


@public_bp.get("/public/t/<code>/services/<int:item_id>")
def guide(code: str, item_id: int):
    """服务指南 of one active item of the township (an inactive or another township's item is 404)."""
    township = kiosk_township(code)
    item = db.session.get(ServiceItem, item_id)
    if item is None or item.township_id != township.id or not item.active:
        abort(404)
    count("service", "guide", item.id)
    window = db.session.get(Window, item.window_id)
    return page("kiosk/guide.html", svc=item, window=window, phone=masking.public_phone(window.phone),
                back=url_for("kiosk_public.services", code=code))


@public_bp.route("/public/t/<code>/case", methods=["GET", "POST"])
def case(code: str):
    """办件进度查询 inside the kiosk: the same form, answers and throttle as /public/case."""
    kiosk_township(code)
    form = LookupForm()
    status, message, http = None, None, 200
    if form.validate_on_submit():
        count("service", "case")
        status, message, http = answer(form)
    return page("kiosk/case.html", form=form, status=status, message=message, http_status=http,
                back=url_for("kiosk_public.services", code=code))
