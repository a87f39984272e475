"""The migrations in the repo build exactly the schema the models describe, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import CheckConstraint, inspect

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


def test_migrations_create_every_check_constraint_of_the_models(db_backend, new_database):
    """compare_metadata does not look at CHECK constraints, so compare their names here."""
    app = make_app(new_database(db_backend))
    with app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        for table in db.metadata.sorted_tables:
            modelled = {c.name for c in table.constraints if isinstance(c, CheckConstraint)}
            held = {c["name"] for c in inspector.get_check_constraints(table.name)}
            assert modelled == held, table.name
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


RECREATE_USERS = '''
import sqlalchemy as sa
from alembic import op

revision = "test_recreate_users"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
    # SQLite must rebuild the table for a type change; PostgreSQL alters it in place.
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("full_name", existing_type=sa.String(120), type_=sa.String(150))


def downgrade():
    pass
'''


def test_a_table_rebuilding_migration_runs_on_a_populated_database(db_backend, new_database,
                                                                  tmp_path):
    """SQLite batch mode rebuilds tables; referenced rows must not stop it (or be lost)."""
    import shutil
    from datetime import timedelta

    from alembic.script import ScriptDirectory
    from sqlalchemy import func, select

    from logistics.accounts import operations
    from logistics.accounts.models import ApiToken

    app = make_app(new_database(db_backend))
    with app.app_context():
        upgrade()
        user = operations.create_user(db.session, username="siti", full_name="Siti",
                                      role="admin", password="a-long-enough-password")
        operations.issue_token(db.session, user=user, name="x", valid_for=timedelta(days=1))
        db.session.commit()
        directory = tmp_path / "migrations"
        shutil.copytree("migrations", directory)
        head = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(
            str(directory))).get_current_head()
        (directory / "versions" / "test_recreate_users.py").write_text(
            RECREATE_USERS.format(head=head))
        upgrade(directory=str(directory))
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1
        db.session.remove()
        db.engine.dispose()
