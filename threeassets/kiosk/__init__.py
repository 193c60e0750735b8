"""The public kiosk of a township's service hall (五公开 touch screen): party and government notices, village
finance notices, the service guide and the case lookup, farm-support policies; and its anonymous use counts."""
