"""A township's or the county's annual report, compiled and composed (the page, the downloads and the command
line all build it here), and its PDF or Word bytes."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from threeassets.annualreport import service
from threeassets.annualreport.compose import Link, compose
from threeassets.annualreport.document import Report
from threeassets.annualreport.figures import compile_figures
from threeassets.annualreport.models import AnnualReport

COUNTY_SCOPE = "全县各乡镇农村集体“三资”代理服务中心"


def _build(session: Session, township_ids: list[int], year: int, row: AnnualReport | None, *, county: bool,
           issuer: str, scope: str, link: Link | None) -> Report:
    figures = compile_figures(session, township_ids, year, per_township=county)
    final = row is not None and row.status == "final"
    dated = row.finalised_at.date() if final and row.finalised_at else date.today()
    return compose(figures, service.texts_of(row), issuer=issuer, scope=scope, dated=dated, draft=not final,
                   link=link)


def township_report(session: Session, township, year: int, link: Link | None = None):
    """(report, stored texts row) of one township's year."""
    row = service.find(session, township.id, year)
    return _build(session, [township.id], year, row, county=False, issuer=f"{township.name}农村集体“三资”代理服务中心",
                  scope="本中心", link=link), row


def county_report(session: Session, township_ids: list[int], year: int, link: Link | None = None):
    """(report, stored texts row) of the county's year: the townships side by side, issued by the county's
    station as THREEASSETS_COUNTY_ISSUER names it."""
    from flask import current_app
    row = service.find(session, None, year)
    return _build(session, township_ids, year, row, county=True, issuer=current_app.config["COUNTY_ISSUER"],
                  scope=COUNTY_SCOPE, link=link), row


def render(report: Report, fmt: str) -> bytes:
    """The report as PDF ('pdf') or Word ('docx') bytes."""
    if fmt == "docx":
        from threeassets.annualreport.word import render_report
    else:
        from threeassets.annualreport.pdf import render_report
    return render_report(report)
