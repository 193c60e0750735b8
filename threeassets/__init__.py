"""threeassets: books and services for township rural collective three-assets agency centres."""
from __future__ import annotations

import gc
from contextlib import contextmanager

from threeassets import config as config_mod
from threeassets.config import ROOT


@contextmanager
def gc_paused(freeze: bool = False):
    """Run a block of imports with the cyclic garbage collector paused, then restore its state. Importing
    Flask, SQLAlchemy and the models creates tens of thousands of long-lived objects and almost no garbage,
    and every collection on the way re-walks all of them: about a fifth of a short command's start-up.
    freeze=True (once per process, after the imports a program starts with) also moves every object alive
    to the permanent generation (gc.freeze), so later collections never walk those modules again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


with gc_paused():
    from flask import Flask, render_template

# Feature packages whose routes.py defines `bp` (registered in this order).
FEATURE_BLUEPRINTS = ("closing", "statements", "budgets", "switchover", "dashboard", "attachments",
                      "assets", "resources", "contracts", "alerts", "windows", "claims", "disclosure", "settings")


def create_app(overrides: dict | None = None, *, web: bool = True) -> Flask:
    """Build the Flask app: config, database, extensions, blueprints, filters, headers.

    web=False gives config and database only, for command-line work that serves no pages: the blueprints
    pull in forms, pinyin dictionaries and password hashing, which would be most of a short command's time.
    """
    cfg = config_mod.load(overrides)
    app = Flask(__name__, instance_path=str(cfg["INSTANCE"]), template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"))
    app.config.update(cfg)

    with gc_paused():
        from threeassets.core.db import db
        db.bind(app.config["DATABASE_URL"])

    @app.teardown_appcontext
    def _remove_session(_exc):
        db.session.remove()

    if not web:
        with gc_paused():
            import threeassets.models_registry  # noqa: F401  (every mapper known, as in the full app)
        return app

    from threeassets.extensions import csrf, login_manager
    csrf.init_app(app)
    login_manager.init_app(app)

    from threeassets.auth.routes import bp as auth_bp
    from threeassets.core import web
    from threeassets.ledger.import_routes import bp as imports_bp
    from threeassets.ledger.routes import bp as ledger_bp
    from threeassets.orgs.routes import bp as orgs_bp
    from threeassets.reports.routes import bp as reports_bp
    for bp in (auth_bp, orgs_bp, ledger_bp, imports_bp, reports_bp):
        app.register_blueprint(bp)
    import importlib

    from flask import Blueprint
    for name in FEATURE_BLUEPRINTS:
        # `bp` (village pages) first, then any other blueprint the module defines (township_bp, public_bp …)
        module = importlib.import_module(f"threeassets.{name}.routes")
        app.register_blueprint(module.bp)
        for attr, value in sorted(vars(module).items()):
            if (attr != "bp" and isinstance(value, Blueprint)
                    and value.import_name == module.__name__):
                app.register_blueprint(value)
    web.init_app(app)

    for code in (400, 403, 404, 413, 429):
        app.register_error_handler(code, lambda e, code=code: (render_template("error.html", error=e), code))
    return app
