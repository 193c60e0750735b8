"""The `threeassets` console script: the core's commands and every feature's (threeassets/features.py)."""
from __future__ import annotations

import atexit
import gc

from threeassets.core.startup import gc_paused

with gc_paused(freeze=True):  # frozen at once: the collector may run before the block below freezes the rest
    import click

    from threeassets.core.cli import build_main

# Only the commands that serve or inspect pages get the whole web app (blueprints, forms, login, CSRF); every
# other command reads and writes the books and gets create_app(web=False): its start-up is most of what a clerk
# waits for (docs/architecture.md, "Start-up of the command line"). A new command is a data command unless it
# is added here.
WEB_COMMANDS = {"serve", "run", "shell", "routes"}


def _create_app():
    """App factory for the CLI: the full app for the web commands, the light one for every other."""
    from threeassets import create_app
    ctx = click.get_current_context(silent=True)
    words = ctx.command_path.split()[1:2] if ctx is not None else []
    if words and words[0] not in WEB_COMMANDS:
        return create_app(web=False)
    app = create_app()
    gc.enable()  # serve, run, shell...: long-lived, they get their garbage collector back (see AppGroup.main)
    return app


main = build_main(_create_app)

with gc_paused(freeze=True):  # the console script's start-up imports are done: keep them out of the GC's way
    from threeassets.features import CLI, modules
    for _module in modules(CLI, "cli"):
        _module.register(main, main.commands["report"])



@atexit.register
def _close() -> None:
    """At exit: close the database explicitly (SQLite folds its write-ahead log into the file as the last
    connection closes), then freeze what is left. A command's own objects (models, a PDF's font tables) die with
    the process, and the interpreter's last collection would walk them all for nothing (~0.1 s after a notice)."""
    from threeassets.core.db import db
    if db.engine is not None:
        db.session.remove()
        db.engine.dispose()
    gc.freeze()
