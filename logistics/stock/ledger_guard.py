"""The database's own guard on the ledger: triggers refusing to edit or delete a posted line.

A mistake is undone by a reversing document, never by changing `stock_movements`, and the
triggers hold that even against raw SQL. They are DDL the models cannot describe, so this is
their one home, and the migrations create them from here. Two kinds of later migration must
run `drop_statements` then `create_statements`: one that changes this guard (databases
already migrated still hold the old one), and one that makes SQLite rebuild `stock_movements`
(any batch column or constraint change copies the table, and the copy has no triggers).
`tests/app/test_migrations.py` reads the triggers from the migrated schema to catch a miss.
PostgreSQL also refuses TRUNCATE; SQLite has none.
"""

from __future__ import annotations

TABLE = "stock_movements"
_FUNCTION = f"{TABLE}_refuse_change"
_MESSAGE = f"{TABLE} is append-only"


def _refused(dialect: str) -> tuple[str, ...]:
    if dialect == "postgresql":
        return ("UPDATE", "DELETE", "TRUNCATE")
    if dialect == "sqlite":
        return ("UPDATE", "DELETE")
    raise ValueError(f"no ledger guard for {dialect}")


def _trigger(event: str) -> str:
    return f"{TABLE}_refuse_{event.lower()}"


def trigger_names(dialect: str) -> list[str]:
    """Name the triggers the guard consists of on this database."""
    return [_trigger(event) for event in _refused(dialect)]


def create_statements(dialect: str) -> list[str]:
    """Return the DDL that installs the guard (dialect: ``engine.dialect.name``)."""
    if dialect == "sqlite":
        return [f"CREATE TRIGGER {_trigger(event)} BEFORE {event} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: {event} refused'); END"
                for event in _refused(dialect)]
    # restrict_violation is an integrity error, as SQLite's RAISE(ABORT) is, so both databases
    # refuse with the same exception class.
    function = (f"CREATE OR REPLACE FUNCTION {_FUNCTION}() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{_MESSAGE}: % refused', TG_OP "
                f"USING ERRCODE = 'restrict_violation'; END $$ LANGUAGE plpgsql")
    return [function, *(
        f"CREATE TRIGGER {_trigger(event)} BEFORE {event} ON {TABLE} "
        f"FOR EACH {'STATEMENT' if event == 'TRUNCATE' else 'ROW'} EXECUTE FUNCTION {_FUNCTION}()"
        for event in _refused(dialect))]


def drop_statements(dialect: str) -> list[str]:
    """Return the DDL that removes the guard; harmless where it is already gone."""
    on_table = f" ON {TABLE}" if dialect == "postgresql" else ""
    drops = [f"DROP TRIGGER IF EXISTS {name}{on_table}" for name in trigger_names(dialect)]
    if dialect == "postgresql":
        drops.append(f"DROP FUNCTION IF EXISTS {_FUNCTION}()")
    return drops
