"""A township's settings page: thresholds, lead times and decision rules (TownshipSettings)."""
