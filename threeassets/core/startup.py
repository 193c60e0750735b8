"""Start-up speed: short commands spend most of their time importing; this keeps the garbage collector out."""
from __future__ import annotations

import gc
from contextlib import contextmanager


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
