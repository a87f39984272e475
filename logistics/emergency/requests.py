"""A posko asks the warehouses for goods; a coordinator decides; keepers deliver.

Every status change goes through `REQUEST_FLOW` with a guarded update (`logistics.core.status`),
so two coordinators deciding at once get one decision and one 409 naming from and to. A
delivery posts one release through the stock verb `issue_stock` (never touching balances) and
raises each line's ``fulfilled_qty`` with a guarded ``UPDATE … WHERE fulfilled_qty + :n <=
approved_qty``: two keepers delivering the last of a line at once never deliver more than was
approved, and the loser's release is rolled back with it.
"""

from __future__ import annotations

from sqlalchemy import select, update

from logistics.accounts.roles import Permission
from logistics.calendar import local_today
from logistics.core import status
from logistics.core.atomic import all_or_nothing, idempotent
from logistics.core.numbering import next_number
from logistics.db import utcnow
from logistics.emergency import errors
from logistics.emergency.access import ensure_may_record_at
from logistics.emergency.lookups import open_event, posko_or_fail, posko_taking_requests
from logistics.emergency.request_models import (
    REQUEST_FLOW,
    Fulfilment,
    PoskoDelivery,
    RequestLine,
    RequestStatus,
    StockRequest,
)
from logistics.errors import InvalidInput, InvalidTransition, PermissionDenied
from logistics.i18n import N_
from logistics.stock import operations as stock_operations
from logistics.stock.documents import Document
from logistics.stock.errors import UnknownItem
from logistics.stock.lookups import postable_warehouse
from logistics.stock.models import Item

DELIVERABLE = (RequestStatus.APPROVED, RequestStatus.PARTLY_FULFILLED)
SIGNER_ARGUMENTS = ("witness_name", "giver_position", "giver_nip", "receiver_position",
                    "receiver_nip", "witness_position", "witness_nip")


class ItemNotRequestable(InvalidInput):
    message = N_("%(item)s is no longer in the catalogue.")


class LineNotDecided(InvalidInput):
    message = N_("Decide every line: line %(position)s (%(item)s) is missing.")


class LineNamedTwice(InvalidInput):
    message = N_("Line %(position)s is already decided above.")


class NothingApproved(InvalidInput):
    message = N_("Approve at least one line, or reject the request.")


def request_or_fail(session, request_id: int, *, lock: bool = False) -> StockRequest:
    """The request, or 404 (``lock``: read again, as another writer may have moved it)."""
    request = session.get(StockRequest, request_id, populate_existing=lock)
    if request is None:
        raise errors.UnknownRequest()
    return request


@idempotent("emergency.request")
def request_stock(session, *, actor, posko_id, lines, needed_by=None, notes=None,
                  submit=False, today=None) -> StockRequest:
    """Ask for goods on behalf of a posko the actor staffs; ``submit`` sends it at once."""
    today = today or local_today()
    posko = posko_or_fail(session, posko_id, field="posko_id")
    ensure_may_record_at(session, actor, posko)
    open_event(session, posko.event_id, today, field="posko_id")
    posko_taking_requests(session, posko, field="posko_id")
    for index, line in enumerate(lines):
        item = session.get(Item, line["item_id"])
        if item is None:
            raise UnknownItem(item=line["item_id"], field=f"lines.{index}.item_id")
        if not item.is_active:
            raise ItemNotRequestable(item=item.name_id, field=f"lines.{index}.item_id")
    days = [day for day in [needed_by, *(line.get("needed_by") for line in lines)] if day]
    request = StockRequest(
        number=next_number(session, "PMT", posko.code, today.year), event_id=posko.event_id,
        posko_id=posko.id, status=RequestStatus.DRAFT, needed_by=min(days, default=None),
        notes=notes, requested_by_id=actor.id,
        lines=[RequestLine(position=index + 1, item_id=line["item_id"], qty=line["qty"],
                           needed_by=line.get("needed_by") or needed_by, fulfilled_qty=0)
               for index, line in enumerate(lines)])
    session.add(request)
    session.flush()
    if submit:
        _submit(session, request)
    return request


