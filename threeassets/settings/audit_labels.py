"""The audit log's words for the township's settings (core/audit_text.py)."""
from threeassets.decisions.rules import STEPS
from threeassets.orgs.settings import CONTROLS

ACTIONS = {"settings.update": "修改本镇设置"}
OBJECTS = {"TownshipSettings": "本镇设置"}
STEP_WORDS = {code: words for code, (words, _fields) in STEPS.items()}
FIELDS = {"large_cash_threshold": "大额现金支付标准", "contract_expiry_days": "合同到期提前提醒（天）",
          "disclosure_group_threshold": "公开榜小额合并标准", "supervision_phone": "监督电话",
          "notice_days": "惠农补贴公示天数", "decision_rules": "“四议两公开”规则", "min_amount": "金额起点",
          "steps": ("必经步骤", STEP_WORDS), "cash_deficit": ("现金赤字控制", CONTROLS),
          "future_dates": ("凭证日期晚于今天", CONTROLS)}
