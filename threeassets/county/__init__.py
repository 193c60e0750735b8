"""The county's view (县农经站): every township side by side, drill-down to villages, county-wide alerts."""