@all_or_nothing
def submit_request(session, *, actor, request_id) -> StockRequest:
    """Send a draft to the coordinators."""
    request = request_or_fail(session, request_id)
    ensure_may_record_at(session, actor, request.posko)
    posko_taking_requests(session, request.posko)
    _submit(session, request)
    return request


def _submit(session, request: StockRequest) -> None:
    status.move(session, StockRequest, request.id, REQUEST_FLOW, to=RequestStatus.SUBMITTED,
                from_=RequestStatus.DRAFT, submitted_at=utcnow())
    session.refresh(request)


@all_or_nothing
def approve_request(session, *, actor, request_id, lines) -> StockRequest:
    """Approve each line, possibly less than asked (0 declines that line); every line must be
    named once, so nothing is approved by default."""
    _ensure(actor, Permission.DECIDE_REQUESTS)
    request = request_or_fail(session, request_id)
    open_event(session, request.event_id, local_today(), field=None)  # none after the end
    posko_taking_requests(session, request.posko)
    by_id = {line.id: line for line in request.lines}
    approved: dict[int, int] = {}
    for index, decision in enumerate(lines):
        line = by_id.get(decision["line_id"])
        if line is None:
            raise errors.UnknownLine(number=request.number, field=f"lines.{index}.line_id")
        if line.id in approved:
            raise LineNamedTwice(position=line.position, field=f"lines.{index}.line_id")
        if decision["approved_qty"] > line.qty:
            raise errors.ApprovedMoreThanAsked(approved=decision["approved_qty"], asked=line.qty,
                                               field=f"lines.{index}.approved_qty")
        approved[line.id] = decision["approved_qty"]
    for line in request.lines:
        if line.id not in approved:
            raise LineNotDecided(position=line.position, item=line.item.name_id, field="lines")
    if not any(approved.values()):
        raise NothingApproved(field="lines")
    status.move(session, StockRequest, request.id, REQUEST_FLOW, to=RequestStatus.APPROVED,
                from_=RequestStatus.SUBMITTED, decided_by_id=actor.id, decided_at=utcnow())
    for line_id, qty in approved.items():
        session.execute(update(RequestLine).where(RequestLine.id == line_id)
                        .values(approved_qty=qty).execution_options(synchronize_session=False))
    session.flush()
    session.refresh(request)
    for line in request.lines:
        session.refresh(line)
    return request


@all_or_nothing
def reject_request(session, *, actor, request_id, reason=None) -> StockRequest:
    """Refuse a submitted request, saying why."""
    _ensure(actor, Permission.DECIDE_REQUESTS)
    request = request_or_fail(session, request_id)
    reason = _reason(reason)
    status.move(session, StockRequest, request.id, REQUEST_FLOW, to=RequestStatus.REJECTED,
                from_=RequestStatus.SUBMITTED, decided_by_id=actor.id, decided_at=utcnow(),
                reason=reason)
    session.refresh(request)
    return request


@all_or_nothing
def cancel_request(session, *, actor, request_id, reason=None) -> StockRequest:
    """Withdraw a request not yet fulfilled (what was delivered stays delivered)."""
    request = request_or_fail(session, request_id)
    ensure_may_record_at(session, actor, request.posko)
    reason = _reason(reason)
    status.move(session, StockRequest, request.id, REQUEST_FLOW, to=RequestStatus.CANCELLED,
                from_=request.status, reason=reason)
    session.refresh(request)
    return request


