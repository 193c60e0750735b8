"""The official tables of the annual report (国办公开办函〔2021〕30号), built from counts. Pure."""
from __future__ import annotations

from collections.abc import Callable

from threeassets.annualreport.document import Cell, Table
from threeassets.inforequests import rules

# The columns after the row labels, in the template's order.
KINDS = [rules.Requester.PERSON, rules.Requester.BUSINESS, rules.Requester.RESEARCH, rules.Requester.CHARITY,
         rules.Requester.LAW, rules.Requester.OTHER, "total"]


def requests_table(counts: dict[str, dict[str, int]], link: Callable[[str, str], str | None] | None = None) -> Table:
    """三、收到和处理政府信息公开申请情况: the template's head (申请人情况 → 自然人, 法人或其他组织 with its five
    kinds, 总计), its rows from 本年新收 to 结转下年度继续办理, and the check under it. counts is
    inforequests.rules.annual_table's result; link(row, column) gives each figure's list on the page."""
    link = link or (lambda _row, _col: None)

    def figures(row: str) -> list[Cell]:
        return [Cell(str(counts[row][k]), number=True, link=link(row, k) if counts[row][k] else None) for k in KINDS]

    head = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan=3, rowspan=3),
         Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(rules.REQUESTER_LABELS[k]) for k in KINDS[1:6]],
    ]
    body = [[Cell("一、本年新收政府信息公开申请数量", colspan=3), *figures("new")],
            [Cell("二、上年结转政府信息公开申请数量", colspan=3), *figures("carried_in")]]
    result_rows = []
    for group, title in rules.GROUPS:
        reasons = [o for o in rules.OUTCOMES.values() if o.group_code == group and o.label]
        if not reasons:
            result_rows.append([Cell(title, colspan=2), *figures(group)])
            continue
        for i, o in enumerate(reasons):
            first = [Cell(title, rowspan=len(reasons))] if i == 0 else []
            result_rows.append([*first, Cell(o.label), *figures(o.code)])
    result_rows.append([Cell("（七）总计", colspan=2), *figures("total")])
    body.append([Cell("三、本年度办理结果", rowspan=len(result_rows)), *result_rows[0]])
    body += result_rows[1:]
    body.append([Cell("四、结转下年度继续办理", colspan=3), *figures("carried_out")])
    ok = all(counts["new"][k] + counts["carried_in"][k] == counts["total"][k] + counts["carried_out"][k]
             for k in KINDS)
    note = ("勾稽关系：一 + 二 = 三（七）总计 + 四，各列" + ("均相符。" if ok else "不相符，请核对。"))
    return Table("", head + body, header=3, widths=[0.6, 1.2, 3.5, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85], note=note)


def review_table(rows: dict[str, dict[str, int]]) -> Table:
    """四、政府信息公开行政复议、行政诉讼情况: entered by hand (the system does not receive appeals). rows maps
    "review" and "suit_direct", "suit_after_review" to {"kept", "corrected", "other", "pending", "total"}."""
    cols = ["kept", "corrected", "other", "pending", "total"]
    head = [[Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
            [Cell("结果维持", rowspan=2), Cell("结果纠正", rowspan=2), Cell("其他结果", rowspan=2),
             Cell("尚未审结", rowspan=2), Cell("总计", rowspan=2), Cell("未经复议直接起诉", colspan=5),
             Cell("复议后起诉", colspan=5)],
            [Cell(label) for label in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计") * 2]]
    body = [[Cell(str(rows.get(part, {}).get(c, 0)), number=True) for part in
             ("review", "suit_direct", "suit_after_review") for c in cols]]
    return Table("", head + body, header=3)
