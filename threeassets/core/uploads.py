"""The POST side of every import page: check the upload, run the import in one transaction, answer the clerk."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request

from threeassets.core.csvio import ImportError_, Table, read_table
from threeassets.core.db import db, transaction

IMPORT_TYPES = (".csv", ".xlsx")


def import_upload(columns: list[str], run: Callable[[Table], dict], *, back: str, done: Callable[[dict], str],
                  next_url: str | None = None, form_page: Callable[[int], object] | None = None):
    """Read request.files["file"] and run `run(table)` in one transaction (all-or-nothing).

    No CSV/XLSX file: the form again with 422 (form_page) or a redirect to `back`; import errors: the list of
    file, line, column and reason (422) with a link to `back`; success: flash done(stats), redirect to next_url.
    """
    upload = request.files.get("file")
    if upload is None or not upload.filename or not upload.filename.lower().endswith(IMPORT_TYPES):
        flash("请选择 CSV 或 XLSX 文件", "danger")
        return form_page(422) if form_page else redirect(back)
    try:
        table = read_table(upload.read(), upload.filename, columns)
        with transaction(db.session):
            stats = run(table)
    except ImportError_ as exc:
        return render_template("import_errors.html", errors=exc.errors, back=back), 422
    flash(done(stats), "success")
    return redirect(next_url or back)
