"""Uploaded files: type and size checks, storage in the database, scoped download."""
