"""Statutory statements and books: balance sheet, income statement, general ledger, journals."""
