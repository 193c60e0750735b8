"""The one-stop service hall: catalogue, cases, working-day deadlines, public status."""
