"""Reports from posted books: trial balance (科目余额表) and account ledger (明细账) as pages, files and commands."""
