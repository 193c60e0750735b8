"""core.pagination.paginate with a cap (the audit log's pages): the count stops after `cap` rows, the pages stop
with it, and every counted row is on exactly one page — at, just under and just over the cap, and empty."""
from __future__ import annotations

import pytest
from sqlalchemy import false, literal, select, union_all

from threeassets.core.pagination import paginate


def numbers(k: int):
    """The numbers k … 1 as a list, newest (largest) first: a UNION ALL of k one-row selects."""
    rows = [select(literal(i).label("n")) for i in range(1, k + 1)] or [select(literal(0).label("n")).where(false())]
    q = union_all(*rows).subquery() if len(rows) > 1 else rows[0].subquery()
    return select(q.c.n).order_by(q.c.n.desc())


@pytest.mark.parametrize("rows, per_page, total, more, pages", [
    (0, 20, 0, False, 1),
    (29, 20, 29, False, 2),
    (30, 20, 30, False, 2),
    (31, 20, 30, True, 2),
    (31, 50, 30, True, 1),
    (40, 7, 30, True, 5),
])
def test_a_capped_count_pages_through_exactly_the_newest_rows(session, rows, per_page, total, more, pages):
    first = paginate(session, numbers(rows), 1, per_page, cap=30)
    assert (first.total, first.more, first.pages) == (total, more, pages)
    seen = [n for p in range(1, pages + 1) for n in paginate(session, numbers(rows), p, per_page, cap=30).items]
    assert seen == list(range(rows, rows - total, -1))  # the newest `total`, each once, in order
    past = paginate(session, numbers(rows), pages + 3, per_page, cap=30)
    assert past.page == pages  # a page past the last shows the last


def test_without_a_cap_everything_is_counted(session):
    page = paginate(session, numbers(45), 3, 20)
    assert (page.total, page.more, page.pages, page.items) == (45, False, 3, [5, 4, 3, 2, 1])
