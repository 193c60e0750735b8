"""The audit log's words for policies, households and subsidy lists (their details are written in Chinese
already; core/audit_text.py)."""
from threeassets.subsidies.rules import BATCH_ACTION_LABELS

ACTIONS = {"subsidy.policy_defaults": "载入惠农政策目录", "subsidy.policy_save": "保存惠农政策",
           "subsidy.policy_retire": "停止惠农政策", "subsidy.household_import": "导入农户",
           "subsidy.id_view": "查看完整身份证号", "subsidy.batch_create": "新建补贴名单",
           "subsidy.list_import": "导入补贴名单", "subsidy.objection": "登记公示异议",
           "subsidy.payments": "导入发放结果",
           **{f"subsidy.batch_{action}": f"补贴名单{label}" for action, label in BATCH_ACTION_LABELS.items()}}
OBJECTS = {"Batch": "补贴名单", "Household": "农户", "Objection": "公示异议", "Policy": "惠农政策"}
FIELDS = {}
