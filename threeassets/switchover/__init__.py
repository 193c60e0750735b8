"""Switch-over from the 2004 chart of accounts to the 2023 chart: mapping and opening balances."""
