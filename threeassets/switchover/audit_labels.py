"""The audit log's words for the switch from the 2004 chart (core/audit_text.py)."""
ACTIONS = {"switchover.mapping": "修改新旧科目对照", "switchover.mapping_reset": "恢复默认科目对照",
           "switchover.post": "新旧制度衔接（生成期初余额）"}
OBJECTS = {}
FIELDS = {"mapping": "科目对照", "accounts_created": "新增科目数", "adjustments": "清产核资调整数",
          "switchover:debit": "借方合计", "switchover:credit": "贷方合计", "removed": "删除的对照"}
