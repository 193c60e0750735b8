"""Alert lists of a village and of a township, re-checking and acknowledging; the menu badge's count."""
from __future__ import annotations

import logging
import os
from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import NotFound

from threeassets.alerts import rules, service
from threeassets.alerts.links import targets
from threeassets.alerts.models import Alert
from threeassets.auth.access import township_view, village_view
from threeassets.auth.models import User
from threeassets.auth.rules import permissions_of
from threeassets.core.db import db, transaction
from threeassets.core.errors import RuleError
from threeassets.core.pagination import paginate, search_word
from threeassets.core.params import arg_id, arg_page
from threeassets.core.web import LATE
from threeassets.orgs.models import Village, names_by_id

bp = Blueprint("alerts", __name__, url_prefix="/v/<int:village_id>/alerts")
township_bp = Blueprint("alerts_township", __name__, url_prefix="/t/<int:township_id>/alerts")
BLUEPRINTS = (bp, township_bp,)
log = logging.getLogger(__name__)
STATES = (rules.OPEN, rules.ACKNOWLEDGED, rules.RESOLVED, "all")
DEFAULT_RESCAN_MINUTES = 60


def _rescan_minutes() -> int:
    """How old a village's last scan may be before opening a list re-checks it (0: never on opening)."""
    value = current_app.config.get("ALERTS_RESCAN_MINUTES",
                                   os.environ.get("THREEASSETS_ALERTS_RESCAN_MINUTES", DEFAULT_RESCAN_MINUTES))
    return int(value)


def _refresh_stale(villages: list[Village]) -> None:
    """Re-check villages whose last scan is stale; a failure (e.g. a busy database) leaves the list as it was."""
    minutes = _rescan_minutes()
    if minutes <= 0:
        return
    today = date.today()
    if not service.stale(db.session, villages, timedelta(minutes=minutes), today):
        return
    try:
        with transaction(db.session):
            # Re-read inside the write transaction: a scan that ran meanwhile makes this one unnecessary.
            todo = service.stale(db.session, villages, timedelta(minutes=minutes), today)
            service.scan(db.session, todo, today)
    except SQLAlchemyError:
        log.warning("alerts: automatic re-check failed", exc_info=True)


def _filters() -> dict:
    """The list filters from the query string (unknown values fall back to the defaults)."""
    state = request.args.get("state", rules.OPEN)
    rule = request.args.get("rule", "")
    return {"state": state if state in STATES else rules.OPEN,
            "rule": rule if rule in rules.RULE_LABELS else "",
            "q": search_word(request.args.get("q"))}


