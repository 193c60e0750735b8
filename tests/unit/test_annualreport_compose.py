"""The annual report composed from figures (pure): the official six sections in order, tables whose totals are
their rows' sums, each figure linked where it has a list (never a zero), sentences that read the same as their
runs; the texts' rules."""
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from threeassets.annualreport import rules
from threeassets.annualreport.compose import Texts, compose, rate, sentence, yuan
from threeassets.annualreport.document import Prose, Section, Table, grid
from threeassets.annualreport.figures import Assets, Cases, Figures, Notices, Unit
from threeassets.core.errors import RuleError
from threeassets.inforequests.rules import Counted, annual_table

D = Decimal


def _figures(per_township: bool = False) -> Figures:
    first = Assets(cash=D("100.50"), bank=D("2000000.00"), cards=2, cards_cost=D("10"), cards_net=D("6"))
    units = [Unit(1, "A1", "东风村", 9, [1], Notices(12, 1, 2), first),
             Unit(2, "A2", "红旗村", 9, [2], Notices(0, 0, 0), Assets(cash=D("-3.00"), resources=4,
                                                                       resource_area=D("12.5")))]
    requests = annual_table(2026, [Counted("person", date(2026, 2, 1), date(2026, 2, 20), "disclosed"),
                                   Counted("business", date(2026, 12, 30), None, None)])
    return Figures(2026, [SimpleNamespace(id=9, name="甲镇")], units, per_township, party_notices=3, gov_notices=0,
                   policies=5, subsidy_lists=2, kiosk_hits=77,
                   windows=[(1, "财务代理窗口", Cases(10, 8, 1)), (2, "综合受理窗口", Cases(4, 4, 0))],
                   requests=requests)


def _link(what, unit=None, **where):
    return f"/{what}/{getattr(unit, 'code', '')}?" + "&".join(f"{k}={v}" for k, v in sorted(where.items()))


def _tables(section: Section) -> list[Table]:
    out = []
    for b in section.blocks:
        out += _tables(b) if isinstance(b, Section) else [b] if isinstance(b, Table) else []
    return out


def _cells(t: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in t.rows]


def test_the_six_official_sections_in_order():
    report = compose(_figures(), Texts(problems="问题", plans="计划"), issuer="甲镇中心", scope="本中心",
                     dated=date(2027, 1, 15), draft=True, link=_link)
    assert [s.title for s in report.sections] == ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                                                  "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况",
                                                  "其他需要报告的事项"]
    assert report.title == "甲镇中心2026年度信息公开和服务工作报告" and report.draft


def test_tables_total_their_rows_and_link_every_nonzero_figure():
    report = compose(_figures(), Texts(), issuer="甲镇中心", scope="本中心", dated=date(2027, 1, 15), draft=False,
                     link=_link)
    notices, public, cases, funds, assets = _tables(report.sections[1])
    assert _cells(notices)[1:] == [["东风村", "12", "1", "2", "13"], ["红旗村", "0", "0", "0", "0"],
                                   ["合计", "12", "1", "2", "13"]]
    assert notices.rows[1][1].link == "/notices/A1?" and notices.rows[2][1].link is None  # a zero links nowhere
    assert _cells(cases)[-1] == ["合计", "14", "12", "11", "1", "91.7%"]
    assert cases.rows[1][4].link == "/cases/?timing=late&window=1"
    assert _cells(funds)[-1] == ["合计", "97.50", "2,000,000.00", "0.00", "0.00"]
    assert _cells(assets)[1][1:4] == ["2", "10.00", "6.00"] and _cells(assets)[-1][4:] == ["4", "12.50"]
    assert assets.rows[1][1].link == "/cards/A1?" and assets.rows[-1][1].link == "/cards/?"
    assert public.rows[1][1].text == "0" and public.rows[1][1].link is None and public.rows[1][4].link


def test_the_overview_reads_as_its_linked_runs():
    report = compose(_figures(), Texts(overview="补充一句"), issuer="甲镇中心", scope="本中心",
                     dated=date(2027, 1, 15), draft=True, link=_link)
    lines = [b for b in report.sections[0].blocks if isinstance(b, Prose)]
    assert all(p.text == "".join(t for t, _u in p.parts) for p in lines if p.parts)
    assert "全年新收政府信息公开申请2件，办结1件，结转下年度1件。" in [p.text for p in lines]
    linked = dict((t, u) for p in lines for t, u in p.parts if u)
    assert linked["77"] == "/kiosk_hits/?" and "0" not in linked  # 政务公开 0 is not a link
    assert lines[-1].text == "补充一句" and not lines[-1].parts


def test_the_county_report_rows_are_townships():
    report = compose(_figures(per_township=True), Texts(), issuer="县站", scope="全县", dated=date(2027, 1, 1),
                     draft=True)
    notices = _tables(report.sections[1])[0]
    assert notices.rows[0][0].text == "乡镇" and "按乡镇" in notices.caption
    assert all(c.link is None for row in notices.rows for c in row)  # no link function: none anywhere
    assert grid(notices.rows)[1] == 5


def test_sentence_rate_and_amounts():
    p = sentence("共", (3, "/x"), "件，零", (0, "/y"), "件")
    assert p.text == "共3件，零0件" and p.parts == (("共", None), ("3", "/x"), ("件，零", None), ("0", None),
                                                   ("件", None))
    assert rate(11, 12) == "91.7%" and rate(0, 0) == "—" and yuan(D("-1234.5")) == "-1,234.50"


def test_review_figures_read_full_width_and_name_bad_fields():
    got = rules.review_figures({"review.kept": "３", "review.pending": " 2 ", "suit_direct.other": ""})
    assert got["review"] == {"kept": 3, "corrected": 0, "other": 0, "pending": 2, "total": 5}
    assert got["suit_after_review"]["total"] == 0
    with pytest.raises(RuleError) as bad:
        rules.review_figures({"review.kept": "-1", "suit_direct.pending": "1.5", "review.other": "123456"})
    assert set(bad.value.fields) == {"review.kept", "suit_direct.pending", "review.other"}


def test_texts_and_finalising_rules():
    assert rules.check_texts(" a ", "b", "", "d") == ("a", "b", "", "d")
    with pytest.raises(RuleError) as long:
        rules.check_texts("x" * (rules.TEXT_LIMIT + 1), "", "", "")
    assert set(long.value.fields) == {"overview"}
    assert rules.finalise_refusal("draft", "问题", "计划") is None
    assert set(rules.finalise_refusal("draft", " ", "计划").fields) == {"problems"}
    assert str(rules.finalise_refusal("final", "问题", "计划")) == "报告已定稿"
    assert rules.check_year(2026) == 2026
    for bad in (None, 1999, 2101):
        with pytest.raises(RuleError):
            rules.check_year(bad)
