"""The audit log's words for townships and villages (core/audit_text.py)."""
ACTIONS = {"township.create": "新增乡镇", "township.rename": "乡镇更名", "village.create": "新增村",
           "village.update": "修改村"}
OBJECTS = {"Township": "乡镇", "Village": "村"}
FIELDS = {"credit_code": "统一社会信用代码"}
