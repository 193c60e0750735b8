"""Dashboards per village and per township: balances, month figures, 12-month trends."""
