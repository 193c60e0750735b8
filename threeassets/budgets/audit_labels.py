"""The audit log's words for budgets (core/audit_text.py)."""
ACTIONS = {"budget.set": "编制财务计划", "budget.import": "导入财务计划"}
OBJECTS = {}
FIELDS = {"total_before": "修改前合计", "total_after": "修改后合计", "budget:accounts": "科目数"}
