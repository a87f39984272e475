"""Imported sheets, recorded once: the same opening-stock sheet posted twice would double stock.

Each import is numbered (``IMP-2026-00001``) and keeps the SHA-256 of the file. A sheet whose
content was imported already is refused naming the earlier import; a retry of the same request
(same Idempotency-Key or form token) returns the first import instead.
"""

from __future__ import annotations

import hashlib
import io
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.calendar import FIELD_TIMEZONE, local_today
from logistics.core.atomic import idempotent
from logistics.core.numbering import next_number
from logistics.db import Base, UTCDateTime, utcnow
from logistics.errors import Conflict
from logistics.i18n import N_
from logistics.stock import spreadsheets
from logistics.stock.models import _one_of


class SheetKind(StrEnum):
    CATALOGUE = "catalogue"
    OPENING = "opening"


class SheetAlreadyImported(Conflict):
    message = N_("This sheet was imported already as %(number)s (%(filename)s, %(when)s by "
                 "%(user)s); nothing was imported again.")

    @classmethod
    def about(cls, earlier: SheetImport) -> SheetAlreadyImported:
        when = earlier.imported_at.astimezone(FIELD_TIMEZONE).strftime("%Y-%m-%d %H:%M")
        return cls(number=earlier.number, filename=earlier.filename, when=when,
                   user=earlier.actor.username, field="file")


def _raced(session, arguments) -> SheetAlreadyImported:
    return SheetAlreadyImported.about(_earlier(session, arguments["kind"],
                                               _digest(arguments["content"])))


class SheetImport(Base):
    __tablename__ = "stock_imports"
    __table_args__ = (
        CheckConstraint(_one_of("kind", SheetKind), name="kind_known"),
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


@idempotent("stock.import_sheet")
def import_sheet(session, *, actor, kind: str, content: bytes, filename: str,
                 today=None) -> SheetImport:
    """Import a catalogue or opening-stock sheet all or nothing, once per distinct file."""
    today = today or local_today()
    kind = SheetKind(kind)
    digest = _digest(content)
    earlier = _earlier(session, kind, digest)
    if earlier is not None:
        raise SheetAlreadyImported.about(earlier)
    if kind == SheetKind.OPENING:
        rows = spreadsheets.import_opening_stock(session, io.BytesIO(content), actor=actor,
                                                 filename=filename, today=today)
    else:
        rows = spreadsheets.import_catalogue(session, io.BytesIO(content))
    record = SheetImport(number=next_number(session, "IMP", "", today.year), kind=kind,
                         filename=filename[:255], content_sha256=digest, rows=rows,
                         actor_id=actor.id)
    session.add(record)
    session.flush()
    return record


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _earlier(session, kind: str, digest: str) -> SheetImport | None:
    return session.scalar(select(SheetImport).where(SheetImport.kind == kind,
                                                    SheetImport.content_sha256 == digest))
