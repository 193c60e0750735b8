"""Web glue shared by every feature: template filters, the current organisation, security headers, the proxy."""
from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from flask import Flask, current_app, g, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.middleware.proxy_fix import ProxyFix

from threeassets.core import jobs, money
from threeassets.core import refused as refused_mod
from threeassets.core.pdf import MissingGlyph
from threeassets.core.periods import DAY_PLACEHOLDER, YM_PLACEHOLDER, ym_label

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
# Sent over HTTPS only: over plain HTTP browsers ignore HSTS, and an office server without a certificate must not
# be pinned to HTTPS by a header some proxy once added. A year, the usual floor of the browsers' preload lists;
# subdomains are left alone (the server may share a domain with other services of the township).
HSTS = "max-age=31536000"
# Nothing here uses these powers; a page that could be made to ask for them (an injected script, a framed
# page) is refused by the browser. Photos of receipts come through file inputs, which need no permission. Over
# plain HTTP browsers grant these powers to no page anyway (they need a secure context), so HTTPS is when it
# matters. Only features every current browser knows, so none logs an "unrecognised feature" error.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()"


def _security_headers(resp):
    """Headers every response carries: no framing, no sniffing, scripts only from this server; over HTTPS also
    HSTS and a Permissions-Policy."""
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        resp.headers.setdefault("Strict-Transport-Security", HSTS)
        resp.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if request.endpoint and request.endpoint != "static":
        resp.headers.setdefault("Cache-Control", "no-store")
    return resp


def here_url(endpoint: str | None = None, /, **changes) -> str:
    """This page's URL (or another endpoint's with the same path arguments) with its query arguments, some
    changed (None drops one). A query name that is also a path argument or one of url_for's own (endpoint,
    _external …) is dropped: passed on, it would clash with them."""
    path = request.view_args or {}
    args = {k: v for k, v in request.args.items() if k not in path and k != "endpoint" and not k.startswith("_")}
    args.update(changes)
    return url_for(endpoint or request.endpoint, **path, **{k: v for k, v in args.items() if v is not None})


_ROW_ID = 9_090_909_090_909_090  # a number no row has: where a row URL's id goes


