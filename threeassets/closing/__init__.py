"""Month and year close (月结、年结): locking periods, stored closing balances, carry-forward."""
