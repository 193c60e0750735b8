"""The annual report's document: cell placement with spans, and the Word layout read back (the PDF is checked
with every other print in test_hostile_pdfs.py)."""
import io
from datetime import date

import pytest
from docx import Document

from threeassets.annualreport import document as d
from threeassets.annualreport.tables import requests_table, review_table
from threeassets.annualreport.word import render_report
from threeassets.inforequests.rules import OUTCOMES, Counted, annual_table

HOSTILE = '<w:p>]]> &amp; <b>R&D</b> 𠕇 =SUM(A1)'


def test_cells_land_where_spans_leave_room():
    rows = [[d.Cell("a", rowspan=2), d.Cell("b", colspan=2)], [d.Cell("c"), d.Cell("d")]]
    placed, width = d.grid(rows)
    assert width == 3 and [(r, c, cell.text) for r, c, cell in placed] == [
        (0, 0, "a"), (0, 1, "b"), (1, 1, "c"), (1, 2, "d")]
    with pytest.raises(ValueError):
        d.grid([[d.Cell("a"), d.Cell("b")], [d.Cell("c")]])
    with pytest.raises(ValueError):
        d.grid([[d.Cell("a", rowspan=3)]])


def test_headings_are_numbered_as_reports_number_them():
    assert [d.cn_number(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
    assert d.heading(1, 6, "其他需要报告的事项") == "六、其他需要报告的事项"
    assert d.heading(2, 2, "依申请公开") == "（二）依申请公开" and d.heading(3, 4, "x") == "4．x"


def test_the_official_requests_table_is_ten_columns_and_balances():
    counts = annual_table(2026, [Counted("person", date(2026, 3, 1), date(2026, 3, 9), "withheld_4"),
                                 Counted("law", date(2026, 12, 30), None, None)])
    t = requests_table(counts, link=lambda row, col: f"/list?row={row}&col={col}")
    placed, width = d.grid(t.rows)
    assert width == 10 and t.header == 3
    texts = [cell.text for _r, _c, cell in placed]
    assert texts[:2] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"]
    for label in ("一、本年新收政府信息公开申请数量", "（三）不予公开", "4．保护第三方合法权益", "（七）总计",
                  "四、结转下年度继续办理", "商业企业", "法律服务机构"):
        assert label in texts
    linked = {cell.link for _r, _c, cell in placed if cell.link}
    assert "/list?row=withheld_4&col=person" in linked and "/list?row=carried_out&col=law" in linked
    assert all(cell.text != "0" for _r, _c, cell in placed if cell.link)  # a zero links nowhere
    assert "均相符" in t.note
    assert d.grid(review_table({"review": {"kept": 1, "total": 1}}).rows)[1] == 15


def _report(text: str) -> d.Report:
    counts = annual_table(2026, [Counted("person", date(2026, 3, 1), date(2026, 3, 9), "disclosed")])
    return d.Report(f"{text}年度报告", "示范镇服务中心", date(2027, 1, 15), [
        d.Section("总体情况", [d.Prose(f"{text}\n第二段"), d.Section(text, [])]),
        d.Section("收到和处理政府信息公开申请情况", [requests_table(counts)])], draft=True)


def test_the_word_document_holds_every_text_as_typed_with_merged_cells_and_page_numbers():
    doc = Document(io.BytesIO(render_report(_report(HOSTILE))))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:2] == ["草稿（未定稿）", f"{HOSTILE}年度报告"]
    assert "一、总体情况" in paragraphs and HOSTILE in paragraphs and f"（一）{HOSTILE}" in paragraphs
    assert "二、收到和处理政府信息公开申请情况" in paragraphs
    table = doc.tables[0]
    assert len(table.columns) == 10 and len(table.rows) == 3 + 2 + (len(OUTCOMES) + 1) + 1  # ... （七）总计, 四
    # the merged head cell is one cell over three rows and three columns
    assert table.cell(0, 0)._tc is table.cell(2, 2)._tc
    assert table.cell(3, 0).text == "一、本年新收政府信息公开申请数量" and table.cell(3, 3).text == "1"
    head_rows = [row for row in table.rows if row._tr.trPr is not None and "tblHeader" in row._tr.trPr.xml]
    assert len(head_rows) == 3
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


def test_word_rows_never_break_and_a_short_table_moves_whole():
    short = d.Table("表", [[d.Cell("a"), d.Cell("b")], [d.Cell("1"), d.Cell("2")], [d.Cell("3"), d.Cell("4")]])
    rows = [[d.Cell("头"), d.Cell("头")]] + [[d.Cell(str(n)), d.Cell("x")] for n in range(40)]
    report = d.Report("报告", "中心", date(2027, 1, 15), [d.Section("节", [short, d.Table("", rows)])])
    doc = Document(io.BytesIO(render_report(report)))
    small, long = doc.tables
    assert all("cantSplit" in row._tr.trPr.xml for t in (small, long) for row in t.rows)

    def kept(row):
        return all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
    assert [kept(r) for r in small.rows] == [True, True, False]  # each row kept with the next: moves whole
    assert not any(kept(r) for r in long.rows)  # a long table splits (its head repeats)
    caption = next(p for p in doc.paragraphs if p.text == "表")
    assert caption.paragraph_format.keep_with_next and next(
        p for p in doc.paragraphs if p.text == "一、节").paragraph_format.keep_with_next
