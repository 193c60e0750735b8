"""The audit log's words for month and year closing (core/audit_text.py)."""
ACTIONS = {"period.close": "月末结账", "period.reopen": "反结账", "year.close": "年末结转"}
OBJECTS = {"Period": "会计期间"}
FIELDS = {"balances": "科目余额数", "balances_dropped": "删除的余额", "closed_at": "原结账时间",
          "closed_by_id": "原结账人", "recomputed": "重算的余额", "net_result": "本年收益", "year:vouchers": "结转凭证"}
