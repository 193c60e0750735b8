"""The audit log's words for asset cards (core/audit_text.py)."""
from threeassets.assets.rules import METHOD_LABELS, PURPOSE_LABELS, STATUS_LABELS

ACTIONS = {"asset.create": "新增资产卡片", "asset.update": "修改资产卡片", "asset.transfer": "资产变动",
           "asset.revalue": "资产评估", "asset.depreciate": "计提折旧", "asset.dispose": "资产处置",
           "asset.dispose.submit": "提交资产处置申请", "asset.dispose.reject": "退回资产处置申请",
           "asset.import": "导入资产卡片"}
OBJECTS = {"Asset": "资产卡片", "AssetChange": "资产处置申请"}
FIELDS = {"asset:status": ("状态", STATUS_LABELS), "asset:purpose": ("用途", PURPOSE_LABELS),
          "asset:method": ("处置方式", METHOD_LABELS), "asset:cost": "原值", "asset:original_cost": "原值",
          "asset:custodian": "保管人", "asset:location": "存放地点", "asset:cards": "卡片数",
          "asset:delta": "评估增减值",
          "asset:net": "净值", "asset:proceeds": "处置收入", "asset:funding": "资金来源", "asset:decision": "决策记录",
          "asset:asset": "资产", "asset:result": "处置结果"}
