"""The public address printed in QR codes (disclosure notices, case papers): it comes from configuration.

A QR code on paper outlives the request that printed it, so the address villagers scan is the configured
THREEASSETS_PUBLIC_URL, never the host a clerk's browser happened to use (an office IP, localhost). Only in
development (the debugger, the tests, or THREEASSETS_ENV=development) does an unset address fall back to the
request's host, or to the local server's address outside a request; elsewhere printing a QR code is refused.
"""
from __future__ import annotations

from threeassets.core.errors import RuleError

LOCAL_BASE = "http://127.0.0.1:8000"  # what `threeassets serve` listens on by default
MISSING = ("未设置对外公开地址（THREEASSETS_PUBLIC_URL）：二维码必须指向村民能访问的地址，"
           "请系统管理员设置后再打印或公布")


def development(app) -> bool:
    """Whether the app runs for development: debug mode, the tests, or THREEASSETS_ENV=development."""
    return bool(app.debug or app.testing or app.config.get("ENVIRONMENT") == "development")


def public_base() -> str:
    """The configured public address; in development the request's host (or the local server) when unset;
    else "" (the QR-printing services refuse an empty address with MISSING)."""
    from flask import current_app, has_request_context, request
    configured = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if configured or not development(current_app):
        return configured
    return (request.host_url if has_request_context() else LOCAL_BASE).rstrip("/")


def required(base: str) -> str:
    """The address to print, or RuleError(MISSING) when there is none."""
    if not base:
        raise RuleError(MISSING)
    return base
