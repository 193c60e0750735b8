"""The audit log's words for requests for disclosure (core/audit_text.py)."""
from threeassets.inforequests.rules import ACTION_LABELS, CHANNEL_LABELS, OUTCOMES, REQUESTER_LABELS, STATE_LABELS

ACTIONS = {"inforequest.receive": "登记政府信息公开申请",
           **{f"inforequest.{action}": f"政府信息公开申请{label}" for action, label in ACTION_LABELS.items()}}
OBJECTS = {"InfoRequest": "政府信息公开申请"}
STATES = {str(k): v for k, v in STATE_LABELS.items()}
OUTCOME_LABELS = {code: o.group + (o.label and " " + o.label) for code, o in OUTCOMES.items()}
FIELDS = {"inforequest:from": ("原状态", STATES), "inforequest:to": ("新状态", STATES),
          "inforequest:channel": ("申请方式", {str(k): v for k, v in CHANNEL_LABELS.items()}),
          "inforequest:kind": ("申请人类型", {str(k): v for k, v in REQUESTER_LABELS.items()}),
          "inforequest:outcome": ("答复类型", OUTCOME_LABELS),
          "inforequest:late": ("超期答复", {True: "是", False: "否"}),
          "inforequest:requester": "申请人", "inforequest:due": "答复期限", "inforequest:due_before": "原答复期限",
          "inforequest:deadline": "补正期限", "inforequest:days": "延长工作日"}
