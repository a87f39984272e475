"""ledger refuses DELETE as well as UPDATE; multi-column unique keys name all their columns

The UPDATE-only trigger of 37e3a58fa94e gives way to the guard in logistics.stock.ledger_guard.
Unique constraints were named after their first column only (uq_lots_item_id held item and
batch); they are renamed to the new convention in logistics.db. The renames read the schema,
so they cover whatever multi-column unique keys the migrations before this one created.

Revision ID: 6a0913d45fd2
Revises: 5c0a7e1d2b9f
Create Date: 2026-12-01 10:00:00
"""
from itertools import groupby

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql.elements import conv

from logistics.stock import ledger_guard

revision = '6a0913d45fd2'
down_revision = '5c0a7e1d2b9f'
branch_labels = None
depends_on = None


def upgrade():
    dialect = op.get_bind().dialect.name
    _drop_update_only_trigger(dialect)
    _rename_unique_constraints(to_all_columns=True)
    # Last, so that a batch rebuild above (SQLite) cannot have lost it.
    for statement in ledger_guard.create_statements(dialect):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in ledger_guard.drop_statements(dialect):
        op.execute(statement)
    _rename_unique_constraints(to_all_columns=False)
    _restore_update_only_trigger(dialect)


def _rename_unique_constraints(*, to_all_columns: bool):
    bind = op.get_bind()
    preparer = bind.dialect.identifier_preparer

    def final(name):  # what the database holds: PostgreSQL cuts names at 63 characters
        return preparer.truncate_and_render_constraint_name(conv(name), _alembic_quote=False)

    renames = []
    inspector = sa.inspect(bind)
    for table in inspector.get_table_names():
        for unique in inspector.get_unique_constraints(table):
            columns = unique["column_names"]
            first_only = final(f"uq_{table}_{columns[0]}")
            every_column = final(f"uq_{table}_{'_'.join(columns)}")
            before, after = ((first_only, every_column) if to_all_columns
                             else (every_column, first_only))
            if len(columns) > 1 and unique["name"] == before:
                renames.append((table, before, after, columns))

    for table, group in groupby(renames, key=lambda rename: rename[0]):
        if bind.dialect.name == "postgresql":
            for _, before, after, _ in group:
                op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{before}" TO "{after}"')
        else:  # SQLite cannot rename a constraint: batch mode rebuilds the table
            with op.batch_alter_table(table) as batch_op:
                for _, before, after, columns in group:
                    batch_op.drop_constraint(before, type_="unique")
                    batch_op.create_unique_constraint(after, columns)


# 37e3a58fa94e's trigger, as it made it.
def _drop_update_only_trigger(dialect):
    if dialect == "postgresql":
        op.execute("DROP TRIGGER stock_movements_append_only ON stock_movements")
        op.execute("DROP FUNCTION stock_movements_append_only()")
    else:
        op.execute("DROP TRIGGER stock_movements_append_only")


def _restore_update_only_trigger(dialect):
    if dialect == "postgresql":
        op.execute("""
            CREATE FUNCTION stock_movements_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'stock_movements is append-only'; END
            $$ LANGUAGE plpgsql""")
        op.execute("""
            CREATE TRIGGER stock_movements_append_only BEFORE UPDATE ON stock_movements
            FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only()""")
    else:
        op.execute("""
            CREATE TRIGGER stock_movements_append_only BEFORE UPDATE ON stock_movements
            BEGIN SELECT RAISE(ABORT, 'stock_movements is append-only'); END""")
