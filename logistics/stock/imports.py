"""Imported sheets, recorded once: the same opening-stock sheet posted twice would double stock.

Each import is numbered (``IMP-2026-00001``) and keeps the SHA-256 of the file. A sheet whose
content was imported already is refused naming the earlier import; a retry of the same request
(same Idempotency-Key or form token) returns the first import instead. A file is read within
limits (`logistics.core.xlsx.Limits`) before any of this, without the database.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from functools import partial

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.calendar import local_today
from logistics.core.atomic import idempotent
from logistics.core.fields import printable
from logistics.core.numbering import next_number
from logistics.core.xlsx import DEFAULT_LIMITS, Limits
from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.errors import Conflict
from logistics.i18n import N_
from logistics.stock import spreadsheets


class SheetKind(StrEnum):
    CATALOGUE = "catalogue"
    OPENING = "opening"


class SheetAlreadyImported(Conflict):
    message = N_("This sheet was imported already as %(number)s (%(filename)s, %(when)s by "
                 "%(user)s); nothing was imported again.")

    @classmethod
    def about(cls, earlier: SheetImport) -> SheetAlreadyImported:
        return cls(number=earlier.number, filename=earlier.filename, when=earlier.imported_at,
                   user=earlier.actor.username, field="file")


def _raced(session, arguments) -> SheetAlreadyImported:
    return SheetAlreadyImported.about(_earlier(session, arguments["kind"],
                                               _digest(arguments["content"])))


class SheetImport(Base):
    __tablename__ = "stock_imports"
    __table_args__ = (
        CheckConstraint(one_of("kind", SheetKind), name="kind_known"),
        UniqueConstraint("kind", "content_sha256", info={"violation": _raced}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    content_sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int]
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User")

    def __repr__(self) -> str:
        return f"<SheetImport {self.number}>"


COLUMNS = {SheetKind.CATALOGUE: spreadsheets.CATALOGUE_COLUMNS,
           SheetKind.OPENING: spreadsheets.OPENING_COLUMNS}


def read_sheet(kind: str, content: bytes, *, limits: Limits = DEFAULT_LIMITS
               ) -> spreadsheets.Sheet:
    """Check and read a sheet within ``limits``, touching no database.

    Callers read before their transaction begins: on SQLite a writing transaction holds the
    one write lock, and nobody should wait for it while a large file is read.
    """
    return spreadsheets.read_sheet(content, COLUMNS[SheetKind(kind)], limits)


def import_sheet(session, *, actor, kind: str, content: bytes, filename: str, today=None,
                 idempotency_key=None, sheet: spreadsheets.Sheet | None = None,
                 limits: Limits = DEFAULT_LIMITS, confirm_expiry: bool = False) -> SheetImport:
    """Import a catalogue or opening-stock sheet all or nothing, once per distinct file.

    ``sheet`` is ``content`` as `read_sheet` read it; without it the content is read here.
    """
    kind = SheetKind(kind)
    sheet = sheet if sheet is not None else read_sheet(kind, content, limits=limits)
    # Made idempotent per call so that the sheet already read reaches the import without
    # becoming part of the retry's fingerprint (the content it was read from is).
    once = idempotent("stock.import_sheet")(partial(_import, sheet=sheet))
    return once(session, actor=actor, idempotency_key=idempotency_key, kind=kind,
                content=content, filename=filename, today=today, confirm_expiry=confirm_expiry)


def _import(session, *, actor, kind: SheetKind, content: bytes, filename: str, today,
            sheet: spreadsheets.Sheet, confirm_expiry: bool = False) -> SheetImport:
    today = today or local_today()
    digest = _digest(content)
    earlier = _earlier(session, kind, digest)
    if earlier is not None:
        raise SheetAlreadyImported.about(earlier)
    # The record goes in first: the same file uploaded twice at once then waits on its unique
    # key and is refused naming the first import, before it touches any item or stock.
    record = SheetImport(number=next_number(session, "IMP", "", today.year), kind=kind,
                         filename=printable(filename)[:255], content_sha256=digest, rows=0,
                         actor_id=actor.id)
    session.add(record)
    session.flush()
    if kind == SheetKind.OPENING:
        record.rows = spreadsheets.import_opening_stock(
            session, sheet, actor=actor, filename=filename, today=today,
            confirm_expiry=confirm_expiry)
    else:
        record.rows = spreadsheets.import_catalogue(session, sheet)
    session.flush()
    return record


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _earlier(session, kind: str, digest: str) -> SheetImport | None:
    return session.scalar(select(SheetImport).where(SheetImport.kind == kind,
                                                    SheetImport.content_sha256 == digest))
