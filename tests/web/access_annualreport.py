"""Access rows of the annual report: a township's (under /t/<id>/annual-report: its head writes, the agency and
the county read) and the county's (/county/annual-report: the county supervisor writes, the administrator reads).
The rows run in order: save, then finalise (which saves the typed texts first), then reopen."""
from __future__ import annotations

from tests.web.access_base import HEADS, TOWNSHIP_READERS, N, T, r


def texts(_ctx) -> dict:
    """The head's texts for 2026, with the review figures."""
    return {"year": "2026", "overview": "全年工作平稳。", "problems": "部分村公开不够及时。",
            "plans": "明年按月公开。", "other": "本年度未收取信息处理费。", "review.kept": "1",
            "suit_direct.pending": "２"}


def year(_ctx) -> dict:
    return {"year": "2026"}


COUNTY_READERS = {"admin", "supervisor"}
COUNTY_WRITERS = {"supervisor"}
ROUTES = [
    r("annualreport.page", "GET", TOWNSHIP_READERS, T),
    r("annualreport.pdf", "GET", TOWNSHIP_READERS, T),
    r("annualreport.docx", "GET", TOWNSHIP_READERS, T),
    r("annualreport.save", "POST", HEADS, T, data=texts),
    r("annualreport.finalise", "POST", HEADS, T, data=texts),
    r("annualreport.reopen", "POST", HEADS, T, data=year),
    r("annualreport_county.county_page", "GET", COUNTY_READERS, N),
    r("annualreport_county.county_pdf", "GET", COUNTY_READERS, N),
    r("annualreport_county.county_docx", "GET", COUNTY_READERS, N),
    r("annualreport_county.county_save", "POST", COUNTY_WRITERS, N, data=texts),
    r("annualreport_county.county_finalise", "POST", COUNTY_WRITERS, N, data=texts),
    r("annualreport_county.county_reopen", "POST", COUNTY_WRITERS, N, data=year),
]
