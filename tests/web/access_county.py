"""Access rows of the county's view: the county supervisor and the administrator (scope: everything) read it;
township and village users get 403 on the county page and 404 on another township's drill-down (403 on their own)."""
from __future__ import annotations

from tests.web.access_base import N, T, r

COUNTY = {"admin", "supervisor"}

ROUTES = [
    r("county.index", "GET", COUNTY, N),
    r("county.index_xlsx", "GET", COUNTY, N),
    r("county.township", "GET", COUNTY, T),
    r("county.township_xlsx", "GET", COUNTY, T),
]
