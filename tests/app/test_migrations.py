"""The migrations in the repo build exactly the schema the models describe, on both databases."""

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.util.sqla_compat import _get_constraint_final_name
from flask_migrate import downgrade, upgrade
from sqlalchemy import (
    CheckConstraint,
    MetaData,
    PrimaryKeyConstraint,
    UniqueConstraint,
    inspect,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import conv

from app.extensions import db
from tests.conftest import make_app

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


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


def _names_held(inspector, table: str) -> dict[str, set[str]]:
    indexes = inspector.get_indexes(table)
    if inspector.dialect.name == "sqlite":  # its reflection skips indexes on expressions
        with inspector.bind.connect() as connection:
            indexes += [{"name": name} for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql LIKE '%(%(%'", (table,))]
    return {
        "primary key": {inspector.get_pk_constraint(table)["name"]},
        "foreign keys": {fk["name"] for fk in inspector.get_foreign_keys(table)},
        "unique": {uq["name"] for uq in inspector.get_unique_constraints(table)},
        "check": {ck["name"] for ck in inspector.get_check_constraints(table)},
        # PostgreSQL lists the index behind each unique constraint too.
        "indexes": {ix["name"] for ix in indexes if not ix.get("duplicates_constraint")},
    }


def _names_modelled(table, dialect) -> dict[str, set[str]]:
    def named(items):  # PostgreSQL cuts long names to 63 characters, as the migrations did
        return {_get_constraint_final_name(item, dialect) for item in items}

    return {
        "primary key": named([table.primary_key]),
        "foreign keys": named(table.foreign_key_constraints),
        "unique": named(c for c in table.constraints if isinstance(c, UniqueConstraint)),
        "check": named(c for c in table.constraints if isinstance(c, CheckConstraint)),
        "indexes": named(table.indexes),
    }


def test_migrations_name_every_constraint_and_index_as_the_models_do(db_backend, new_database):
    """compare_metadata skips CHECK constraints and the names of keys, so compare names here."""
    app = make_app(new_database(db_backend))
    with app.app_context():
        upgrade()
        inspector = inspect(db.engine)
        for table in db.metadata.sorted_tables:
            modelled = _names_modelled(table, db.engine.dialect)
            assert _names_held(inspector, table.name) == modelled, table.name
        db.engine.dispose()


def test_a_generated_constraint_name_names_every_column():
    """uq_lots_item_id read as "item ids are unique"; the key is (item_id, batch_no)."""
    generated = [item for table in db.metadata.sorted_tables
                 for item in [*table.constraints, *table.indexes]
                 if isinstance(item.name, conv)
                 and not isinstance(item, CheckConstraint | PrimaryKeyConstraint)]
    assert any(len(item.columns) > 1 for item in generated)
    for item in generated:
        assert "_".join(column.name for column in item.columns) in item.name, item.name


def _ledger_triggers(engine) -> set[str]:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return set(conn.scalars(text(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'stock_movements'::regclass AND NOT tgisinternal")))
        return set(conn.scalars(text(
            "SELECT name FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'stock_movements'")))


def _guard_for(backend: str) -> set[str]:
    refused = ["update", "delete"] + (["truncate"] if backend == "postgresql" else [])
    return {f"stock_movements_refuse_{event}" for event in refused}


def test_the_migrated_ledger_holds_the_triggers_that_refuse_edits_and_deletes(
        db_backend, new_database):
    """Read from the final schema: a later migration that loses the triggers fails here."""
    app = make_app(new_database(db_backend))
    with app.app_context():
        upgrade()
        assert _ledger_triggers(db.engine) == _guard_for(db_backend)
        db.engine.dispose()


# One row per table the constraint renames rebuild on SQLite, written against the schema of
# 37e3a58fa94e (frozen, unlike the models).
ROWS_AT_37E3A58FA94E = [
    ("regions", {"code": "17", "level": 1, "kind": "provinsi", "name": "Bengkulu",
                 "source": "test", "is_synthetic": False, "imported_at": NOW}),
    ("users", {"id": 1, "username": "siti", "full_name": "Siti", "role": "admin",
               "password_hash": "x", "is_active": True, "created_at": NOW}),
    ("items", {"id": 1, "code": "BERAS", "name_id": "Beras", "name_en": "Rice",
               "category": "pangan", "base_unit": "kg", "is_perishable": False,
               "is_active": True}),
    ("item_packs", {"id": 1, "item_id": 1, "name": "karung", "base_qty": 25}),
    ("lots", {"id": 1, "item_id": 1, "batch_no": "B1", "source": "donor",
              "received_on": NOW.date()}),
    ("warehouses", {"id": 1, "code": "W1", "name": "Gudang", "kind": "central",
                    "region_code": "17", "is_active": True, "created_at": NOW}),
    ("stock_documents", {"id": 1, "number": "TRM-W1-2026-00001", "kind": "receipt",
                         "warehouse_id": 1, "document_date": NOW.date(), "posted_at": NOW,
                         "actor_id": 1, "idempotency_key": "k1"}),
    ("stock_movements", {"id": 1, "document_id": 1, "warehouse_id": 1, "is_in_transit": False,
                         "item_id": 1, "lot_id": 1, "qty": 10, "balance_after": 10}),
]


def test_upgrading_a_database_in_use_keeps_its_rows_and_guards_its_ledger(db_backend,
                                                                          new_database):
    app = make_app(new_database(db_backend))
    with app.app_context():
        upgrade(revision="37e3a58fa94e")
        tables = MetaData()
        tables.reflect(db.engine)
        with db.engine.begin() as conn:
            for name, row in ROWS_AT_37E3A58FA94E:
                conn.execute(tables.tables[name].insert().values(**row))
        upgrade()
        with db.engine.connect() as conn:
            for name, _ in ROWS_AT_37E3A58FA94E:
                assert conn.scalar(text(f"SELECT count(*) FROM {name}")) == 1, name
            # The document's retry key moved to the shared key table, still pointing at it.
            assert conn.execute(text(
                "SELECT operation, resource_table, resource_id FROM idempotency_keys "
                "WHERE actor_id = 1 AND key = 'k1'")).one() == (
                    "stock.receive", "stock_documents", 1)
            with pytest.raises(IntegrityError, match="append-only"):
                conn.execute(text("DELETE FROM stock_movements"))
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


REBUILD_LEDGER = '''
import sqlalchemy as sa
from alembic import op

from logistics.stock import ledger_guard

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade():
    # Any column change makes SQLite copy the table; PostgreSQL alters it in place.
    with op.batch_alter_table("stock_movements") as batch_op:
        batch_op.alter_column("counted_qty", existing_type=sa.Integer(), nullable=True)
    if {restore!r}:
        for statement in ledger_guard.drop_statements(op.get_bind().dialect.name):
            op.execute(statement)
        for statement in ledger_guard.create_statements(op.get_bind().dialect.name):
            op.execute(statement)


def downgrade():
    pass
'''


def test_a_migration_rebuilding_the_ledger_keeps_its_guard_only_by_restoring_it(
        db_backend, new_database, tmp_path):
    """SQLite batch mode copies stock_movements without its triggers; ledger_guard restores them."""
    import shutil

    from alembic.script import ScriptDirectory

    app = make_app(new_database(db_backend))
    directory = tmp_path / "migrations"
    shutil.copytree("migrations", directory)
    with app.app_context():
        head = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config(
            str(directory))).get_current_head()
        (directory / "versions" / "rebuild_plain.py").write_text(REBUILD_LEDGER.format(
            revision="rebuild_plain", down_revision=head, restore=False))
        upgrade(directory=str(directory))
        lost = _guard_for(db_backend) if db_backend == "sqlite" else set()
        assert _ledger_triggers(db.engine) == _guard_for(db_backend) - lost

        (directory / "versions" / "rebuild_restoring.py").write_text(REBUILD_LEDGER.format(
            revision="rebuild_restoring", down_revision="rebuild_plain", restore=True))
        upgrade(directory=str(directory))
        assert _ledger_triggers(db.engine) == _guard_for(db_backend)
        db.engine.dispose()
