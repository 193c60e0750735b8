"""The annual report (年度报告) as a document, from its figures and the texts the head wrote. Pure.

The sections follow the official annual-report format (国办公开办函〔2021〕30号): 一、总体情况 … 六、其他需要报告的
事项, with the agency's own business (the notices it prints for villages, the service windows, the three assets
at the year's end) under 一 and 二. `link(what, **where)` gives the page a figure links to (None: no link; the
PDF and the Word document have none).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from threeassets.annualreport.document import Cell, Prose, Report, Section, Table
from threeassets.annualreport.figures import Assets, Cases, Figures, Unit
from threeassets.annualreport.tables import requests_table, review_table

Link = Callable[..., "str | None"]
OTHER_DEFAULT = "本年度未收取信息处理费。"


@dataclass
class Texts:
    """What the head writes before the report is finalised (problems and plans are required to finalise)."""

    overview: str = ""
    problems: str = ""
    plans: str = ""
    other: str = OTHER_DEFAULT
    review: dict[str, dict[str, int]] = field(default_factory=dict)  # review_table's rows


def _no_link(_what: str, **_where) -> None:
    return None


def yuan(amount: Decimal) -> str:
    """12,345.60 (a report prints amounts in yuan with two places)."""
    return f"{amount:,.2f}"


def rate(part: int, whole: int) -> str:
    """A share as a percentage with one place, or — when there is nothing to share."""
    return f"{Decimal(part * 100) / whole:.1f}%" if whole else "—"


def _n(value: int, url: str | None) -> Cell:
    return Cell(str(value), number=True, link=url if value else None)


def _unit_word(f: Figures) -> str:
    return "乡镇" if f.per_township else "村"


def sentence(*runs) -> Prose:
    """A paragraph of text runs and (figure, link) pairs: the figures link on the page."""
    parts = tuple((r, None) if isinstance(r, str) else (str(r[0]), r[1] if r[0] else None) for r in runs)
    return Prose("".join(text for text, _link in parts), parts)


def _overview(f: Figures, texts: Texts, scope: str, link: Link) -> Section:
    n, c, r = f.notices, f.cases, f.requests

    def cases(**where):
        return link("cases", window=None, **where)

    def requests(row: str):
        return link("requests", row=row, col="total")
    notices = link("notices_all")
    blocks: list = [
        sentence(f"{f.year}年，{scope}代理{f.villages}个村集体经济组织的会计核算和“三资”管理服务"
                 + (f"，涉及{len(f.townships)}个乡镇" if f.per_township else "") + "。"),
        sentence("全年公布村级财务公开榜", (n.total, notices), "期（月度", (n.month, notices), "期、季度",
                 (n.quarter, notices), "期），其中更正后重新公布", (n.corrected, notices), "期；发布党务公开",
                 (f.party_notices, link("kiosk_notices", kind="party")), "项、政务公开",
                 (f.gov_notices, link("kiosk_notices", kind="gov")), "项；惠农政策在用", (f.policies, link("policies")),
                 "项，公示补贴发放名单", (f.subsidy_lists, link("subsidy_lists")), "批；公开查询一体机全年被查阅",
                 (f.kiosk_hits, link("kiosk_hits")), "次。"),
        sentence("全年新收政府信息公开申请", (r["new"]["total"], requests("new")), "件，办结",
                 (r["total"]["total"], requests("total")), "件，结转下年度",
                 (r["carried_out"]["total"], requests("carried_out")), "件。"),
        sentence("服务窗口全年受理", (c.received, cases()), "件，办结", (c.finished, cases(timing="")),
                 "件，其中按时办结", (c.on_time, cases(timing="on_time")),
                 f"件，按时办结率{rate(c.on_time, c.finished)}。"),
    ]
    if texts.overview.strip():
        blocks.append(Prose(texts.overview.strip()))
    return Section("总体情况", blocks)


def _notices_table(f: Figures, link: Link) -> Table:
    word = _unit_word(f)
    rows = [[Cell(x) for x in (word, "月度公开（期）", "季度公开（期）", "其中更正重发（期）", "合计（期）")]]
    for u in f.units:
        url = link("notices", unit=u)
        rows.append([Cell(u.name, link=link("unit", unit=u)), _n(u.notices.month, url), _n(u.notices.quarter, url),
                     _n(u.notices.corrected, url), _n(u.notices.total, url)])
    t = f.notices
    rows.append([Cell("合计"), *(Cell(str(x), number=True) for x in (t.month, t.quarter, t.corrected, t.total))])
    return Table(f"表1　村级财务公开榜公布情况（按{word}）", rows, widths=[2, 1, 1, 1.4, 1])


def _public_table(f: Figures, link: Link) -> Table:
    head = [Cell(x) for x in ("党务公开（项）", "政务公开（项）", "惠农政策在用（项）", "补贴名单公示（批）",
                              "一体机查阅（次）")]
    body = [_n(f.party_notices, link("kiosk_notices", kind="party")),
            _n(f.gov_notices, link("kiosk_notices", kind="gov")),
            _n(f.policies, link("policies")), _n(f.subsidy_lists, link("subsidy_lists")),
            _n(f.kiosk_hits, link("kiosk_hits"))]
    return Table("表2　“五公开”与惠农政策公开情况", [head, body])


def _cases_table(f: Figures, link: Link) -> Table:
    rows = [[Cell(x) for x in ("窗口", "受理（件）", "办结（件）", "按时办结（件）", "超时办结（件）", "按时办结率")]]

    def row(name: str, c: Cases, wid: int | None) -> list[Cell]:
        return [Cell(name), _n(c.received, link("cases", window=wid)),
                _n(c.finished, link("cases", window=wid, timing="")),
                _n(c.on_time, link("cases", window=wid, timing="on_time")),
                _n(c.late, link("cases", window=wid, timing="late")), Cell(rate(c.on_time, c.finished), number=True)]
    for wid, name, c in f.windows:
        rows.append(row(name or "（已撤销的窗口）", c, wid))
    rows.append(row("合计", f.cases, None))
    return Table("表3　服务窗口办件情况", rows, widths=[2.2, 1, 1, 1.2, 1.2, 1.1])


def _funds_table(f: Figures, link: Link) -> Table:
    rows = [[Cell(x) for x in (_unit_word(f), "库存现金", "银行存款", "应收款项", "应付款项")]]

    def row(name: str, a: Assets, unit: Unit | None) -> list[Cell]:
        url = link("balances", unit=unit)
        return [Cell(name), *(Cell(yuan(x), number=True, link=url if x else None)
                              for x in (a.cash, a.bank, a.receivable, a.payable))]
    rows += [row(u.name, u.assets, u) for u in f.units]
    rows.append(row("合计", f.assets, None))
    return Table(f"表4　{f.year}年末资金和往来款项（单位：元）", rows, widths=[1.6, 1.4, 1.4, 1.4, 1.4])


def _assets_table(f: Figures, link: Link) -> Table:
    rows = [[Cell(x) for x in (_unit_word(f), "资产卡片（张）", "原值（元）", "净值（元）", "资源（宗）",
                               "资源面积（亩）")]]

    def row(name: str, a: Assets, unit: Unit | None) -> list[Cell]:
        cards = link("cards", unit=unit)
        return [Cell(name), _n(a.cards, cards), Cell(yuan(a.cards_cost), number=True),
                Cell(yuan(a.cards_net), number=True), _n(a.resources, link("resources", unit=unit)),
                Cell(yuan(a.resource_area), number=True)]
    rows += [row(u.name, u.assets, u) for u in f.units]
    rows.append(row("合计", f.assets, None))
    return Table(f"表5　{f.year}年末资产和资源", rows, widths=[1.4, 1.1, 1.5, 1.5, 0.9, 1.1])


def compose(f: Figures, texts: Texts, *, issuer: str, scope: str, dated: date, draft: bool,
            link: Link | None = None) -> Report:
    """The report of the figures' year. scope names who reports in the text (本中心, 全县各乡镇代理服务中心)."""
    link = link or _no_link

    def request_link(row: str, col: str) -> str | None:
        return link("requests", row=row, col=col)
    sections = [
        _overview(f, texts, scope, link),
        Section("主动公开政府信息情况", [
            Section("村级财务公开", [_notices_table(f, link)]),
            Section("党务、政务公开和惠农政策公开", [_public_table(f, link)]),
            Section("服务窗口办件", [_cases_table(f, link)]),
            Section("“三资”年末情况", [_funds_table(f, link), _assets_table(f, link)])]),
        Section("收到和处理政府信息公开申请情况", [requests_table(f.requests, request_link)]),
        Section("政府信息公开行政复议、行政诉讼情况", [review_table(texts.review)]),
        Section("存在的主要问题及改进情况", [
            Section("存在的主要问题", [Prose(texts.problems.strip() or "（待填写）")]),
            Section("改进情况和下一年度工作计划", [Prose(texts.plans.strip() or "（待填写）")])]),
        Section("其他需要报告的事项", [Prose(texts.other.strip() or OTHER_DEFAULT)]),
    ]
    return Report(f"{issuer}{f.year}年度信息公开和服务工作报告", issuer, dated, sections, draft=draft)
