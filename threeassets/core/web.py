"""Web glue shared by every feature: template filters, context, security headers, the home page."""
from __future__ import annotations

from flask import Flask, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from threeassets.auth.rules import ROLE_LABELS, can
from threeassets.core import money
from threeassets.core.db import db
from threeassets.core.periods import ym_label
from threeassets.core.tenancy import visible_townships, visible_villages
from threeassets.ledger.rules import STATUS_LABELS

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


def page_url(page: int) -> str:
    """The current URL with another page number (filters kept)."""
    args = request.args.to_dict()
    args["page"] = page
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def _context():
    """Names every template may use."""
    return {
        "can": lambda perm: current_user.is_authenticated and can(current_user.role, perm),
        "ROLE_LABELS": ROLE_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "current_village": g.get("village"),
        "current_township": g.get("township"),
    }


def home():
    """Landing page: the villages (and townships) the user may open."""
    villages = visible_villages(db.session, current_user)
    role = current_user.role
    if can(role, "cases.handle") and not can(role, "books.read"):
        # A window clerk keeps no books: the service hall of the township is the clerk's home.
        halls = visible_townships(db.session, current_user)
        if len(halls) == 1:
            return redirect(url_for("windows.hall", township_id=halls[0].id))
    # Only roles that may open the consolidated views get the township shortcuts (a village
    # accountant also carries a township id, but goes straight to the one village).
    townships = visible_townships(db.session, current_user) if can(role, "township.reports") else []
    if len(villages) == 1 and not townships:
        return redirect(url_for("dashboard.village", village_id=villages[0].id))
    return render_template("home.html", villages=villages, townships=townships)


def init_app(app: Flask) -> None:
    """Register filters, context, headers and the home route."""
    app.jinja_env.filters["money"] = money.fmt
    app.jinja_env.filters["money_blank"] = lambda v: money.fmt(v, blank_zero=True)
    app.jinja_env.filters["upper_cn"] = money.to_chinese_upper
    app.jinja_env.filters["ym"] = ym_label
    app.jinja_env.globals["page_url"] = page_url
    app.context_processor(_context)
    app.after_request(_security_headers)
    app.add_url_rule("/", "home", login_required(home))
