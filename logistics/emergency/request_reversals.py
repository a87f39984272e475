"""A reversed release reopens what it delivered of a posko's request.

Registered with `logistics.stock.reversals` when this module is imported, so stock never
imports the emergency module. Each release's share of a request line is a `Fulfilment` row;
when the release is reversed, each line it met loses that quantity again (a guarded update,
never below zero) and the request steps back: fulfilled to partly fulfilled, or to approved
once nothing it delivered stands. A cancelled request stays cancelled; its lines only count
less. The request rows are locked first, in id order, as a delivery locks its request before
the stock it releases, so a delivery and a reversal of one request queue instead of
deadlocking.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from logistics.core import status
from logistics.emergency.request_models import (
    REQUEST_FLOW,
    Fulfilment,
    RequestLine,
    RequestStatus,
    StockRequest,
)
from logistics.errors import InvalidTransition
from logistics.stock import reversals
from logistics.stock.documents import Document

STEPS_BACK = (RequestStatus.FULFILLED, RequestStatus.PARTLY_FULFILLED)


def reopen_delivered(session, original: Document) -> None:
    """Take back from each request line what ``original`` delivered of it."""
    delivered = session.execute(
        select(RequestLine.request_id, Fulfilment.line_id, func.sum(Fulfilment.qty))
        .join(RequestLine, RequestLine.id == Fulfilment.line_id)
        .where(Fulfilment.document_id == original.id)
        .group_by(RequestLine.request_id, Fulfilment.line_id)
        .order_by(RequestLine.request_id, Fulfilment.line_id)).all()
    if not delivered:
        return
    request_ids = sorted({request_id for request_id, _, _ in delivered})
    session.execute(select(StockRequest.id).where(StockRequest.id.in_(request_ids))
                    .order_by(StockRequest.id).with_for_update(key_share=True))
    # Read under the lock: a reversal that won a race has already taken it back.
    if session.scalar(select(Document.id).where(Document.reverses_id == original.id)):
        return
    for _, line_id, qty in delivered:
        taken = session.execute(
            update(RequestLine)
            .where(RequestLine.id == line_id, RequestLine.fulfilled_qty >= qty)
            .values(fulfilled_qty=RequestLine.fulfilled_qty - qty)
            .execution_options(synchronize_session="fetch"))
        if taken.rowcount != 1:  # every delivery raised the line by what its row records
            raise RuntimeError(f"request line {line_id} counts less than release "
                               f"{original.number} delivered of it")
    for request_id in request_ids:
        _step_back(session, request_id)
    session.flush()


def _step_back(session, request_id: int) -> None:
    current = session.scalar(select(StockRequest.status).where(StockRequest.id == request_id)
                             .execution_options(populate_existing=True))
    if current not in STEPS_BACK:
        return
    still = session.scalar(select(func.coalesce(func.sum(RequestLine.fulfilled_qty), 0))
                           .where(RequestLine.request_id == request_id))
    new = RequestStatus.PARTLY_FULFILLED if still else RequestStatus.APPROVED
    if new != current and not status.move_if(session, StockRequest, request_id, REQUEST_FLOW,
                                             old=current, new=new):
        raise InvalidTransition(old=REQUEST_FLOW.label(current), new=REQUEST_FLOW.label(new),
                                old_code=current, new_code=new)


reversals.on_reversal("emergency.requests", reopen_delivered)
