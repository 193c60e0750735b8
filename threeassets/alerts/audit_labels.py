"""The audit log's words for alerts (core/audit_text.py)."""
from threeassets.alerts.rules import RULE_LABELS

ACTIONS = {"alerts.scan": "预警扫描", "alerts.acknowledge": "处理预警"}
OBJECTS = {"Alert": "预警"}
FIELDS = {"as_of": "扫描日期", "raised": "新增预警", "reopened": "重新打开", "resolved": "已消除",
          "alerts:rule": ("预警规则", RULE_LABELS)}
