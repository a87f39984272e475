"""Defaults that work on a fresh machine, then the environment, then the caller's overrides."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from flask import Flask

DEFAULTS = {
    "BABEL_DEFAULT_LOCALE": "id",
    # The kabupaten's zone for every date and time a person reads (LUMBUNG_BABEL_DEFAULT_TIMEZONE):
    # Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT).
    "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
    "LANGUAGES": ("id", "en"),
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # set LUMBUNG_SESSION_COOKIE_SECURE=true behind HTTPS
    "SESSION_DAYS": 30,  # a login lasts at most this long, then the browser logs in again
    "PROXY_COUNT": 0,  # reverse proxies in front whose X-Forwarded-For/-Proto are trusted
    "HSTS_SECONDS": 31536000,  # sent on HTTPS responses only; 0 turns it off
    "DATABASE_CONNECT_TIMEOUT": 5,  # seconds; an unreachable PostgreSQL fails fast with a 503
    "WTF_CSRF_TIME_LIMIT": None,  # a form left open through a long night shift still posts
    "BOOTSTRAP_SERVE_LOCAL": True,
    # Flask-Compress: brotli where the browser takes it, else gzip (which every browser takes).
    # Not deflate (browsers disagree on its framing) nor zstd (a third codec for little gain
    # over brotli on files this size). Files stream from disk; they get the same choice and
    # still answer If-None-Match once compressed.
    "COMPRESS_ALGORITHM": ["br", "gzip"],
    "COMPRESS_ALGORITHM_STREAMING": ["br", "gzip"],
    "COMPRESS_STREAMING_ENDPOINT_CONDITIONAL": ["static", "bootstrap.static", "vendor.vendor_file"],
    # Brotli 5, not Flask-Compress's 4: Bootstrap's CSS goes from 33 KB (worse than gzip's 31)
    # to 28 KB for about 10 ms, spent once per browser as the file is then cached for a year.
    "COMPRESS_BR_LEVEL": 5,
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
    # No badge fetched from validator.swagger.io: the docs work offline, within the CSP.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
    "DEMO_REGION_CODE": "17.03",
    # A release from a lumbung sosial needs an emergency status or a written order reference.
    "STOCK_EMERGENCY_GATE": True,
    # Uploads: the largest request body (413 beyond), then what reading one sheet may cost.
    "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 50_000,
    "IMPORT_MAX_UNPACKED_MB": 64,
    "IMPORT_MAX_SECONDS": 15,
    # Kop surat: the letterhead printed on every document (BAST, stock card). Demo defaults.
    "LETTERHEAD_GOVERNMENT": "Pemerintah Kabupaten Bengkulu Utara",
    "LETTERHEAD_OFFICE": "Dinas Sosial",
    "LETTERHEAD_ADDRESS": "Arga Makmur, Bengkulu Utara",
    "LETTERHEAD_CONTACT": "",  # telephone, e-mail, website: one line under the address
    "LETTERHEAD_CITY": "Arga Makmur",  # where the BAST is signed, before its date
    # Map background tiles (app/maps/tiles.py): OpenStreetMap by default, a local tile server
    # ("/tiles/{z}/{x}/{y}.png" or "http://10.0.0.5/{z}/{x}/{y}.png"), or "none" (or empty)
    # for none at all: boundaries, markers and labels still draw. The CSP allows the tile
    # server's images only on map pages and only when tiles are set.
    "MAP_TILE_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    # Plain text: the map escapes it.
    "MAP_TILE_ATTRIBUTION": "© OpenStreetMap contributors",
}

# Variables read without the LUMBUNG_ prefix because every platform names them so.
PLAIN_ENV = ("DATABASE_URL", "SECRET_KEY")
# Values that look like numbers but are codes: "17.70" must not become the float 17.7.
TEXT_SETTINGS = ("DEMO_REGION_CODE", "LETTERHEAD_GOVERNMENT", "LETTERHEAD_OFFICE",
                 "LETTERHEAD_ADDRESS", "LETTERHEAD_CONTACT", "LETTERHEAD_CITY",
                 "MAP_TILE_URL", "MAP_TILE_ATTRIBUTION")


def load_config(app: Flask, config: dict | None = None) -> None:
    """Fill app.config: defaults, then LUMBUNG_* and plain variables, then ``config``."""
    app.config.update(DEFAULTS)
    for name in PLAIN_ENV:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    app.config.from_prefixed_env("LUMBUNG")
    for name in TEXT_SETTINGS:
        if os.environ.get(f"LUMBUNG_{name}"):
            app.config[name] = os.environ[f"LUMBUNG_{name}"]
    if config:
        app.config.update(config)
    if app.config.get("INSTANCE_PATH"):
        app.instance_path = str(app.config["INSTANCE_PATH"])
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(
        app.config.get("DATABASE_URL"), Path(app.instance_path)
    )
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
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


def engine_options(config) -> dict:
    """The engine options, with a connect timeout for PostgreSQL (SQLite has its busy timeout)."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        connect_args = {"connect_timeout": config["DATABASE_CONNECT_TIMEOUT"],
                        **options.get("connect_args", {})}
        options["connect_args"] = connect_args
    return options


def write_private(path: Path, text: str) -> None:
    """Create a file only its owner may read (a password, a key), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


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
