"""Anonymous use counts of the kiosk: one row per township, day, section and item, raised by an upsert per page
opened (one statement, no read first). Nothing else is kept: no address, no time of day, nothing typed."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threeassets.core.db import insert_for
from threeassets.kiosk import rules
from threeassets.kiosk.models import KioskCount


def hit(session: Session, township_id: int, section: str, what: str, ident: int | None = None, *,
        day: date) -> None:
    """Count one opening of a kiosk page (rules.count_key says which keys exist)."""
    section, item = rules.count_key(section, what, ident)
    stmt = insert_for(session)(KioskCount).values(township_id=township_id, day=day, section=section, item=item,
                                                  hits=1)
    session.execute(stmt.on_conflict_do_update(index_elements=["township_id", "day", "section", "item"],
                                               set_={"hits": KioskCount.hits + 1}))


@dataclass
class Usage:
    """A township's counts over a date range: per day and section, per item, and the totals."""

    start: date
    end: date
    days: dict[date, dict[str, int]] = field(default_factory=dict)
    items: list[tuple[str, str, int]] = field(default_factory=list)  # (section, item, hits), most used first
    sections: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Every page opened in the range."""
        return sum(self.sections.values())


def usage(session: Session, township_id: int, start: date, end: date) -> Usage:
    """The counts of a township from start to end (both included)."""
    where = (KioskCount.township_id == township_id, KioskCount.day >= start, KioskCount.day <= end)
    out = Usage(start, end)
    days: dict[date, dict[str, int]] = defaultdict(dict)
    q = (select(KioskCount.day, KioskCount.section, func.sum(KioskCount.hits)).where(*where)
         .group_by(KioskCount.day, KioskCount.section).order_by(KioskCount.day))
    for day, section, hits in session.execute(q):
        days[day][section] = int(hits)
        out.sections[section] = out.sections.get(section, 0) + int(hits)
    out.days = dict(days)
    q = (select(KioskCount.section, KioskCount.item, func.sum(KioskCount.hits).label("n")).where(*where)
         .group_by(KioskCount.section, KioskCount.item).order_by(func.sum(KioskCount.hits).desc(),
                                                                 KioskCount.section, KioskCount.item))
    out.items = [(s, i, int(n)) for s, i, n in session.execute(q)]
    return out


def item_names(session: Session, items: list[tuple[str, str, int]]) -> dict[tuple[str, int], str]:
    """(what, id) → the name of the record a counter names: a notice's title, a village, a service item, a policy."""
    from threeassets.kiosk.models import KioskNotice
    from threeassets.orgs.models import Village
    from threeassets.subsidies.models import Policy
    from threeassets.windows.models import ServiceItem
    wanted: dict[str, set[int]] = defaultdict(set)
    for _section, item, _hits in items:
        what, ident = rules.item_parts(item)
        if ident is not None:
            wanted[what].add(ident)
    out: dict[tuple[str, int], str] = {}
    for what, model, column in (("notice", KioskNotice, KioskNotice.title), ("village", Village, Village.name),
                                ("guide", ServiceItem, ServiceItem.name), ("policy", Policy, Policy.name)):
        if wanted.get(what):
            q = select(model.id, column).where(model.id.in_(wanted[what]))
            out |= {(what, i): name for i, name in session.execute(q)}
    return out
