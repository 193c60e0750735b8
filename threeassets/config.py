"""Configuration from the environment, with safe defaults for an office machine."""
from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """The instance folder (database, secret key, uploads): THREEASSETS_INSTANCE or ./instance."""
    return Path(os.environ.get("THREEASSETS_INSTANCE") or ROOT / "instance").resolve()


def make_private_folder(folder: Path) -> None:
    """Create the instance folder readable by its owner only (0700): it holds the database, the secret key and
    uploads. A folder that exists already keeps its mode (docs/deployment.md says how to tighten an old one)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=True)


def secret_key(folder: Path) -> str:
    """SECRET_KEY from the environment, else generated once into the instance folder (mode 0600)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = folder / "secret_key"
    if not path.exists():
        # Written whole under a name of its own, then linked into place: processes starting together (the
        # server's workers, a command run meanwhile) all read the one key that won, never a half-written file.
        make_private_folder(folder)
        draft = folder / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):
                os.link(draft, path)
        finally:
            draft.unlink()
    return path.read_text().strip()


def database_url(folder: Path) -> str:
    """DATABASE_URL, else an SQLite file in the instance folder."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'threeassets.db'}"


def networks(variable: str) -> tuple:
    """IP addresses or networks (192.168.1.20, 10.0.8.0/28) of an environment variable, separated by commas or
    spaces; ValueError naming the variable and an entry that is neither."""
    out = []
    for entry in os.environ.get(variable, "").replace(",", " ").split():
        try:
            out.append(ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"{variable}: {entry!r} is not an IP address or network") from None
    return tuple(out)


def load(overrides: dict | None = None) -> dict:
    """Build the Flask config dict; overrides (tests) win."""
    folder = instance_path()
    make_private_folder(folder)
    secure = os.environ.get("THREEASSETS_SECURE_COOKIES", "0") == "1"
    # Over HTTPS the cookies are named __Host-…: a browser then keeps them only if they came over HTTPS from this
    # very host, for every path, so no other host of the domain can set or shadow them (ASVS V3.4.4).
    prefix = "__Host-" if secure else ""
    cfg = {
        "INSTANCE": folder,
        "SECRET_KEY": secret_key(folder),
        "DATABASE_URL": database_url(folder),
        # backup and restore (pg_dump, pg_restore) straight to PostgreSQL when DATABASE_URL names a pooler: they set
        # their search_path for the session, which a pooler in transaction mode would lend on (docs/deployment.md)
        "DIRECT_DATABASE_URL": os.environ.get("THREEASSETS_DIRECT_DATABASE_URL", "").strip() or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        # Reverse proxies in front of the app (0: none): how many X-Forwarded-For / -Proto entries to believe
        "PROXY_HOPS": int(os.environ.get("THREEASSETS_PROXY_HOPS", "0") or 0),
        "SESSION_COOKIE_NAME": f"{prefix}ta_session",
        "DEVICE_COOKIE_NAME": f"{prefix}ta_device",  # auth/routes/login.py: the browsers that logged in before
        "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        # A login ends 8 hours after it began, on the server (auth.service.check_login), however busy it was: the
        # cookie is not signed and sent again on every page, only when the session changes (login, a message)
        "SESSION_REFRESH_EACH_REQUEST": False,
        "MAX_CONTENT_LENGTH": int(os.environ.get("THREEASSETS_MAX_UPLOAD_MB", "16")) * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "WTF_I18N_ENABLED": False,  # WTForms' own Chinese messages (core.forms.Form), not Babel's
        "CJK_FONT": os.environ.get("THREEASSETS_CJK_FONT", ""),
        "PAGE_SIZE": 50,
        # Address villagers reach the server at, printed in QR codes (core/public.py); required outside development
        "PUBLIC_URL": os.environ.get("THREEASSETS_PUBLIC_URL", "").strip().rstrip("/"),
        # "development" lets an unset PUBLIC_URL fall back to the request's host (so do debug mode and the tests)
        "ENVIRONMENT": os.environ.get("THREEASSETS_ENV", "production").strip().lower(),
        # The public kiosk goes back to its home screen after this many seconds without a touch (docs/kiosk.md)
        "KIOSK_IDLE_SECONDS": int(os.environ.get("THREEASSETS_KIOSK_IDLE_SECONDS", "60") or 60),
        # The hall's touch screens (addresses or networks): the household lookup's per-address count spares them
        "KIOSK_ADDRESSES": networks("THREEASSETS_KIOSK_ADDRESSES"),
        # Who issues the county's annual report (docs/annual-report.md): the county's station by its own name
        "COUNTY_ISSUER": os.environ.get("THREEASSETS_COUNTY_ISSUER", "").strip() or "县农村经营管理站",
    }
    cfg["REMEMBER_COOKIE_SECURE"] = cfg["SESSION_COOKIE_SECURE"]
    if overrides:
        cfg.update(overrides)
    return cfg
