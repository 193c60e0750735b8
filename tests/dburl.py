"""PostgreSQL test databases beside the test database: same server, same user, same URL parameters."""
from __future__ import annotations

from sqlalchemy.engine import make_url


def beside(url: str, suffix: str) -> tuple[str, str]:
    """(name, URL) of the database named <the URL's database>_<suffix> (its parameters, e.g. prepare_threshold,
    kept: a string split on the last "/" would have taken them into the name)."""
    parsed = make_url(url)
    name = f"{parsed.database}_{suffix}"
    return name, parsed.set(database=name).render_as_string(hide_password=False)
