"""A posko's request to the warehouses, its lines and what each release delivered of them.

The status moves through `REQUEST_FLOW` only (guarded updates, `logistics.core.status`); the
quantities are guarded twice: an operation's ``UPDATE … WHERE fulfilled_qty + :n <=
approved_qty`` first, the CHECK constraints below last, so two coordinators fulfilling at
once can never deliver more than was approved.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logistics.core import status
from logistics.db import Base, UTCDateTime, one_of, utcnow
from logistics.i18n import N_


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PARTLY_FULFILLED = "partly_fulfilled"
    FULFILLED = "fulfilled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


OPEN_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.APPROVED,
                           RequestStatus.PARTLY_FULFILLED})

REQUEST_FLOW = status.Flow("emergency.request", moves={
    RequestStatus.DRAFT: frozenset({RequestStatus.SUBMITTED, RequestStatus.CANCELLED}),
    RequestStatus.SUBMITTED: frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED,
                                        RequestStatus.CANCELLED}),
    RequestStatus.APPROVED: frozenset({RequestStatus.PARTLY_FULFILLED, RequestStatus.FULFILLED,
                                       RequestStatus.CANCELLED}),
    # A partial delivery holds the request where it is (a hold, see status.move_if) or ends it.
    RequestStatus.PARTLY_FULFILLED: frozenset({RequestStatus.FULFILLED,
                                               RequestStatus.CANCELLED,
                                               RequestStatus.APPROVED}),
    # Reversing a release steps back (logistics.emergency.request_reversals): only then.
    RequestStatus.FULFILLED: frozenset({RequestStatus.PARTLY_FULFILLED,
                                        RequestStatus.APPROVED}),
}, labels={
    RequestStatus.DRAFT: N_("draft"),
    RequestStatus.SUBMITTED: N_("submitted"),
    RequestStatus.APPROVED: N_("approved"),
    RequestStatus.PARTLY_FULFILLED: N_("partly fulfilled"),
    RequestStatus.FULFILLED: N_("fulfilled"),
    RequestStatus.REJECTED: N_("rejected"),
    RequestStatus.CANCELLED: N_("cancelled"),
})


class StockRequest(Base):
    __tablename__ = "stock_requests"
    __table_args__ = (CheckConstraint(one_of("status", RequestStatus), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    posko_id: Mapped[int] = mapped_column(ForeignKey("posko.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.DRAFT, index=True)
    needed_by: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(String(500))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(500))  # why rejected or cancelled

    event = relationship("Event")
    posko = relationship("Posko")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    lines: Mapped[list[RequestLine]] = relationship(
        back_populates="request", order_by="RequestLine.position")

    def __repr__(self) -> str:
        return f"<StockRequest {self.number} {self.status}>"


class RequestLine(Base):
    __tablename__ = "request_lines"
    __table_args__ = (
        CheckConstraint("qty > 0", name="qty_pos"),
        CheckConstraint("approved_qty IS NULL OR (approved_qty >= 0 AND approved_qty <= qty)",
                        name="approved_le_asked"),
        CheckConstraint("fulfilled_qty >= 0 AND fulfilled_qty <= COALESCE(approved_qty, 0)",
                        name="fulfilled_le_approved"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("stock_requests.id"), index=True)
    position: Mapped[int]
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)
    qty: Mapped[int]
    approved_qty: Mapped[int | None]
    fulfilled_qty: Mapped[int] = mapped_column(default=0)
    needed_by: Mapped[date | None]

    request: Mapped[StockRequest] = relationship(back_populates="lines")
    item = relationship("Item")

    @property
    def open_qty(self) -> int:
        """What was approved and not yet delivered."""
        return (self.approved_qty or 0) - self.fulfilled_qty


class Fulfilment(Base):
    """How much of a request line one release (an issue document, its BAST) delivered."""

    __tablename__ = "request_fulfilments"
    __table_args__ = (CheckConstraint("qty > 0", name="qty_pos"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("request_lines.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id"), index=True)
    qty: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    line: Mapped[RequestLine] = relationship()
    document = relationship("Document")


class PoskoDelivery(Base):
    """A stock release made to a posko: what makes delivered-per-posko a query.

    Kept here rather than as a column of the stock document, so stock knows nothing of
    events; a reversal of the release is found through its ``reverses_id``.
    """

    __tablename__ = "posko_deliveries"

    document_id: Mapped[int] = mapped_column(ForeignKey("stock_documents.id"), primary_key=True)
    posko_id: Mapped[int] = mapped_column(ForeignKey("posko.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    emergency_status_id: Mapped[int | None] = mapped_column(ForeignKey("emergency_statuses.id"))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("stock_requests.id"), index=True)

    document = relationship("Document")
    posko = relationship("Posko")
