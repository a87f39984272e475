"""Stock documents: the numbered, dated, signed papers every movement hangs from.

A posted document is never edited or deleted; a mistake is undone by a reversal document.
The only field that changes after posting is a transfer's status (in transit -> received).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.core import numbering, status
from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.errors import InvalidInput
from logistics.i18n import N_
from logistics.stock import errors
from logistics.stock.models import Warehouse


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


TRANSFER_FLOW = status.Flow("stock.transfer", moves={
    TransferStatus.IN_TRANSIT: frozenset({TransferStatus.RECEIVED, TransferStatus.CANCELLED}),
    # Reversing the receipt puts the transfer back on the road.
    TransferStatus.RECEIVED: frozenset({TransferStatus.IN_TRANSIT}),
}, labels={
    TransferStatus.IN_TRANSIT: N_("in transit"),
    TransferStatus.RECEIVED: N_("received"),
    TransferStatus.CANCELLED: N_("cancelled"),
})


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
        CheckConstraint(one_of("kind", DocumentKind), name="kind_known"),
        CheckConstraint(f"status IS NULL OR {one_of('status', TransferStatus)}",
                        name="status_known"),
        CheckConstraint(f"reason IS NULL OR {one_of('reason', AdjustmentReason)}",
                        name="reason_known"),
        # A document is reversed at most once; two people reversing it at once: one wins.
        UniqueConstraint("reverses_id", info={"violation": lambda session, arguments:
                                              _already_reversed(session, arguments)}),
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
    # The BAST prints each signer's jabatan and NIP (18 digits) under the name, when given.
    giver_position: Mapped[str | None] = mapped_column(String(120))
    giver_nip: Mapped[str | None] = mapped_column(String(18))
    receiver_position: Mapped[str | None] = mapped_column(String(120))
    receiver_nip: Mapped[str | None] = mapped_column(String(18))
    witness_position: Mapped[str | None] = mapped_column(String(120))
    witness_nip: Mapped[str | None] = mapped_column(String(18))
    request_ref: Mapped[str | None] = mapped_column(String(80))
    authority_ref: Mapped[str | None] = mapped_column(String(160))  # emergency status / order
    reason: Mapped[str | None] = mapped_column(String(20))

    # A transfer receipt, or an adjustment settling a shortfall, points at its transfer.
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("stock_documents.id"), index=True)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_documents.id"))

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


FUTURE_DATE = N_("A document cannot be dated in the future.")


def open_document(session, actor, kind: DocumentKind, warehouse: Warehouse, today, *,
                  document_date=None, **fields) -> Document:
    """Number and add a document dated ``document_date`` (today when not given)."""
    document_date = document_date or today
    if document_date > today:
        raise InvalidInput(FUTURE_DATE,
                           field="document_date")
    document = Document(
        kind=kind, warehouse_id=warehouse.id, document_date=document_date, actor_id=actor.id,
        number=numbering.next_number(session, NUMBER_PREFIX[kind], warehouse.code,
                                     document_date.year),
        **fields,
    )
    session.add(document)
    session.flush()
    document.warehouse = warehouse
    return document


def set_transfer_status(session, transfer_id: int, *, old: str, new: str) -> bool:
    """Move a transfer on only if it is still in ``old``; ``old == new`` holds it there."""
    return status.move_if(session, Document, transfer_id, TRANSFER_FLOW, old=old, new=new)


def _already_reversed(session, arguments) -> errors.AlreadyReversed:
    original = session.get(Document, arguments.get("document_id"))
    reversal = session.scalar(select(Document).where(Document.reverses_id == original.id))
    return errors.AlreadyReversed(number=original.number,
                                  reversal=reversal.number if reversal else "-")
