"""The printed notice as a function of data alone: paper sizes, text, masking, furniture, embedded font."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from threeassets.disclosure.pdf import render_notice

URL = "https://sanzi.example.cn/verify/UNITCODE"


def sample(items: int = 3, **extra) -> dict:
    """A small notice as build_notice would return it."""
    row = {"date": "2026-10-05", "voucher": "记-0001", "summary": "收到承包费", "account": "经营收入",
           "amount": "1000.00", "count": 1}
    empty_debts = {"rows": [], "total": "0.00"}
    data = {
        "schema": 1, "village": {"id": 1, "code": "V1", "name": "东风村", "township": "示范镇"},
        "period": {"text": "2026-10", "label": "2026年10月", "start": "2026-10-01", "end": "2026-10-31",
                   "quarter": False},
        "generated_at": "2026-11-01 09:00:00", "published_on": None, "supervision_phone": "0431-88886666",
        "group_threshold": "0.00",
        "cash": {"rows": [{"code": "101", "name": "库存现金", "level": 1, "opening": "100.00", "debit": "0.00",
                           "credit": "0.00", "closing": "100.00"}],
                 "opening": "100.00", "closing": "100.00", "closing_upper": "壹佰元整"},
        "income": {"items": [dict(row, voucher=f"记-{i + 1:04d}") for i in range(items)],
                   "by_account": [{"code": "501", "name": "经营收入", "amount": f"{1000 * items}.00"}],
                   "total": f"{1000 * items}.00", "total_upper": "叁仟元整"},
        "expense": {"items": [], "by_account": [], "total": "0.00", "total_upper": "零元整"},
        "plan": {"year": 2026, "rows": []}, "debts": {"receivable": empty_debts, "payable": empty_debts},
        "distribution": {"columns": ["本月数", "本年累计数"], "lines": [
            {"row_no": 1, "item": "经营收入", "prefix": "一、", "values": ["3000.00", "3000.00"], "total": False}]},
        "other": "", "signoff": None,
        "assets": {"by_category": [], "count": 0, "cost": "0.00", "depreciation": "0.00", "net": "0.00",
                   "changes": [], "period_depreciation": "0.00"},
        "resources": {"by_type": [], "count": 0, "area": "0.00", "let_area": "0.00"},
        "contracts": {"rows": [], "received": "0.00", "overdue": "0.00"},
        "net": {"amount": "3000.00", "upper": "叁仟元整"},
    }
    data.update(extra)
    return data


def pages(pdf: bytes) -> list[str]:
    """Each page's text without whitespace."""
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("layout,size", [("a4", (595, 842)), ("a3", (1191, 842))])
def test_paper_sizes(layout, size):
    pdf = render_notice(sample(), layout=layout, verify_url=URL)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_unknown_layout_is_refused():
    with pytest.raises(ValueError):
        render_notice(sample(), layout="letter", verify_url=URL)


def test_text_furniture_and_empty_sections():
    text = "".join(pages(render_notice(sample(), verify_url=URL, version=4)))
    for phrase in ("东风村财务公开榜", "2026年10月", "第4版", "（待公布）", "3,000.00", "叁仟元整",
                   "0431-88886666", URL, "民主理财小组", "村民委员会", "代理服务中心", "固定资产台账本期无",
                   "2026年未编制财务计划", "本期收入构成"):
        assert phrase in text, phrase


def test_every_page_is_numbered_with_the_total():
    texts = pages(render_notice(sample(items=150), verify_url=URL))
    total = len(texts)
    assert total >= 3
    for n, text in enumerate(texts, 1):
        assert f"第{n}页共{total}页" in text
        assert URL in text  # the running head: a page taken off the board can still be verified


def test_status_note_and_signoff():
    data = sample(signoff={"names": "刘理财、陈监督", "on": "2026-11-03"}, published_on="2026-11-05",
                  display_until="2026-12-05")
    text = "".join(pages(render_notice(data, verify_url=URL, status_note="草稿仅供审核")))
    assert "【草稿仅供审核】" in text and "刘理财、陈监督" in text and "2026年11月3日" in text
    assert "2026年11月5日" in text and "公示至：2026年12月5日" in text


def test_other_text_is_masked_by_the_renderer():
    data = sample(other="王五身份证220102199001011234，卡号6222021234567890123。")
    text = "".join(pages(render_notice(data, verify_url=URL)))
    assert "220102199001011234" not in text and "220102********1234" in text
    assert "6222021234567890123" not in text and "***************0123" in text


def test_font_is_embedded_and_qr_is_an_image():
    pdf = render_notice(sample(), verify_url=URL)
    assert b"/FontFile2" in pdf  # an embedded TrueType font program
    reader = PdfReader(io.BytesIO(pdf))
    last = reader.pages[-1]
    assert any(obj.get("/Subtype") == "/Image" for obj in last["/Resources"]["/XObject"].values())


def test_markup_characters_in_summaries_are_printed_as_text():
    data = sample()
    data["income"]["items"][0]["summary"] = "付<村委会>水电费 & 网费"
    text = "".join(pages(render_notice(data, verify_url=URL)))
    assert "付<村委会>水电费&网费" in text
