"""Engine settings SQLite needs to serve two gunicorn workers safely."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

from flask import Flask, request
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

from app.extensions import db
from logistics.core import settings
from logistics.core.settings import DomainSettings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Whether transactions begun in this context may write. Writers take SQLite's write lock at
# BEGIN; readers (GET pages, API reads) begin deferred and never wait for a writer in WAL mode.
_may_write: ContextVar[bool] = ContextVar("sqlite_may_write", default=True)


@contextmanager
def write_transactions() -> Iterator[None]:
    """Let transactions begun inside the block take the write lock (e.g. after a GET)."""
    token = _may_write.set(True)
    try:
        yield
    finally:
        _may_write.reset(token)


def configure_engines(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    settings.configure(engine, DomainSettings(
        stock_emergency_gate=bool(app.config["STOCK_EMERGENCY_GATE"])))
    if engine.dialect.name == "sqlite":
        configure_sqlite(engine, busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"])
    app.before_request(_declare_read_only_requests)
    app.teardown_request(_end_read_only_requests)


def _declare_read_only_requests() -> None:
    if request.method in SAFE_METHODS:
        request.environ["lumbung.read_only_token"] = _may_write.set(False)


def _end_read_only_requests(_exc) -> None:
    token = request.environ.pop("lumbung.read_only_token", None)
    if token is not None:
        _may_write.reset(token)


def configure_sqlite(engine: Engine, *, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for every writing transaction.

    Taking the write lock at BEGIN means a second worker waits for it instead of failing with
    "database is locked" when its read transaction later tries to upgrade to a write. Requests
    that only read (safe HTTP methods) begin deferred, so readers never queue behind writers.
    """

    @event.listens_for(engine, "do_connect")
    def _create_private_file(_dialect, _record, _cargs, _cparams):
        _create_private(engine.url.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy, not pysqlite, emit BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write.get() else "BEGIN")


def _create_private(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only; its WAL files inherit the mode."""
    if database in (None, "", ":memory:") or database.startswith("file:"):
        return
    with suppress(OSError):  # it exists already, or SQLite will say why it cannot be opened
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


# PostgreSQL SQLSTATE classes that mean "not now": connection exception, insufficient
# resources (too many connections, disk full), operator intervention (shutdown, cancel).
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")
# SQLite result codes that mean the same: busy past the timeout, locked, cannot open, I/O.
_UNAVAILABLE_SQLITE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR",
                       "SQLITE_FULL", "SQLITE_PROTOCOL")


def is_unavailable(error: BaseException) -> bool:
    """Whether an error means the database cannot serve now (try again), not a bug in a query.

    A missing table or a failed constraint stays a 500 to look into; an unreachable, shut-down,
    overloaded or locked database is a 503.
    """
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(error, exc.DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    if isinstance(original, sqlite3.Error):
        name = getattr(original, "sqlite_errorname", "")
        return name.startswith(_UNAVAILABLE_SQLITE)
    if not isinstance(error, exc.OperationalError | exc.InterfaceError):
        return False
    sqlstate = getattr(original, "sqlstate", None)
    return sqlstate is None or sqlstate[:2] in _UNAVAILABLE_SQLSTATE_CLASSES
