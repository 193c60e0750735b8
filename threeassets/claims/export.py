"""The oversight board as an XLSX workbook: open cases grouped, the open cases one by one, the month's statistics."""
from __future__ import annotations

from threeassets.claims.oversight import FLAG_LABELS, flag
from threeassets.core.xlsx import Sheet, workbook
from threeassets.windows.rules import SATISFACTION, STATE_LABELS


def _pct(value: float | None):
    """A rate for a percent-formatted cell (blank when there is nothing to divide)."""
    return round(value, 4) if value is not None else None


def _sheet(title: str, heading: str, header: list[str], rows: list[list], widths: list[int], pct=()) -> Sheet:
    """One sheet: a heading line, a bold header, the rows; columns in pct (1-based) shown as percentages."""
    return Sheet(title, [header], rows, [[heading]], widths, {col - 1: "0.0%" for col in pct}, title_size=13,
                 freeze_cols=0)


def _open_rows(board) -> list[list]:
    """Open-case groups of the three kinds, one block after another."""
    rows = []
    for label, key in (("窗口", "by_window"), ("事项", "by_item"), ("首问负责人", "by_owner")):
        rows += [[label, r.name, r.open, r.waiting, r.soon, r.overdue] for r in board[key]]
    return rows


def _stat_rows(stats) -> list[list]:
    """Per-window, per-clerk and total rows of a month, then the satisfaction distribution below them."""
    rows = []
    for label, group in (("窗口", stats.windows), ("受理人", stats.clerks), ("全镇", [stats.total])):
        rows += [[label, r.name, r.handled, r.done, r.rejected, r.on_time, _pct(r.on_time_rate),
                  round(r.avg_days, 1) if r.avg_days is not None else None] for r in group]
    rows += [[], ["满意度", "件数"]]
    return rows + [[label, stats.satisfaction.get(level, 0)] for level, label in [*SATISFACTION.items(),
                                                                                     (None, "未评价")]]


def board_xlsx(township_name: str, board: dict) -> bytes:
    """Three sheets: 在办情况, 在办件, 月度统计 (with the satisfaction distribution below)."""
    today = board["today"]
    rows = [[c.number, v or "", item, wname, owner, STATE_LABELS.get(c.state, c.state), c.accepted_on, c.due_on,
             FLAG_LABELS[flag(c, today, board["soon_limit"])]] for c, wname, item, owner, v in board["open_cases"]]
    stats = board["stats"]
    return workbook(
        _sheet("在办情况", f"{township_name} 在办件分布（截至 {today}）",
               ["分组", "名称", "在办", "待补正", "临期", "超期"], _open_rows(board), [12, 28, 8, 8, 8, 8]),
        _sheet("在办件", f"{township_name} 在办件（超期、2个工作日内到期为临期）",
               ["办件编号", "村", "事项", "窗口", "首问负责人", "状态", "受理日", "承诺办结日", "提示"], rows,
               [20, 12, 16, 14, 10, 10, 12, 12, 16]),
        _sheet("月度统计", f"{township_name} {stats.ym} 办件统计",
               ["分组", "名称", "办结+退回", "办结", "不予受理/退回", "按时办结", "按时办结率", "平均用时（工作日）"],
               _stat_rows(stats), [10, 20, 10, 8, 12, 10, 12, 16], pct=(7,)))
