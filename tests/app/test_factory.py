"""The factory and configuration: defaults that work on a fresh machine, environment, overrides."""

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app import create_app
from app.config import database_uri
from app.extensions import db
from tests.conftest import make_app


def test_fresh_machine_defaults_to_sqlite_in_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": tmp_path})
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    assert uri.startswith("sqlite:///")
    assert Path(uri.removeprefix("sqlite:///")).parent == Path(app.instance_path)


def test_environment_is_read_when_the_app_is_created_not_at_import(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.example/lumbung")
    monkeypatch.setenv("LUMBUNG_LOGIN_RATE_LIMIT", "3 per hour")
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/lumbung"
    assert app.config["LOGIN_RATE_LIMIT"] == "3 per hour"


def test_a_region_code_from_the_environment_stays_text(monkeypatch):
    """"17.70" parsed as JSON would be the float 17.7: a kota code losing its digit."""
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("LUMBUNG_DEMO_REGION_CODE", "17.70")
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    assert app.config["DEMO_REGION_CODE"] == "17.70"


def test_test_config_overrides_environment(monkeypatch):
    monkeypatch.setenv("LUMBUNG_LOGIN_RATE_LIMIT", "3 per hour")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "LOGIN_RATE_LIMIT": "9 per minute"})
    assert app.config["LOGIN_RATE_LIMIT"] == "9 per minute"


@pytest.mark.parametrize(("given", "expected"), [
    ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgresql://u@h:5432/d", "postgresql+psycopg://u@h:5432/d"),
    ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_urls_use_the_psycopg3_driver(given, expected):
    assert database_uri(given, Path("/unused")) == expected


def test_secret_key_is_generated_once_per_instance_and_reused(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("LUMBUNG_SECRET_KEY", raising=False)
    from flask import Flask

    from app.config import load_config

    first, second = Flask("a", instance_path=str(tmp_path)), Flask("b", instance_path=str(tmp_path))
    load_config(first)
    load_config(second)
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_workers_starting_together_agree_on_one_secret_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from app.config import _instance_secret

    for attempt in range(30):
        path = tmp_path / f"run{attempt}" / "secret_key"
        path.parent.mkdir()
        with ThreadPoolExecutor(max_workers=4) as pool:
            keys = list(pool.map(_instance_secret, [path] * 4))
        assert len(set(keys)) == 1
        assert len(keys[0]) == 64
        assert [p.name for p in path.parent.iterdir()] == ["secret_key"]


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_two_read_then_write_transactions_at_once_both_commit(app, make_user):
    """Two workers reading then writing at once both succeed (no lock-upgrade error)."""
    make_user(username="counter-base")
    errors = []

    def read_then_write(name):
        try:
            with app.app_context(), db.engine.begin() as conn:
                conn.execute(text("SELECT count(*) FROM users")).scalar()
                time.sleep(0.2)  # both hold a read transaction before either writes
                conn.execute(text(
                    "INSERT INTO users (username, full_name, role, password_hash, is_active, "
                    "created_at) VALUES (:u, :u, 'admin', 'x', true, CURRENT_TIMESTAMP)"
                ), {"u": name})
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM users")).scalar() == 3


def test_sqlite_readers_are_not_blocked_by_a_writer(tmp_path):
    """A GET page answers while another worker holds the write lock (WAL readers never wait)."""
    from flask_migrate import upgrade

    from logistics.accounts import operations

    app = make_app(f"sqlite:///{tmp_path / 'readers.sqlite3'}", SQLITE_BUSY_TIMEOUT_MS=300)
    with app.app_context():
        upgrade()
        operations.create_user(db.session, username="ani", full_name="Ani", role="admin",
                               password="a-long-enough-password")
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"username": "ani", "password": "a-long-enough-password"})
    with app.app_context():
        engine = db.engine
    with engine.begin() as writer:  # BEGIN IMMEDIATE: the write lock is held until the end
        writer.execute(text("UPDATE users SET full_name = 'Ani (sedang diubah)'"))
        assert client.get("/home").status_code == 200
        assert client.get("/regions/").status_code == 200
    with app.app_context():
        db.engine.dispose()
