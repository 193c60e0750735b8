"""期初余额 (opening balances): bringing a village onto the system at any month with its year's opening balances
and, after January, the year's turnover so far. See docs/openings.md."""
