"""Pagination of select() statements, counted in SQL."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select


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
    """Run a select for one page and count the whole in SQL."""
    page = max(1, page)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    q = stmt.limit(per_page).offset((page - 1) * per_page)
    rows = list(session.scalars(q)) if scalars else list(session.execute(q))
    return Page(rows, page, per_page, total or 0)
