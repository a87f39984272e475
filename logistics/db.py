"""Declarative base, portable column types and session helpers shared by every domain area."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from shapely import wkb
from shapely.geometry.base import BaseGeometry
from sqlalchemy import DateTime, LargeBinary, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names so Alembic can alter and drop them on every database. A
# multi-column key names all its columns (uq_lots_item_id_batch_no, not uq_lots_item_id). A
# name over PostgreSQL's 63 characters is cut there to 58 plus "_" and 4 hex digits of its md5
# (SQLAlchemy does it; SQLite keeps the full name), so a migration renaming such a constraint
# by hand must use the cut name on PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, enum: type[StrEnum]) -> str:
    """The SQL of a CHECK that ``column`` holds one of the enum's values."""
    return f"{column} IN ({', '.join(repr(member.value) for member in enum)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the only kind we store)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store aware UTC datetimes; SQLite drops the zone, so it is put back on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use logistics.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Geometry(TypeDecorator):
    """A shapely geometry kept as WKB: portable across SQLite and PostgreSQL without PostGIS."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: BaseGeometry | None, dialect):
        return None if value is None else wkb.dumps(value)

    def process_result_value(self, value, dialect) -> BaseGeometry | None:
        return None if value is None else wkb.loads(bytes(value))
