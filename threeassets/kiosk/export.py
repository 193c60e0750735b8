"""The kiosk's use counts as a workbook (for the township's annual report): per day and section, per item."""
from __future__ import annotations

from threeassets.core.xlsx import Sheet, workbook
from threeassets.kiosk import rules
from threeassets.kiosk.counting import Usage


def usage_xlsx(township_name: str, data: Usage, names: dict) -> bytes:
    """Two sheets: 按日 (a row per day, a column per section, totals) and 按项目 (every counted page)."""
    sections = list(rules.SECTIONS)
    period = f"{data.start.isoformat()} 至 {data.end.isoformat()}"
    days = [[d.isoformat(), *[per.get(s, 0) for s in sections], sum(per.values())]
            for d, per in sorted(data.days.items())]
    days.append(["合计", *[data.sections.get(s, 0) for s in sections], data.total])
    items = [[rules.SECTIONS.get(s, s), rules.item_label(i, names), n] for s, i, n in data.items]
    title = f"{township_name} 公开查询触摸屏使用情况"
    return workbook(
        Sheet("按日", [["日期", *rules.SECTIONS.values(), "合计"]], days, [[title], [f"统计期间：{period}，单位：次"]],
              [12] + [10] * (len(sections) + 1), bold={len(days) - 1}, freeze_cols=1),
        Sheet("按项目", [["栏目", "页面", "次数"]], items, [[title], [f"统计期间：{period}，单位：次"]],
              [12, 48, 10], freeze_cols=0, wrap_cols={1}))
