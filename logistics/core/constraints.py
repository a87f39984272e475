"""Turn a database constraint failure into the rule it guards.

The operations check their rules before writing; the constraints are the last guard and the
referee of races. When one fires, the answer must be the rule (named, as a domain error), not
"something went wrong". A model declares the rule beside its constraint::

    CheckConstraint("qty >= 0", name="qty_nonneg", info={"violation": NegativeStock})

``violation`` is a DomainError class, or a callable ``(session, arguments) -> DomainError``
that may read the database (the failed savepoint is already rolled back). A constraint with no
declared rule stays an IntegrityError: the web layer logs it and answers 500, because it means
an operation forgot a check.
"""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import Index, PrimaryKeyConstraint, UniqueConstraint

from logistics.db import Base
from logistics.errors import DomainError

_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w., ]+)")
_SQLITE_UNIQUE_INDEX = re.compile(r"UNIQUE constraint failed: index '(\w+)'")  # on an expression


@cache
def _index():
    """Every named constraint and unique index, by name and by (table, columns)."""
    by_name, by_columns = {}, {}
    for table in Base.metadata.tables.values():
        for item in [*table.constraints, *table.indexes]:
            if item.name:
                by_name[str(item.name)] = item
            if isinstance(item, PrimaryKeyConstraint | UniqueConstraint) or (
                    isinstance(item, Index) and item.unique):
                columns = frozenset(column.name for column in item.columns)
                by_columns.setdefault((table.name, columns), item)
    return by_name, by_columns


def constraint_of(error):
    """The constraint (or unique index) an IntegrityError names, or None when it names none."""
    orig = getattr(error, "orig", error)
    by_name, by_columns = _index()
    diag = getattr(orig, "diag", None)
    if diag is not None:  # PostgreSQL
        return by_name.get(diag.constraint_name or "")
    text = str(orig)
    if match := _SQLITE_CHECK.search(text):
        return by_name.get(match.group(1))
    if match := _SQLITE_UNIQUE_INDEX.search(text):
        return by_name.get(match.group(1))
    if match := _SQLITE_UNIQUE.search(text):
        pairs = [part.strip().split(".", 1) for part in match.group(1).split(",")]
        tables = {table for table, _ in pairs}
        if len(tables) == 1:
            return by_columns.get((tables.pop(), frozenset(column for _, column in pairs)))
    return None


def rule_for(constraint, session, arguments: dict) -> DomainError | None:
    """The domain error a constraint's declared rule gives, or None when it declares none."""
    if constraint is None:
        return None
    violation = constraint.info.get("violation")
    if violation is None:
        return None
    if isinstance(violation, type) and issubclass(violation, DomainError):
        return violation()
    return violation(session, arguments)
