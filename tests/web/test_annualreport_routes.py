"""The annual report's pages: every figure's link opens its list, the texts form keeps what was typed and names
the refused fields, finalising and reopening, the downloads; the county's report beside the township's."""
from __future__ import annotations

import io
import re
from html import unescape

import pytest
from docx import Document

from tests.integration.conftest import sub_account  # noqa: F401
from tests.integration.test_annual_report import year_of_work  # noqa: F401
from tests.integration.test_county import county  # noqa: F401

YEAR = 2024


def _links(html: str) -> list[str]:
    article = html[html.index('id="annual-report"'):]
    return [unescape(h) for h in re.findall(r'<a href="([^"]+)"', article[:article.index("</article>")])]


@pytest.mark.parametrize("user", ["head", "accountant", "reviewer", "supervisor", "admin"])
def test_every_link_a_reader_is_shown_opens(as_user, year_of_work, user):  # noqa: F811
    """Each reader sees the links his role may open, and every one of them opens (no 403 behind a figure)."""
    world = year_of_work
    c = as_user(user)
    links = sorted(set(_links(c.get(f"/t/{world.township_a.id}/annual-report?year={YEAR}").get_data(as_text=True))))
    assert links, user
    for link in links:
        assert c.get(link).status_code == 200, (user, link)
    has_cases = any("/hall/cases?" in link for link in links)
    assert has_cases == (user != "supervisor" and user != "admin")  # the hall's lists are its handlers'


def test_every_figure_links_to_a_list_that_opens(as_user, year_of_work):  # noqa: F811
    world = year_of_work
    c = as_user("head")
    page = c.get(f"/t/{world.township_a.id}/annual-report?year={YEAR}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "甲镇农村集体“三资”代理服务中心2024年度信息公开和服务工作报告" in html
    links = _links(html)
    assert len(links) > 25
    for kind in ("/hall/cases?", "/info-requests?", "/kiosk/notices?", "/policies?", "/subsidies?",
                 "/kiosk/usage?", "/reports/trial-balance?", "/disclosure?published=2024"):
        assert any(kind in link for link in links), kind
    for link in sorted(set(links)):
        assert c.get(link).status_code == 200, link


def test_the_late_cases_link_lists_exactly_the_late_cases(as_user, year_of_work):  # noqa: F811
    world = year_of_work
    c = as_user("head")
    html = c.get(f"/t/{world.township_a.id}/annual-report?year={YEAR}").get_data(as_text=True)
    late = [link for link in _links(html) if "timing=late" in link and "window=" not in link]
    assert len(late) == 1
    listed = c.get(late[0]).get_data(as_text=True)
    assert listed.count("TA-1") == 1 and "TA-0" not in listed and "TA-3" not in listed


def test_a_refused_save_keeps_the_typed_texts_and_names_the_field(as_user, world, session):
    c = as_user("head")
    tid = world.township_a.id
    resp = c.post(f"/t/{tid}/annual-report/save", data={"year": "2026", "problems": "<b>问题</b>一",
                                                         "review.kept": "十", "plans": ""})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "请填写0至99999的整数" in body and "&lt;b&gt;问题&lt;/b&gt;一" in body
    resp = c.post(f"/t/{tid}/annual-report/finalise", data={"year": "2026", "problems": "问题", "plans": ""})
    assert resp.status_code == 422 and "定稿前请填写" in resp.get_data(as_text=True)
    ok = c.post(f"/t/{tid}/annual-report/finalise", data={"year": "2026", "problems": "问题", "plans": "计划",
                                                           "review.kept": "２"}, follow_redirects=True)
    page = ok.get_data(as_text=True)
    assert "年度报告已定稿" in page and "已定稿" in page and "撤回定稿" in page and "（草稿）" not in page
    docx = c.get(f"/t/{tid}/annual-report/report.docx?year=2026")
    assert docx.status_code == 200 and "attachment" in docx.headers["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "问题" in text and "计划" in text
    typed = {"year": "2026", "problems": "改<i>过</i>的问题", "plans": "计划"}
    late = c.post(f"/t/{tid}/annual-report/save", data=typed)
    page = late.get_data(as_text=True)  # typed in a tab opened before the report was made final elsewhere
    assert late.status_code == 409 and "改&lt;i&gt;过&lt;/i&gt;的问题" in page and "尚未保存" in page
    assert "保存并定稿</button>" not in page and "撤回定稿</button>" in page
    assert "已撤回定稿" in c.post(f"/t/{tid}/annual-report/reopen", data={"year": "2026"},
                               follow_redirects=True).get_data(as_text=True)


def test_the_county_report_has_a_row_per_township_opening_its_report(as_user, year_of_work):  # noqa: F811
    world = year_of_work
    c = as_user("supervisor")
    html = c.get(f"/county/annual-report?year={YEAR}").get_data(as_text=True)
    assert "县农村经营管理站2024年度信息公开和服务工作报告" in html and "甲镇" in html and "乙镇" in html
    links = set(_links(html))
    assert {f"/t/{world.township_a.id}/annual-report?year={YEAR}",
            f"/t/{world.township_b.id}/annual-report?year={YEAR}"} <= links
    pdf = c.get(f"/county/annual-report/report.pdf?year={YEAR}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    assert c.get(f"/t/{world.township_b.id}/annual-report?year={YEAR}").status_code == 200
    assert as_user("head").get(f"/t/{world.township_b.id}/annual-report?year={YEAR}").status_code == 404


def test_a_bad_year_falls_back_to_last_year(as_user, world):
    from datetime import date
    html = as_user("head").get(f"/t/{world.township_a.id}/annual-report?year=19999").get_data(as_text=True)
    assert f"{date.today().year - 1}年度信息公开和服务工作报告" in html
