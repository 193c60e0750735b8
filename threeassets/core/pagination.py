"""Lists: the search form applied to a select(), and pagination counted in SQL."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select


@dataclass
class Page:
    """One page of rows plus what the pager needs."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def paginate(session, stmt, page: int, per_page: int, scalars: bool = True) -> Page:
    """Run a select for one page and count the whole in SQL; a page past the last shows the last."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = min(max(1, page), max(1, -(-total // per_page)))
    q = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = list(session.scalars(q)) if scalars else list(session.execute(q))
    return Page(rows, page, per_page, total)


def search_filters(q, args: Mapping, choices: Mapping[str, tuple] = {}, words: Sequence = ()):  # noqa: B006
    """A list's search form applied to its query: for each name in `choices` (name → (column, allowed values)),
    ?name=value narrows the list when the value is allowed; ?q=word matches any of the `words` columns
    (a case-insensitive substring)."""
    for name, (column, allowed) in choices.items():
        if args.get(name) and args.get(name) in allowed:
            q = q.where(column == args[name])
    word = (args.get("q") or "").strip()
    if word and words:
        like = f"%{word}%"
        q = q.where(or_(*(column.ilike(like) for column in words)))
    return q
