"""Fixed-asset cards, depreciation, changes and disposals (资产台账)."""
