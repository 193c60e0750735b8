"""The contract summary PDF is a function of data: it renders, embeds the font and masks resident IDs."""
from datetime import date
from decimal import Decimal as D

from threeassets.contracts.pdf import SummaryData, render_summary


def test_render_summary_with_markup_in_text():
    d = SummaryData("甲镇 甲一村", "HT-1", "<耕地>&承包", "发包", "履行中", [("名称", "张三 <个人>")], "协商",
                    date(2024, 1, 1), date(2024, 1, 1), date(2028, 12, 31), D("50000.00"), D("2000.00"), D("0.00"),
                    "501 经营收入", [("资源·耕地", "GD-1 东地", "村东", "30.00 亩")],
                    [(1, date(2024, 1, 1), D("10000.00"), D("0.00"), "未到期")],
                    [("决议公开", "2023-12-09 至 2023-12-16")], "备注 <b>", date(2024, 6, 1))
    pdf = render_summary(d)
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # TrueType font embedded
