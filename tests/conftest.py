"""The database, app, client and session fixtures shared by the whole suite.

Each area's factories live in ``tests/<area>/factories.py`` and are loaded for every test by
``pytest_plugins`` below (a ``conftest.py`` inside ``tests/stock/`` would not reach the stock
pages tested under ``tests/app/`` and ``tests/browser/``).

Every test that asks for ``app`` (or anything built on it) runs once on SQLite and once on
PostgreSQL. Each backend gets one throwaway database per test run, migrated with the real
migrations; rows are deleted after every test. PostgreSQL being unreachable is an error, not a
skip: pass ``--db sqlite`` to run only on SQLite deliberately.
"""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from logistics.stock import ledger_guard

# Each area's factories (make_user, auth, stock, ...) live beside its tests.
pytest_plugins = [
    "tests.accounts.factories", "tests.stock.factories", "tests.emergency.factories",
    "tests.roster.factories",
    "tests.app.error_contract",
    "tests.roster.dispatch_factories",
    "tests.roster.suggestion_factories",
    "tests.referrals.factories",
]

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def pytest_addoption(parser):
    parser.addoption("--db", choices=["both", "sqlite", "postgresql"], default="both",
                     help="database backends for tests that touch the database")


def pytest_generate_tests(metafunc):
    if "db_backend" in metafunc.fixturenames:
        choice = metafunc.config.getoption("--db")
        backends = ["sqlite", "postgresql"] if choice == "both" else [choice]
        metafunc.parametrize("db_backend", backends, scope="session")


def pg_admin_url() -> str:
    return os.environ.get("LUMBUNG_TEST_PG_ADMIN_URL", PG_ADMIN_URL)


@pytest.fixture(scope="session")
def new_database(tmp_path_factory):
    """Return a factory of empty throwaway databases; PostgreSQL ones are dropped at the end."""
    created: list[str] = []

    def make(backend: str) -> str:
        name = f"lumbung_test_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / name}.sqlite3"
        with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)

    yield make
    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        for name in created:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "SQLITE_BUSY_TIMEOUT_MS": 5000,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture(scope="session")
def database_url(db_backend, new_database):
    """One migrated database per backend for the whole run."""
    url = new_database(db_backend)
    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _delete_all_rows(app) -> None:
    with app.app_context():
        db.session.rollback()
        # The ledger refuses DELETE: lift its guard and put it back in the same transaction.
        dialect = db.engine.dialect.name
        for statement in ledger_guard.drop_statements(dialect):
            db.session.execute(text(statement))
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        for statement in ledger_guard.create_statements(dialect):
            db.session.execute(text(statement))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_config():
    """Per-test config overrides; override this fixture in a module to change them."""
    return {}


@pytest.fixture
def app(database_url, app_config):
    app = make_app(database_url, **app_config)
    yield app
    _delete_all_rows(app)


@pytest.fixture
def session(app):
    """A plain SQLAlchemy session on the app's engine, as a CLI command or worker would have.

    It deliberately pushes no app context, so requests made with ``client`` in the same test
    get their own context (and their own ``g``) as they would in production. End its
    transaction (commit or rollback) before calling ``client``: on SQLite every transaction
    takes the write lock at BEGIN.
    """
    with app.app_context():
        engine = db.engine
    with Session(engine) as plain_session:
        yield plain_session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
