"""threeassets: books and services for township rural collective three-assets agency centres."""
from __future__ import annotations

from threeassets import config as config_mod
from threeassets.config import ROOT
from threeassets.core.startup import gc_paused

with gc_paused():
    from flask import Flask

    from threeassets import features

    # The features' hook receivers (core/hooks.py) are connected wherever the package is used — the app, a
    # command, a script or a test calling services directly: a village created anywhere gets its chart.
    features.modules(features.HOOKS, "hooks")


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
        from threeassets.core.db import db, models_on_demand
        db.bind(app.config["DATABASE_URL"])

    @app.teardown_appcontext
    def _remove_session(_exc):
        db.session.remove()

    if not web:  # the command's own code imports the models it uses; the rest only if a foreign key needs them
        models_on_demand("threeassets.models_registry")
        return app

    from threeassets.core import params, uploads
    from threeassets.core import web as web_glue
    from threeassets.extensions import csrf, login_manager
    app.before_request(uploads.apply_upload_limit)  # first: before anything reads a request's body
    params.install(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    for module in features.modules(features.WEB, "routes"):
        for blueprint in module.BLUEPRINTS:
            app.register_blueprint(blueprint)
    web_glue.init_app(app)

    for code in (400, 403, 404, 429):
        app.register_error_handler(code, web_glue.error_page)
    app.register_error_handler(413, uploads.too_large)
    return app
