"""The resources register (资源台账)."""
