"""The audit log's words for the annual report (core/audit_text.py)."""
ACTIONS = {"annual_report.save": "保存年度报告", "annual_report.finalise": "年度报告定稿",
           "annual_report.reopen": "撤回年度报告定稿"}
OBJECTS = {"AnnualReport": "年度报告"}
TEXTS = {"overview": "总体情况补充", "problems": "存在的主要问题", "plans": "改进情况和下一年度工作计划",
         "other": "其他需要报告的事项"}
FIELDS = {"year": "年度", "changed": ("修改内容", TEXTS)}