def row_urls(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """url_for(endpoint, key=id, **values) for many ids (a list page's row links): the URL is built once with a
    stand-in id and each row's id put in its place, instead of a URL build per row."""
    pattern = url_for(endpoint, **values, **{key: _ROW_ID})
    head, _, tail = pattern.partition(str(_ROW_ID))
    return lambda row_id: f"{head}{int(row_id)}{tail}"


def pdf_refused(exc: MissingGlyph):
    """A PDF that would print with a hole (a character no installed font has): its reason on a page of its own
    (422), never a 500 or a file with a blank where the character was, and the way back — the page without
    ?format=, else the page the link was on."""
    back = here_url(format=None) if request.args.get("format") else None
    if back is None and (request.referrer or "").startswith(request.host_url):
        back = request.referrer
    return render_template("pdf_refused.html", message=str(exc), back=back), 422


# What a page served without logging in says when it fails (public_error.html, kiosk/error.html)
PUBLIC_ERRORS = {400: "请求无效", 404: "没有找到该页面或内容", 429: "查询过于频繁"}
PUBLIC_HINTS = {400: "页面可能已过期，请返回后重新操作。", 429: "请稍后再试。"}


def public_back() -> str | None:
    """The page the visitor came from, when it is one of this server's other pages (the way back), else None."""
    came = request.referrer or ""
    return came if came.startswith(request.host_url) and came != request.url else None


def public_error(exc):
    """The error page of a public blueprint's views: the public layout, the way back, no link into the staff
    pages."""
    return render_template("public_error.html", error=exc, back=public_back()), exc.code


def error_page(exc):
    """400, 403, 404 and 429 anywhere else: the staff layout for a logged-in user, the public one (with no link into
    the staff pages) for a visitor."""
    if current_user.is_authenticated:
        return render_template("error.html", error=exc), exc.code
    return public_error(exc)


def error_detail(exc) -> str | None:
    """What the app itself said about an HTTP error (abort(400, description=…), csrf_failed), not Werkzeug's or an
    extension's English default."""
    said = getattr(exc, "description", None)
    return said if said and said != type(exc).description and not said.isascii() else None


CSRF_EXPIRED = "页面已过期或来源无法核实（安全校验未通过），未保存任何内容。请刷新页面后重新填写提交。"


def csrf_failed(exc):
    """A form whose CSRF token is missing, wrong or expired (an old tab, a session ended): 400 saying so in Chinese
    (Flask-WTF's own descriptions are English)."""
    exc.description = CSRF_EXPIRED
    return error_page(exc)


def public_pages(blueprint, handler=public_error):
    """Mark a blueprint's views as public pages: their 400 and 404 keep the public layout (handler)."""
    for code in (400, 404):
        blueprint.register_error_handler(code, handler)
    return blueprint


def page_url(page: int) -> str:
    """The current URL with another page number (filters kept)."""
    return here_url(page=page)


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address and scheme from the X-Forwarded-For and
    X-Forwarded-Proto headers those proxies set (the last PROXY_HOPS entries only, so a client cannot forge
    them). Without proxies the headers are ignored: the address is the socket's and HTTPS is the server's own."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


# The side menu (templates/_menu.html) is the same for every page with the same role, village, township, endpoint
# and ?status=, and building it (some fifty URLs, a permission check per item) was most of a small page's time: each
# process renders it once per such key and keeps the newest MENU_KEPT of them. What changes between requests with
# the same key — the alert badges' counts — is written as a late(name, *args) marker and filled in on every page by
# the function a feature registered in LATE under that name, so a count is never older than the page.
MENU_KEPT = 2048
LATE: dict[str, Callable[..., str]] = {}
_LATE_MARK = re.compile(r"<!--late:(\w+):([^>]*)-->")


class _Menus:
    """One app's rendered menus, newest used last (kept in app.extensions: another app, e.g. a test's, has its own)."""

    def __init__(self) -> None:
        self.kept: OrderedDict[tuple, str] = OrderedDict()
        self.lock = Lock()


def late(name: str, *args) -> Markup:
    """A marker in the cached menu for the LATE[name](*args) of each request (arguments as text)."""
    return Markup("<!--late:{}:{}-->").format(name, ":".join(str(a) for a in args))


def _menu_key() -> tuple:
    """Everything templates/_menu.html reads."""
    village, township = g.get("village"), g.get("township")
    return (request.script_root, current_user.role, current_user.village_id is None,
            village.id if village is not None else None,
            (township.id, township.name) if township is not None else None,
            request.endpoint, request.args.get("status", ""))


def side_menu() -> Markup:
    """The side menu of the logged-in user on this page, from the process's cache, late markers filled in."""
    menus: _Menus = current_app.extensions["threeassets.menus"]
    key = _menu_key()
    with menus.lock:
        html = menus.kept.get(key)
        if html is not None:
            menus.kept.move_to_end(key)
    if html is None:
        html = render_template("_menu.html")
        with menus.lock:
            menus.kept[key] = html
            while len(menus.kept) > MENU_KEPT:
                menus.kept.popitem(last=False)
    return Markup(_LATE_MARK.sub(lambda m: LATE[m.group(1)](*m.group(2).split(":")), html))


def init_app(app: Flask) -> None:
    """Register filters, context, headers and the proxy set-up."""
    trust_proxies(app)
    app.jinja_env.filters["money"] = money.fmt
    app.jinja_env.filters["money_blank"] = lambda v: money.fmt(v, blank_zero=True)
    app.jinja_env.filters["upper_cn"] = money.to_chinese_upper
    app.jinja_env.filters["ym"] = ym_label
    app.jinja_env.globals["input_type"] = input_type
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["here_url"] = here_url
    app.jinja_env.globals["PUBLIC_ERRORS"], app.jinja_env.globals["PUBLIC_HINTS"] = PUBLIC_ERRORS, PUBLIC_HINTS
    app.jinja_env.globals["error_detail"] = error_detail
    app.jinja_env.globals["job_labels"] = jobs.STATUS_LABELS
    app.extensions["threeassets.menus"] = _Menus()
    app.jinja_env.globals["side_menu"] = side_menu
    app.jinja_env.globals["row_urls"] = row_urls
    app.jinja_env.globals["late"] = late
    app.jinja_env.globals["refused"] = refused_mod.NONE  # a page drawn again after a refused form passes its own
    app.context_processor(lambda: {"current_village": g.get("village"), "current_township": g.get("township")})
    app.after_request(_security_headers)
    app.register_error_handler(MissingGlyph, pdf_refused)
    app.register_error_handler(CSRFError, csrf_failed)
    app.register_error_handler(500, server_error)
    app.log_exception = lambda exc_info: None  # server_error logs the trace once, with the page's reference


def server_error(e):
    """Any fault the code did not foresee: a page in Chinese with a reference number the clerk can read out, and
    the trace in the log under the same number. The page stands alone (no menu, no database): whatever failed
    may fail again. The request's transaction is rolled back (nothing half-written stays)."""
    import secrets
    from datetime import datetime

    from flask import current_app

    from threeassets.core.db import db
    reference = f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2).upper()}"
    original = getattr(e, "original_exception", None) or e
    current_app.logger.error("Server error, reference %s: %s %s", reference, request.method, request.path,
                             exc_info=(type(original), original, original.__traceback__))
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the page must still be served if the database is what failed
        current_app.logger.warning("Rollback after error %s failed", reference)
    return render_template("error500.html", reference=reference), 500


def input_type(kind: str):
    """The type attribute of a form macro's input: dates and months become text boxes that say how to write them
    (core.periods reads 2026-10-05, 2026/10/5, 2026年10月5日 …), whatever language the browser speaks."""
    if kind == "date":
        return Markup(f'type="text" data-day placeholder="{DAY_PLACEHOLDER}" autocomplete="off"')
    if kind == "month":
        return Markup(f'type="text" data-ym placeholder="{YM_PLACEHOLDER}" autocomplete="off"')
    return Markup('type="{}"').format(kind)
