"""The audit log's words for village claims (core/audit_text.py)."""
from threeassets.claims.rules import ACTION_LABELS

ACTIONS = {"claim.create": "新建报账单", **{f"claim.{action}": f"报账单{label}" for action, label in
                                          ACTION_LABELS.items()},
           "claim.return": "报账单退回补正", "claim.account_view": "查看收款人完整账号",
           "claim.receipt_remove": "删除报账单票据"}
OBJECTS = {"Claim": "报账单"}
FIELDS = {"payee": "收款人", "claim:case": "办件", "white_slip": "含白条", "claim:lines": "明细行数"}
