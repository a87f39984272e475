"""Defaults that work on a fresh machine, then the environment, then the caller's overrides."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import Flask

DEFAULTS = {
    "BABEL_DEFAULT_LOCALE": "id",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ("id", "en"),
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # a form left open through a long night shift still posts
    "BOOTSTRAP_SERVE_LOCAL": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute",
    "API_TOKEN_DAYS": 30,
    "SQLITE_BUSY_TIMEOUT_MS": 15000,
    # flask-smorest: /api/openapi.json and offline docs at /api/docs
    "API_TITLE": "Lumbung Siaga API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
    "DEMO_REGION_CODE": "17.03",
    # A release from a lumbung sosial needs an emergency status or a written order reference.
    "STOCK_EMERGENCY_GATE": True,
    # Uploads: the largest request body (413 beyond), then what reading one sheet may cost.
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 50_000,
    "IMPORT_MAX_UNPACKED_MB": 64,
    "IMPORT_MAX_SECONDS": 15,
}

# Variables read without the LUMBUNG_ prefix because every platform names them so.
PLAIN_ENV = ("DATABASE_URL", "SECRET_KEY")


def load_config(app: Flask, config: dict | None = None) -> None:
    """Fill app.config: defaults, then LUMBUNG_* and plain variables, then ``config``."""
    app.config.update(DEFAULTS)
    for name in PLAIN_ENV:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("LUMBUNG")
    if config:
        app.config.update(config)
    if app.config.get("INSTANCE_PATH"):
        app.instance_path = str(app.config["INSTANCE_PATH"])
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(
        app.config.get("DATABASE_URL"), Path(app.instance_path)
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")


def database_uri(url: str | None, instance: Path) -> str:
    """Default to SQLite in instance/; send postgresql:// URLs to the psycopg 3 driver."""
    if not url:
        return f"sqlite:///{instance / 'lumbung.sqlite3'}"
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def _instance_secret(path: Path) -> str:
    """Generate the secret key once per installation, never a constant in code.

    Two gunicorn workers may start at once on a fresh instance: the key is written to a
    private temporary file and linked into place, so a reader never sees a half-written file
    and the loser of the race simply reads the winner's key.
    """
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()
