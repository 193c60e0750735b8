"""The `threeassets` console script: the core's commands and every feature's (threeassets/features.py)."""
from __future__ import annotations

import gc

from threeassets.core.startup import gc_paused

with gc_paused():
    import click

    from threeassets.core.cli import build_main

# Commands that only read and write the books get an app without the web parts (see create_app): their
# start-up is most of what a clerk waits for. Anything not listed (serve, run, routes, shell, ...) gets it all.
DATA_COMMANDS = {"init-db", "import", "report", "verify-chain", "verify", "close-period", "close-year",
                 "reopen-period", "switchover", "alerts", "backup", "restore"}


def _create_app():
    """App factory for the CLI: the light app for the data commands, the full one otherwise."""
    from threeassets import create_app
    ctx = click.get_current_context(silent=True)
    words = ctx.command_path.split()[1:2] if ctx is not None else []
    if words and words[0] in DATA_COMMANDS:
        return create_app(web=False)
    app = create_app()
    gc.enable()  # serve, run, shell...: long-lived, they get their garbage collector back (see AppGroup.main)
    return app


main = build_main(_create_app)

with gc_paused(freeze=True):  # the console script's start-up imports are done: keep them out of the GC's way
    from threeassets.features import CLI, modules
    for _module in modules(CLI, "cli"):
        _module.register(main, main.commands["report"])
