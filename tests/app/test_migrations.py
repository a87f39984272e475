"""The migrations in the repo build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db
from tests.conftest import make_app


def _differences(app):
    with app.app_context(), db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_produce_exactly_the_models(db_backend, new_database):
    app = make_app(new_database(db_backend))
    with app.app_context():
        upgrade()
    assert _differences(app) == []
    with app.app_context():
        db.engine.dispose()


def test_migrations_downgrade_to_empty_and_upgrade_again(db_backend, new_database):
    app = make_app(new_database(db_backend))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {"users", "api_tokens", "regions"} <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
