"""Web glue shared by every feature: template filters, the current organisation, security headers."""
from __future__ import annotations

from flask import Flask, g, request, url_for

from threeassets.core import jobs, money
from threeassets.core.periods import ym_label

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


def _security_headers(resp):
    """Headers every response carries: no framing, no sniffing, scripts only from this server."""
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
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


def page_url(page: int) -> str:
    """The current URL with another page number (filters kept)."""
    return here_url(page=page)


def init_app(app: Flask) -> None:
    """Register filters, context and headers."""
    app.jinja_env.filters["money"] = money.fmt
    app.jinja_env.filters["money_blank"] = lambda v: money.fmt(v, blank_zero=True)
    app.jinja_env.filters["upper_cn"] = money.to_chinese_upper
    app.jinja_env.filters["ym"] = ym_label
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["here_url"] = here_url
    app.jinja_env.globals["job_labels"] = jobs.STATUS_LABELS
    app.context_processor(lambda: {"current_village": g.get("village"), "current_township": g.get("township")})
    app.after_request(_security_headers)
