"""The audit log page: every row in words (actions, objects and details in Chinese, people by their names)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from flask import current_app, render_template, request
from flask_login import current_user
from sqlalchemy import Integer, cast, literal, null, select, union_all

from threeassets import features
from threeassets.auth.access import requires
from threeassets.auth.models import User
from threeassets.auth.routes import bp
from threeassets.core.audit import AuditEvent, CountyAuditEvent
from threeassets.core.audit_text import Vocabulary, detail_text, object_text
from threeassets.core.db import db
from threeassets.core.pagination import paginate
from threeassets.core.params import arg_page
from threeassets.core.periods import PeriodError, parse_day
from threeassets.orgs.models import Township, Village, names_by_id

# Rows a view counts at most (200 pages of 50): counting a city's whole log on every view would cost more as it
# grows (core.pagination.paginate).
COUNT_CAP = 10_000
# The action filter's families: a code prefix and its words.
FAMILIES = [("voucher", "凭证"), ("account", "会计科目"), ("period", "结账"), ("opening", "期初余额"),
            ("asset", "资产"), ("resource", "资源"), ("contract", "合同"), ("claim", "村级报账"), ("case", "窗口办件"),
            ("disclosure", "财务公开"), ("subsidy", "惠农补贴"), ("kiosk", "五公开公告"), ("user", "用户"),
            ("login", "登录")]


@cache
def vocabulary() -> Vocabulary:
    """Every feature's audit labels (features.AUDIT), merged once per process."""
    vocab = Vocabulary()
    for module in features.modules(features.AUDIT, "audit_labels"):
        vocab.add(module)
    return vocab


def _actors(township_id: int | None) -> list[User]:
    """The people whose actions the viewer may filter by: the township's staff and its villages' users."""
    q = select(User).order_by(User.display_name)
    if township_id is not None:
        villages = select(Village.id).where(Village.township_id == township_id)
        q = q.where((User.township_id == township_id) | User.village_id.in_(villages))
    return list(db.session.scalars(q))


@dataclass(frozen=True)
class Filters:
    """What the viewer asked for: an action (or family) code, an actor's login, and a range of days (both ends
    included; None: open)."""

    action: str = ""
    actor: str = ""
    since: date | None = None
    until: date | None = None


# A time typed after the date (10:30, 10：30, 10点): the filter reads the date and says it took the whole day.
_TIME = re.compile(r"\d\s*[:：点时]")


def _filters(args) -> tuple[Filters, dict[str, str], dict[str, str]]:
    """The query string's filters; each date that does not read as one: field → reason (that end is left open, the
    rest still applies); and each date typed with a time: field → what was taken (its whole day)."""
    days, errors, notes = {}, {}, {}
    for name, what in (("since", "起始日期"), ("until", "截止日期")):
        try:
            days[name] = parse_day(args.get(name), what)
        except PeriodError as exc:
            days[name], errors[name] = None, str(exc)
            continue
        if days[name] and _TIME.search(args.get(name, "")):
            notes[name] = f"已按 {days[name].isoformat()} 全天查询，未按所填时间"
    if days["since"] and days["until"] and days["since"] > days["until"]:
        errors["until"] = "截止日期早于起始日期"
        days["until"] = None
    return Filters(args.get("action", "").strip(), args.get("actor", "").strip(), **days), errors, notes


def _log(model, township_id: int | None, f: Filters):
    """The rows of one log a viewer may read, filtered, as plain rows of the columns the page shows."""
    township, village = ((model.township_id, model.village_id) if model is AuditEvent
                         else (cast(null(), Integer), cast(null(), Integer)))
    q = select(model.id, model.at, model.actor_id, model.actor_name, township.label("township_id"),
               village.label("village_id"), model.action, model.object_type, model.object_id, model.detail, model.ip,
               literal(int(model is CountyAuditEvent)).label("log"))  # which log: a row's order is total
    if township_id is not None:
        q = q.where(model.township_id == township_id)
    if f.action:
        q = q.where(model.action.startswith(f.action, autoescape=True))
    if f.actor:
        q = q.where(model.actor_name == f.actor)
    if f.since:
        q = q.where(model.at >= datetime.combine(f.since, time.min))
    if f.until:
        q = q.where(model.at < datetime.combine(f.until + timedelta(days=1), time.min))
    return q


def _events(township_id: int | None, f: Filters):
    """The audit rows a viewer reads, newest first: a township's log, or for the county's viewers (no township)
    the townships' log and the county's own together."""
    if township_id is not None:
        q = _log(AuditEvent, township_id, f)
    else:
        q = union_all(_log(AuditEvent, None, f), _log(CountyAuditEvent, None, f)).subquery()
        q = select(q)
    cols = q.selected_columns
    return q.order_by(cols.at.desc(), cols.id.desc(), cols.log.desc())


def _places(events, county: bool):
    """Where each row happened, in words: its village for a township's viewer; for the county's, the township and
    the village, or 县级 for the county's own rows."""
    villages = names_by_id(db.session, Village, {e.village_id for e in events if e.village_id})
    if not county:
        return lambda e: villages.get(e.village_id, "")
    townships = names_by_id(db.session, Township, {e.township_id for e in events if e.township_id})
    return lambda e: ("县级" if e.township_id is None
                      else " · ".join(filter(None, (townships.get(e.township_id), villages.get(e.village_id)))))


@bp.get("/audit")
@requires("audit.read")
def audit():
    """The audit log of the user's township (everything for admins and supervisors), newest first. The log only
    grows: its pages count at most COUNT_CAP rows (the newest), and the dates reach further back."""
    f, errors, notes = _filters(request.args)
    q = _events(current_user.township_id, f)
    page = paginate(db.session, q, arg_page(), current_app.config["PAGE_SIZE"], scalars=False, cap=COUNT_CAP)
    county = current_user.township_id is None
    places = _places(page.items, county)
    people = {u.username: u.display_name for u in _actors(current_user.township_id)}
    actor_ids = {e.actor_id for e in page.items if e.actor_id}
    if actor_ids:
        people |= dict(db.session.execute(select(User.username, User.display_name).where(User.id.in_(actor_ids))).all())
    vocab = vocabulary()
    rows = [{"e": e, "who": "系统" if e.actor_name == "system" else people.get(e.actor_name, e.actor_name),
             "action": vocab.action(e.action), "object": object_text(e.object_type, e.object_id, e.detail, vocab),
             "detail": detail_text(e.action, e.detail, vocab), "place": places(e)} for e in page.items]
    actions = sorted(vocab.actions.items(), key=lambda kv: kv[0])
    return render_template("auth/audit.html", page=page, rows=rows, f=f, errors=errors, notes=notes, county=county,
                           since=request.args.get("since", ""), until=request.args.get("until", ""),
                           families=FAMILIES, actions=actions, people=sorted(people.items(), key=lambda kv: kv[1]))