def _users(alerts: list[Alert]) -> dict[int, str]:
    """Display names of the users who acknowledged the alerts on a page."""
    ids = {a.acknowledged_by_id for a in alerts if a.acknowledged_by_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def _page(village_ids: list[int], scope: dict):
    """Render a list over some villages with the filters, counts by rule and a page of alerts, each with its state
    and the actions the alert rules allow this person."""
    f = _filters()
    stmt = service.listing(village_ids=village_ids, rule=f["rule"] or None, state=f["state"], q=f["q"] or None)
    page = paginate(db.session, stmt, arg_page(), current_app.config["PAGE_SIZE"])
    names = names_by_id(db.session, Village, village_ids)
    states, mine = {a.id: service.state_of(a) for a in page.items}, permissions_of(current_user.role)
    return render_template(
        "alerts/list.html", page=page, filters=f, names=names, users=_users(page.items), states=states,
        actions={i: rules.alert_actions(s, mine) for i, s in states.items()},
        links=targets(db.session, page.items), form=FlaskForm(), RULE_LABELS=rules.RULE_LABELS,
        STATE_LABELS=rules.STATE_LABELS, SEVERITY_LABELS=rules.SEVERITY_LABELS,
        counts=service.counts_by_rule(db.session, village_ids=village_ids, state=f["state"]),
        last_scan=service.last_scan(db.session, village_ids), **scope)


@bp.get("")
@village_view("alerts.read")
def index(village_id: int):
    """预警 of one village: open by default, acknowledged and resolved under their filters."""
    _refresh_stale([g.village])
    return _page([village_id], {"village": g.village})


def _township_villages(township_id: int) -> list[Village]:
    """The township's villages in code order."""
    return list(db.session.scalars(select(Village).where(Village.township_id == township_id)
                                   .order_by(Village.code)))


@township_bp.get("")
@township_view("alerts.read")
def township_index(township_id: int):
    """预警 of a whole township, filterable by rule, village and state."""
    villages = _township_villages(township_id)
    _refresh_stale(villages)
    ids = [v.id for v in villages]
    chosen = arg_id("village")
    return _page([chosen] if chosen in ids else ids, {"township": g.township, "villages": villages,
                                                      "chosen": chosen if chosen in ids else None})


def _rescan(villages: list[Village], back: str):
    """Scan villages now and say what changed."""
    with transaction(db.session):
        res = service.scan(db.session, villages, date.today(), actor=current_user)
    flash(f"检查完成：新增 {res.raised} 条，重新出现 {res.reopened} 条，已解除 {res.resolved} 条，"
          f"当前待处理 {res.open} 条", "success")
    return redirect(back)


@bp.post("/scan")
@village_view("alerts.ack")
def rescan(village_id: int):
    """重新检查 one village now."""
    return _rescan([g.village], url_for(".index", village_id=village_id))


@township_bp.post("/scan")
@township_view("alerts.ack")
def township_rescan(township_id: int):
    """重新检查 every village of the township now."""
    return _rescan(_township_villages(township_id), url_for(".township_index", township_id=township_id))


def _acknowledge(alert_filter, back: str):
    """Acknowledge the alert the filter finds (404 when none) with the posted note."""
    try:
        with transaction(db.session):
            alert = db.session.scalar(select(Alert).where(alert_filter).with_for_update())
            if alert is None:
                raise NotFound()
            service.acknowledge(db.session, alert, actor=current_user, note=request.form.get("note"))
    except RuleError as exc:
        flash(f"未确认：{exc}", "danger")
        return redirect(back)
    flash("已确认，该预警移出待处理列表（可在“已确认”中查看）", "success")
    return redirect(back)


@bp.post("/<int:alert_id>/ack")
@village_view("alerts.ack")
def acknowledge(village_id: int, alert_id: int):
    """Acknowledge one of the village's alerts with a note; back to the list it was sent from."""
    return _acknowledge((Alert.id == alert_id) & (Alert.village_id == village_id),
                        _back(url_for(".index", village_id=village_id)))


def _back(default: str) -> str:
    """The list page the form came from (a local /v/ or /t/ path only), else the default."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or not target.startswith(("/v/", "/t/")):
        return default
    return target


def _counted(scope: str, org_id: int) -> int:
    """Open alerts of a township or a village, counted once per page: the menu badge and the village dashboard's
    button show the same count, read as the page is drawn (after whatever the request wrote)."""
    counts = g.setdefault("open_alerts", {})
    if (scope, org_id) not in counts:
        counts[scope, org_id] = service.badge_count(db.session, scope, org_id)
    return counts[scope, org_id]


def _badge(scope: str, org_id: str) -> Markup:
    """The menu badge of a township's or a village's open alerts (a late() marker of the cached menu, core/web.py:
    counted on every page, so it is never older than the page), or nothing when there is none."""
    n = _counted(scope, int(org_id))
    return Markup(' <span class="badge rounded-pill bg-danger alerts-badge">{}</span>').format(n) if n else Markup()


LATE["alerts_badge"] = _badge


@township_bp.app_template_global("open_alerts")
def _open_alerts(township_id: int | None = None, village_id: int | None = None) -> int:
    """Open alerts of a township or a village (the village dashboard's button)."""
    if village_id is not None:
        return _counted("village", village_id)
    return _counted("township", township_id)
