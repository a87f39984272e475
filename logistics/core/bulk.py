"""Many rows in one INSERT on both databases, for writes of thousands of rows (sheet imports).

SQLAlchemy sends a list of rows as multi-row VALUES statements. On PostgreSQL, psycopg then
parses each statement's text, a placeholder per value: for 50,000 rows that took longer than
the server did to insert them. There the rows go as one array per column instead
(``INSERT ... SELECT * FROM unnest(:col1, :col2, ...)``), which keeps their order, and a
column with the same value in every row as that one value; SQLite keeps the multi-row VALUES,
which it runs fast.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Result
from sqlalchemy.types import ARRAY


def insert_many(session, table: Table, rows: list[dict],
                finish: Callable = lambda statement: statement) -> Result | None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in order.

    ``finish(statement)`` may add ON CONFLICT and RETURNING; ``statement.excluded`` works on
    both databases.
    """
    if not rows:
        return None
    if session.get_bind().dialect.name != "postgresql":
        return session.execute(finish(sqlite.insert(table)), rows)
    names = list(rows[0])
    first = rows[0]
    # A column with one value for every row (the document, the warehouse) is sent once.
    varying = [name for name in names if any(row[name] != first[name] for row in rows)] \
        or names[:1]
    arrays = func.unnest(*[bindparam(f"many_{name}", [row[name] for row in rows],
                                     type_=ARRAY(table.c[name].type)) for name in varying]
                         ).table_valued(*varying).render_derived()
    source = select(*[arrays.c[name] if name in varying else
                      bindparam(f"one_{name}", first[name], type_=table.c[name].type)
                      for name in names])
    return session.execute(finish(postgresql.insert(table).from_select(names, source)))
