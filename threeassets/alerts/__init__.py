"""Alerts (预警) over contracts, installments, asset registers and cash payments."""
