"""The audit log's words for the financial notices (core/audit_text.py)."""
from threeassets.disclosure.rules import HISTORY_LABELS, STATUS_LABELS

ACTIONS = {**HISTORY_LABELS, "disclosure.batch": "批量生成财务公开榜"}
OBJECTS = {"Disclosure": "财务公开榜", "Job": "后台任务"}
FIELDS = {"disclosure:status": ("状态", {str(k): v for k, v in STATUS_LABELS.items()}), "version": "版本",
          "layout": ("版式", {"a4": "A4 纵向", "a3": "A3 横向（公开栏）"}), "names": "签字人", "posted_on": "张贴日期",
          "display_until": "公开截止", "superseded_by": "更正版本", "new_version": "新版本", "supersedes": "更正的版本",
          "old_version": "原版本", "villages": "村"}
