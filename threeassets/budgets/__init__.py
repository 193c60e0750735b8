"""Annual budgets (年度财务预算) per village, year and account, and budget vs actual."""
