"""The feature packages, named once: the app factory, the command line and the demo read them from here, so a new
package joins the system with a line in this file (docs/architecture.md says what each part must provide).

Order matters: blueprints and commands are registered in this order, and demos load in theirs (the disclosure
demo last, as it reads everything the others put in the books).
"""
from __future__ import annotations

import importlib

# Packages whose `routes` module (routes.py, or a routes/ package) lists its blueprints in BLUEPRINTS.
WEB = ("auth", "ledger", "reports", "closing", "statements", "budgets", "switchover", "dashboard",
       "attachments", "assets", "resources", "subsidies", "contracts", "alerts", "windows", "inforequests", "claims",
       "disclosure", "settings", "kiosk", "county")

# Packages whose cli.py has register(main, report).
CLI = ("auth", "orgs", "ledger", "reports", "demo", "closing", "statements", "budgets", "switchover", "assets",
       "resources", "contracts", "alerts", "windows", "claims", "disclosure")

# Packages whose hooks.py connects receivers to the signals of core/hooks.py (imported by every app).
HOOKS = ("ledger", "switchover", "assets", "windows", "claims", "contracts", "subsidies")

# Packages whose audit_labels.py names their audit actions, objects and detail fields in Chinese (core/audit_text.py).
AUDIT = ("auth", "orgs", "ledger", "closing", "budgets", "switchover", "attachments", "assets", "resources",
         "subsidies", "contracts", "alerts", "windows", "inforequests", "claims", "disclosure", "settings",
         "kiosk")

# Packages whose demo.py has load(session, township, villages, users, today), after the demo's books.
DEMOS = ("assets", "resources", "subsidies", "contracts", "alerts", "windows", "inforequests", "claims", "disclosure",
         "kiosk")


def modules(names: tuple[str, ...], part: str) -> list:
    """Import `threeassets.<name>.<part>` for each name, in order."""
    return [importlib.import_module(f"threeassets.{name}.{part}") for name in names]
