"""The audit log's words for contracts and their money (core/audit_text.py)."""
from threeassets.contracts.rules import STATUS_LABELS

ACTIONS = {"contract.create": "新建合同", "contract.update": "修改合同", "contract.delete": "删除合同草稿",
           "contract.schedule": "生成收款计划", "contract.activate": "合同生效", "contract.end": "合同到期终止",
           "contract.terminate": "解除合同", "contract.renew": "续签合同", "contract.import": "导入合同",
           "contract.accrue": "确认合同应收", "contract.installment": "收取合同款",
           "contract.deposit": "收取履约保证金",
           "contract.refund": "退还履约保证金"}
OBJECTS = {"Contract": "合同", "Installment": "收款计划", "Receipt": "合同收款"}
FIELDS = {"contract:status": ("状态", STATUS_LABELS), "contract": "合同", "party": "承包（承租）方",
          "price": "合同总价",
          "renews": "续签的合同", "steps": "“四议两公开”步骤", "decision_id": "决策记录", "activated": "生效",
          "cancelled": "取消的收款计划", "in_openings": "计入期初", "installments": "收款期数"}