@idempotent("emergency.fulfil")
def fulfil_request(session, *, actor, request_id, warehouse_id, lines, giver_name,
                   receiver_name, document_date=None, notes=None, authority_ref=None,
                   today=None, **signers) -> Document:
    """Deliver approved goods from one warehouse: one release (BAST) to the request's posko.

    ``lines`` name request lines (``line_id``, ``qty``, optionally ``lot_id``; without a lot,
    first expiry first out). A line named twice adds up. Nothing beyond what is approved and
    still open leaves, also when two keepers deliver at once.
    """
    today = today or local_today()
    unknown = set(signers) - set(SIGNER_ARGUMENTS)
    if unknown:
        raise TypeError(f"unexpected arguments {sorted(unknown)}")
    postable_warehouse(session, actor, warehouse_id)
    request, held = _hold_deliverable(session, request_id)
    by_id = {line.id: line for line in request.lines}
    wanted: dict[int, int] = {}
    issue_lines = []
    for index, entry in enumerate(lines):
        line = by_id.get(entry["line_id"])
        if line is None:
            raise errors.UnknownLine(number=request.number, field=f"lines.{index}.line_id")
        wanted[line.id] = wanted.get(line.id, 0) + entry["qty"]
        if wanted[line.id] > line.open_qty:
            raise errors.FulfilledMoreThanApproved(
                qty=wanted[line.id], open=line.open_qty, approved=line.approved_qty or 0,
                field=f"lines.{index}.qty")
        issue_lines.append({"item_id": line.item_id, "qty": entry["qty"],
                            "lot_id": entry.get("lot_id")})
    document = stock_operations.issue_stock(
        session, actor=actor, warehouse_id=warehouse_id, lines=issue_lines,
        giver_name=giver_name, receiver_name=receiver_name, posko_id=request.posko_id,
        request_ref=request.number, authority_ref=authority_ref, document_date=document_date,
        notes=notes, today=today, **signers)
    for line_id in sorted(wanted):
        _deliver(session, by_id[line_id], wanted[line_id], document)
    session.execute(update(PoskoDelivery).where(PoskoDelivery.document_id == document.id)
                    .values(request_id=request.id).execution_options(synchronize_session=False))
    still_open = session.scalar(
        select(RequestLine.id).where(RequestLine.request_id == request.id,
                                     RequestLine.fulfilled_qty < RequestLine.approved_qty)
        .limit(1))
    new = RequestStatus.PARTLY_FULFILLED if still_open else RequestStatus.FULFILLED
    if not status.move_if(session, StockRequest, request.id, REQUEST_FLOW, old=held, new=new):
        raise InvalidTransition(old=REQUEST_FLOW.label(held), new=REQUEST_FLOW.label(new),
                                old_code=held, new_code=new)
    session.flush()
    return document


def _hold_deliverable(session, request_id) -> tuple[StockRequest, str]:
    """Lock the request while it stays deliverable: a second keeper delivering at once waits
    here and then reads what the first delivered (a hold, `status.move_if` with old == new)."""
    for _ in range(3):
        request = request_or_fail(session, request_id, lock=True)
        current = request.status
        if current not in DELIVERABLE:
            break
        if status.move_if(session, StockRequest, request.id, REQUEST_FLOW, old=current,
                          new=current):
            for line in request.lines:
                session.refresh(line)  # as the holder of the lock sees them now
            return request, current
    # A delivery moves a request to partly fulfilled (or fulfilled): named so in the refusal.
    target = RequestStatus.PARTLY_FULFILLED
    raise InvalidTransition(old=REQUEST_FLOW.label(current), new=REQUEST_FLOW.label(target),
                            old_code=current, new_code=target)


def _deliver(session, line: RequestLine, qty: int, document: Document) -> None:
    raised = session.execute(
        update(RequestLine)
        .where(RequestLine.id == line.id,
               RequestLine.fulfilled_qty + qty <= RequestLine.approved_qty)
        .values(fulfilled_qty=RequestLine.fulfilled_qty + qty)
        .execution_options(synchronize_session=False))
    if raised.rowcount != 1:
        session.refresh(line)
        raise errors.FulfilledMoreThanApproved(qty=qty, open=line.open_qty,
                                               approved=line.approved_qty or 0)
    session.add(Fulfilment(line_id=line.id, document_id=document.id, qty=qty))
    session.flush()
    session.refresh(line)


def _reason(reason) -> str:
    if not (reason or "").strip():
        raise errors.ReasonRequired(field="reason")
    return reason.strip()


def _ensure(actor, permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied()
