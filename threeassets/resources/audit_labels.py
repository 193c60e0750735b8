"""The audit log's words for resources (core/audit_text.py)."""
from threeassets.resources.rules import STATUS_LABELS

ACTIONS = {"resource.create": "新增资源", "resource.update": "修改资源", "resource.import": "导入资源"}
OBJECTS = {"Resource": "资源"}
FIELDS = {"resource:status": ("状态", STATUS_LABELS), "rtype": "类型", "location": "坐落位置", "area_mu": "面积（亩）",
          "east": "东至", "south": "南至", "west": "西至", "north": "北至", "certificate_no": "权证号"}
