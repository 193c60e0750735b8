"""The audit log's words for the service hall (core/audit_text.py)."""
from threeassets.windows.catalogue import default_catalogue
from threeassets.windows.rules import ACTION_LABELS, STATE_LABELS

ACTIONS = {"case.intake": "接件登记", **{f"case.{action}": label for action, label in ACTION_LABELS.items()},
           "catalogue.defaults": "载入默认服务事项", "catalogue.window": "修改窗口", "catalogue.item": "修改服务事项",
           "holiday.save": "录入节假日安排"}
OBJECTS = {"Case": "办件", "ServiceItem": "服务事项", "Window": "窗口", "HolidayYear": "节假日安排"}
STATES = {str(k): v for k, v in STATE_LABELS.items()}
# Items are named by their code in the rows; the default catalogue's codes read as their names (a township's own
# items show their code).
ITEMS = {item["code"]: item["name"] for item in default_catalogue()["items"]}
FIELDS = {"case:from": ("原状态", STATES), "case:to": ("新状态", STATES), "case:item": ("服务事项", ITEMS),
          "applicant": "申请人",
          "missing": "尚缺材料", "missing_before": "原缺材料", "missing_after": "现缺材料",
          "not_applicable": "不适用材料", "not_applicable_before": "原不适用材料",
          "not_applicable_after": "现不适用材料",
          "conditional": "视情形提交的材料", "satisfaction": "满意度",
          "from_window": "原窗口", "to_window": "转至窗口", "items": ("服务事项", ITEMS),
          "days_limit": "承诺时限（工作日）",
          "materials": "材料", "phone": "电话", "active": "启用",
          "year": "年度", "document": "发布文件", "days_off": "放假天数", "make_up": "调休上班天数",
          "added": "新增日期", "removed": "删除日期", "changed": "改动日期"}
