"""Fixtures shared by the whole suite.

Every test that asks for ``app`` (or anything built on it) runs once on SQLite and once on
PostgreSQL. Each backend gets one throwaway database per test run, migrated with the real
migrations; rows are deleted after every test. PostgreSQL being unreachable is an error, not a
skip: pass ``--db sqlite`` to run only on SQLite deliberately.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import make_url, select, text
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from logistics.accounts import operations as accounts
from logistics.accounts import queries as account_queries
from logistics.accounts.models import User
from logistics.regions.models import Region
from logistics.stock import ledger_guard
from logistics.stock import operations as stock_operations
from logistics.stock import queries as stock_queries
from logistics.stock import setup as stock_setup
from logistics.stock.ledger import balance_mismatches

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
TEST_PASSWORD = "correct-horse-battery"


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


@pytest.fixture
def make_user(app):
    """Create and commit a user; returns its username (the password is TEST_PASSWORD)."""
    counter = iter(range(1, 10_000))

    def make(role="admin", username=None, password=TEST_PASSWORD, **fields):
        username = username or f"{role}{next(counter)}"
        with app.app_context():
            accounts.create_user(db.session, username=username, full_name=f"Test {username}",
                                 role=role, password=password, **fields)
            db.session.commit()
        return username

    return make


@dataclass
class Auth:
    """Log a test client in through the real login form, or get bearer headers via the API."""

    client: object

    def login(self, username, password=TEST_PASSWORD):
        return self.client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/logout")

    def token(self, username, password=TEST_PASSWORD, days=30) -> str:
        response = self.client.post("/api/v1/auth/token", json={
            "username": username, "password": password, "days": days})
        assert response.status_code == 201, response.get_json()
        return response.get_json()["token"]

    def headers(self, username, password=TEST_PASSWORD) -> dict:
        return {"Authorization": f"Bearer {self.token(username, password)}"}


@pytest.fixture
def auth(client):
    return Auth(client)


@dataclass
class StockWorld:
    """Factories for stock tests: a kecamatan, warehouses, items, and stock put on the shelf.

    Each factory commits in its own app context, like make_user, so the test's client and
    session see the rows at once.
    """

    app: object
    counter: object

    KECAMATAN = "17.03.01"

    def _commit(self, build):
        with self.app.app_context():
            row = build(db.session)
            db.session.commit()
            return row.id

    def ensure_regions(self) -> None:
        with self.app.app_context():
            if db.session.get(Region, self.KECAMATAN) is None:
                for code, parent, level, kind, name in (
                        ("17", None, 1, "provinsi", "Bengkulu"),
                        ("17.03", "17", 2, "kabupaten", "Bengkulu Utara"),
                        (self.KECAMATAN, "17.03", 3, "kecamatan", "Enggano")):
                    db.session.add(Region(code=code, parent_code=parent, level=level, kind=kind,
                                          name=name, source="test"))
                db.session.commit()

    def warehouse(self, *, kind="central", name=None, code=None, keepers=()) -> int:
        """Create a warehouse; ``keepers`` are usernames assigned to it. Returns its id."""
        self.ensure_regions()
        number = next(self.counter)
        code = code or f"W{number}"

        def build(session):
            warehouse = stock_setup.create_warehouse(
                session, code=code, name=name or f"Gudang {number}", kind=kind,
                region_code=self.KECAMATAN)
            for username in keepers:
                stock_setup.assign_keeper(session, warehouse,
                                          account_queries.get_user_by_username(session, username))
            return warehouse

        return self._commit(build)

    def item(self, *, code=None, perishable=False, packs=(), **fields) -> int:
        number = next(self.counter)
        fields = {"name_id": f"Barang {number}", "name_en": f"Item {number}",
                  "category": "pangan", "base_unit": "kg", **fields}
        return self._commit(lambda session: stock_setup.create_item(
            session, code=code or f"ITEM{number}", is_perishable=perishable, packs=packs,
            **fields))

    def receive(self, warehouse_id, item_id, qty, *, batch_no=None, expires_on=None,
                actor="stock-admin") -> int:
        """Put ``qty`` of one lot on the shelf through a real receipt; returns the lot id."""
        with self.app.app_context():
            user = db.session.scalar(select(User).where(User.username == actor))
            if user is None:
                user = accounts.create_user(db.session, username=actor, full_name="Stock Admin",
                                            role="admin", password=TEST_PASSWORD)
            document = stock_operations.receive_stock(
                db.session, actor=user, warehouse_id=warehouse_id, lines=[{
                    "item_id": item_id, "qty": qty, "batch_no": batch_no,
                    "expires_on": expires_on}])
            lot_id = document.movements[0].lot_id
            db.session.commit()
            return lot_id

    def on_hand(self, warehouse_id, item_id) -> int:
        with self.app.app_context():
            return stock_queries.item_on_hand(db.session, warehouse_id, item_id)

    def mismatches(self) -> list[str]:
        with self.app.app_context():
            return balance_mismatches(db.session)


@pytest.fixture
def stock(app):
    """Stock factories (see StockWorld); every test gets its own."""
    return StockWorld(app, iter(range(1, 100_000)))
