"""When the database is down the app says so (503) and a monitor can tell; files stay private."""

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.accounts.factories import TEST_PASSWORD
from tests.conftest import make_app

UNREACHABLE_POSTGRESQL = "postgresql://postgres@127.0.0.1:1/lumbung"


@pytest.fixture(params=["postgresql", "sqlite"])
def down_app(request, tmp_path):
    """An app whose database cannot be reached: PostgreSQL on a closed port, or an unopenable
    SQLite file (its directory does not exist)."""
    url = (UNREACHABLE_POSTGRESQL if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'missing-dir' / 'lumbung.sqlite3'}")
    app = make_app(url, TESTING=False)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_readiness_is_503_while_liveness_stays_200(down_app):
    client = down_app.test_client()
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["status"] == "unavailable"
    assert client.get("/healthz").status_code == 200


def test_an_api_call_during_an_outage_is_503_in_the_error_shape(down_app):
    response = down_app.test_client().get(
        "/api/v1/auth/me", headers={"Authorization": "Bearer lsk_anything"})
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == 503
    assert body["title"] == "Layanan sedang tidak tersedia"
    assert "127.0.0.1" not in body["message"]
    assert response.headers["Retry-After"]


def test_a_page_during_an_outage_is_a_friendly_503(down_app):
    response = down_app.test_client().post("/login", data={"username": "siti",
                                                           "password": TEST_PASSWORD})
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Layanan sedang tidak tersedia" in page
    assert "Traceback" not in page


def test_readiness_is_200_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_a_write_that_waits_out_the_sqlite_lock_is_503_and_writes_nothing(
    tmp_path, make_user
):
    """A lock held too long (a backup, a stuck worker) means "try again", not a crash."""
    path = tmp_path / "locked.sqlite3"
    app = make_app(f"sqlite:///{path}", TESTING=False, SQLITE_BUSY_TIMEOUT_MS=50)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = app.test_client().post("/api/v1/auth/token", json={
            "username": "siti", "password": TEST_PASSWORD, "days": 1})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.get_json()["status"] == 503
    with app.app_context():
        db.engine.dispose()


def test_a_missing_table_is_still_a_500_not_an_outage(tmp_path):
    """Only an unreachable or busy database is 503; a broken schema is a bug to look at."""
    app = make_app(f"sqlite:///{tmp_path / 'empty.sqlite3'}", TESTING=False)
    response = app.test_client().get(
        "/api/v1/auth/me", headers={"Authorization": "Bearer lsk_anything"})
    assert response.status_code == 500
    with app.app_context():
        db.engine.dispose()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def server_umask():
    """A typical server umask (group and others may read new files) for the test's length."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_fresh_instance_keeps_its_database_and_secrets_to_the_owner(monkeypatch, tmp_path,
                                                                      server_umask):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("LUMBUNG_SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    app = create_app({"TESTING": True, "INSTANCE_PATH": instance})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert mode(instance) == 0o700
    assert mode(instance / "lumbung.sqlite3") == 0o600
    assert mode(instance / "secret_key") == 0o600
    for sidecar in instance.glob("lumbung.sqlite3-*"):  # WAL and shared-memory files
        assert mode(sidecar) == 0o600


def test_the_demo_password_file_is_written_private(tmp_path, server_umask):
    from app.config import write_private

    path = tmp_path / "demo-password.txt"
    write_private(path, "secret\n")
    assert mode(path) == 0o600
    assert path.read_text() == "secret\n"
