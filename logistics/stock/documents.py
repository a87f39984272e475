"""Stock documents: the numbered, dated, signed papers every movement hangs from.

A posted document is never edited or deleted; a mistake is undone by a reversal document.
The only field that changes after posting is a transfer's status (in transit -> received).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.db import Base, UTCDateTime, utcnow
from logistics.stock.models import Warehouse, _one_of


class DocumentKind(StrEnum):
    RECEIPT = "receipt"
    ISSUE = "issue"  # a release against a BAST
    TRANSFER = "transfer"  # out of one warehouse, in transit to another
    TRANSFER_RECEIPT = "transfer_receipt"  # what arrived of a transfer
    ADJUSTMENT = "adjustment"
    COUNT = "count"  # stock opname: the differences found
    REVERSAL = "reversal"


NUMBER_PREFIX = {
    DocumentKind.RECEIPT: "TRM",  # penerimaan
    DocumentKind.ISSUE: "BAST",
    DocumentKind.TRANSFER: "MUT",  # mutasi
    DocumentKind.TRANSFER_RECEIPT: "TMT",
    DocumentKind.ADJUSTMENT: "PYS",  # penyesuaian
    DocumentKind.COUNT: "OPN",
    DocumentKind.REVERSAL: "BTL",  # pembatalan
}


class TransferStatus(StrEnum):
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    CANCELLED = "cancelled"  # reversed while in transit


class RecipientKind(StrEnum):
    POSKO = "posko"
    PUBLIC_KITCHEN = "dapur_umum"
    PERSON = "person"
    OTHER = "other"


class AdjustmentReason(StrEnum):
    """Why stock changed outside a receipt or issue; the sign each reason allows is below."""

    DAMAGED = "damaged"  # rusak
    EXPIRED = "expired"  # kedaluwarsa: the only way expired stock leaves
    LOST = "lost"  # hilang, also a transfer's shortfall
    FOUND = "found"  # ditemukan
    COUNT_CORRECTION = "count_correction"  # koreksi hitung
    DONATION_IN_KIND = "donation_in_kind"  # hibah barang


REASON_SIGN = {
    AdjustmentReason.DAMAGED: -1,
    AdjustmentReason.EXPIRED: -1,
    AdjustmentReason.LOST: -1,
    AdjustmentReason.FOUND: 1,
    AdjustmentReason.COUNT_CORRECTION: 0,  # either way
    AdjustmentReason.DONATION_IN_KIND: 1,
}


class Document(Base):
    __tablename__ = "stock_documents"
    __table_args__ = (
        CheckConstraint(_one_of("kind", DocumentKind), name="kind_known"),
        CheckConstraint(f"status IS NULL OR {_one_of('status', TransferStatus)}",
                        name="status_known"),
        CheckConstraint(f"reason IS NULL OR {_one_of('reason', AdjustmentReason)}",
                        name="reason_known"),
        # A retried request finds the document its first attempt posted.
        UniqueConstraint("actor_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    to_warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"), index=True)
    document_date: Mapped[date]
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(12))  # transfers only

    supplier_ref: Mapped[str | None] = mapped_column(String(80))  # receipt: supplier's papers
    recipient_kind: Mapped[str | None] = mapped_column(String(20))
    recipient_name: Mapped[str | None] = mapped_column(String(160))
    giver_name: Mapped[str | None] = mapped_column(String(120))
    receiver_name: Mapped[str | None] = mapped_column(String(120))
    witness_name: Mapped[str | None] = mapped_column(String(120))
    request_ref: Mapped[str | None] = mapped_column(String(80))
    authority_ref: Mapped[str | None] = mapped_column(String(160))  # emergency status / order
    reason: Mapped[str | None] = mapped_column(String(20))

    # A transfer receipt, or an adjustment settling a shortfall, points at its transfer.
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("stock_documents.id"), index=True)
    # Unique: a document is reversed at most once.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_documents.id"), unique=True)

    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))

    warehouse: Mapped[Warehouse] = relationship(foreign_keys=[warehouse_id])
    to_warehouse: Mapped[Warehouse | None] = relationship(foreign_keys=[to_warehouse_id])
    actor = relationship("User")
    movements = relationship("Movement", back_populates="document", order_by="Movement.id")
    transfer: Mapped[Document | None] = relationship(
        remote_side=[id], foreign_keys=[transfer_id]
    )
    reverses: Mapped[Document | None] = relationship(
        remote_side=[id], foreign_keys=[reverses_id]
    )

    def __repr__(self) -> str:
        return f"<Document {self.number}>"


class DocumentSequence(Base):
    """The last number used per prefix and year, so numbers have no gaps and no twins."""

    __tablename__ = "document_sequences"

    prefix: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_value: Mapped[int] = mapped_column(default=0)


def set_transfer_status(session, transfer_id: int, *, old: str, new: str) -> bool:
    """Move a transfer on only if it is still in ``old``; the guard makes it race-free."""
    result = session.execute(
        update(Document)
        .where(Document.id == transfer_id, Document.status == old)
        .values(status=new)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


def next_number(session, kind: DocumentKind, warehouse: Warehouse, year: int) -> str:
    """Take the next number, e.g. ``BAST-LS-ENG-2026-00012``; the row lock keeps it unique."""
    prefix = f"{NUMBER_PREFIX[kind]}-{warehouse.code}-{year}"
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DocumentSequence).values(prefix=prefix, last_value=1)
    statement = statement.on_conflict_do_update(
        index_elements=["prefix"], set_={"last_value": DocumentSequence.last_value + 1}
    ).returning(DocumentSequence.last_value)
    return f"{prefix}-{session.execute(statement).scalar_one():05d}"
