"""The stock verbs: receive, issue, transfer, receive a transfer, adjust, count, reverse.

Each checks its rules, opens a numbered document and hands its changes to
`ledger.post_changes`. None commits: the caller commits once, so a document posts whole or not
at all. Every verb is `@idempotent` (logistics.core.atomic): it runs in a savepoint and accepts
an ``idempotency_key``; a retry with the same key returns the document the first attempt posted,
even when both attempts race.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from logistics.calendar import local_today
from logistics.core.atomic import idempotent
from logistics.core.settings import settings_for
from logistics.i18n import N_
from logistics.stock import errors, reversals
from logistics.stock.access import ensure_may_post_in
from logistics.stock.documents import (
    REASON_SIGN,
    AdjustmentReason,
    Document,
    DocumentKind,
    RecipientKind,
    TransferStatus,
    open_document,
    set_transfer_status,
)
from logistics.stock.ledger import Change, lock_groups, post_changes
from logistics.stock.lookups import (
    check_expiry,
    item_or_fail,
    lot_of_item,
    lot_or_fail,
    postable_warehouse,
    quantity_of,
    receiving_lots,
    transfer_or_fail,
    warehouse_or_fail,
)
from logistics.stock.models import Lot, LotSource
from logistics.stock.queries import transfer_shortfall
from logistics.stock.recipients import posko_recipient


@idempotent("stock.receive")
def receive_stock(session, *, actor, warehouse_id, lines, source=LotSource.KEMENSOS,
                  donor_name=None, supplier_ref=None, document_date=None, notes=None,
                  confirm_expiry=False, today=None) -> Document:
    """Take goods into a warehouse; each line names or creates the lot it belongs to. An
    expiry already passed or over ten years away is refused unless ``confirm_expiry``."""
    today = today or local_today()
    warehouse = postable_warehouse(session, actor, warehouse_id)
    if not confirm_expiry:
        for index, line in enumerate(lines):
            check_expiry(line.get("expires_on"), today, index)
    document = open_document(
        session, actor, DocumentKind.RECEIPT, warehouse, today,
        document_date=document_date, notes=notes, supplier_ref=supplier_ref,
    )
    items = [item_or_fail(session, line["item_id"], index) for index, line in enumerate(lines)]
    lots = receiving_lots(session, items, lines, source=source, donor_name=donor_name,
                          received_on=document.document_date, number=document.number)
    changes = [Change(warehouse.id, item.id, quantity_of(item, line, index), lot.id, line=index)
               for index, (item, line, lot) in enumerate(zip(items, lines, lots, strict=True))]
    post_changes(session, document, changes, today=today)
    return document


@idempotent("stock.issue")
def issue_stock(session, *, actor, warehouse_id, lines, giver_name, receiver_name,
                recipient_kind=None, recipient_name=None, posko_id=None, witness_name=None,
                request_ref=None, authority_ref=None, document_date=None, notes=None,
                today=None, giver_position=None, giver_nip=None, receiver_position=None,
                receiver_nip=None, witness_position=None, witness_nip=None) -> Document:
    """Release goods against a handover record (BAST); lines without a lot go first-expiry-first.

    A release to a posko names it by ``posko_id``: the posko's name goes on the BAST and the
    emergency decree in force that day is cited, unless a written order is given instead.
    """
    today = today or local_today()
    warehouse = postable_warehouse(session, actor, warehouse_id)
    recipient = None
    if posko_id is not None:
        recipient = posko_recipient(session, posko_id, document_date or today)
        recipient_kind, recipient_name = recipient.kind, recipient.name
        authority_ref = authority_ref or recipient.authority_ref
    elif recipient_kind == RecipientKind.POSKO:
        raise errors.PoskoRequired(field="posko_id")
    elif not (recipient_name or "").strip():
        raise errors.RecipientRequired(field="recipient_name")
    gate = settings_for(session).stock_emergency_gate
    if gate and warehouse.is_lumbung_sosial and not (authority_ref or "").strip():
        raise errors.AuthorityRequired(field="authority_ref")
    document = open_document(
        session, actor, DocumentKind.ISSUE, warehouse, today,
        document_date=document_date, notes=notes, recipient_kind=recipient_kind,
        recipient_name=recipient_name, giver_name=giver_name, receiver_name=receiver_name,
        witness_name=witness_name, request_ref=request_ref, authority_ref=authority_ref,
        giver_position=giver_position, giver_nip=giver_nip,
        receiver_position=receiver_position, receiver_nip=receiver_nip,
        witness_position=witness_position, witness_nip=witness_nip,
    )
    changes = _outgoing_changes(session, warehouse, lines, today)
    post_changes(session, document, changes, today=today)
    if recipient is not None:
        recipient.record(session, document)
    return document


@idempotent("stock.transfer")
def transfer_stock(session, *, actor, warehouse_id, to_warehouse_id, lines, document_date=None,
                   notes=None, today=None) -> Document:
    """Send goods to another warehouse, where they wait in transit until received."""
    today = today or local_today()
    warehouse = postable_warehouse(session, actor, warehouse_id)
    destination = warehouse_or_fail(session, to_warehouse_id, field="to_warehouse_id")
    if destination.id == warehouse.id:
        raise errors.SameWarehouse(field="to_warehouse_id")
    if not destination.is_active:
        raise errors.InactiveWarehouse(warehouse=destination.name, field="to_warehouse_id")
    document = open_document(
        session, actor, DocumentKind.TRANSFER, warehouse, today,
        document_date=document_date, notes=notes, to_warehouse_id=destination.id,
        status=TransferStatus.IN_TRANSIT,
    )
    changes = _outgoing_changes(session, warehouse, lines, today)
    lock_groups(session, [change.group for change in changes]
                + [(destination.id, True, change.item_id) for change in changes])
    resolved = post_changes(session, document, changes, today=today)
    arriving = [Change(destination.id, m.item_id, -m.qty, m.lot_id, is_in_transit=True)
                for m in resolved]
    post_changes(session, document, arriving, today=today)
    return document


@idempotent("stock.receive_transfer")
def receive_transfer(session, *, actor, transfer_id, lines=None, document_date=None,
                     notes=None, today=None) -> Document:
    """Record what arrived of a transfer (all when ``lines`` is None); a shortfall stays open."""
    today = today or local_today()
    transfer = transfer_or_fail(session, transfer_id)
    destination = transfer.to_warehouse
    ensure_may_post_in(session, actor, destination)
    document = open_document(
        session, actor, DocumentKind.TRANSFER_RECEIPT, destination, today,
        document_date=document_date, notes=notes, transfer_id=transfer.id,
    )
    if not set_transfer_status(session, transfer.id, old=TransferStatus.IN_TRANSIT,
                               new=TransferStatus.RECEIVED):
        raise errors.TransferNotInTransit(number=transfer.number)
    on_the_road = transfer_shortfall(session, transfer)  # what it carried, per lot
    received = on_the_road if lines is None else _arrived_per_lot(session, transfer, lines,
                                                                   on_the_road)
    changes = []
    for lot_id, qty in sorted(received.items()):
        if qty:
            item_id = session.get(Lot, lot_id).item_id
            changes.append(Change(destination.id, item_id, -qty, lot_id, is_in_transit=True))
            changes.append(Change(destination.id, item_id, qty, lot_id))
    post_changes(session, document, changes, today=today)
    return document


@idempotent("stock.adjust")
def adjust_stock(session, *, actor, warehouse_id, reason, lines, transfer_id=None,
                 document_date=None, notes=None, today=None) -> Document:
    """Correct stock for a stated reason; with ``transfer_id`` it settles a transfer's shortfall."""
    today = today or local_today()
    reason = AdjustmentReason(reason)
    warehouse = postable_warehouse(session, actor, warehouse_id)
    in_transit = transfer_id is not None
    if in_transit:
        transfer = transfer_or_fail(session, transfer_id)
        if transfer.to_warehouse_id != warehouse.id:
            raise errors.NotATransfer(number=transfer.number, field="transfer_id")
    for index, line in enumerate(lines):
        sign = REASON_SIGN[reason]
        if sign and (line["qty"] > 0) != (sign > 0):
            raise errors.WrongSign(reason=reason.value, qty=line["qty"], field=f"lines.{index}.qty")
    document = open_document(
        session, actor, DocumentKind.ADJUSTMENT, warehouse, today,
        document_date=document_date, notes=notes, reason=reason, transfer_id=transfer_id,
    )
    changes = []
    for index, line in enumerate(lines):
        item = item_or_fail(session, line["item_id"], index)
        lot = lot_of_item(session, item, line["lot_id"], index)
        changes.append(Change(warehouse.id, item.id, line["qty"], lot.id, is_in_transit=in_transit,
                              line=index))
    if in_transit:
        _check_open_shortfall(session, transfer, changes)
    post_changes(session, document, changes, today=today)
    return document


@idempotent("stock.count")
def count_stock(session, *, actor, warehouse_id, lines, document_date=None, notes=None,
                today=None) -> Document:
    """Post a stock count: each counted lot is set to what the shelf held, the difference logged."""
    today = today or local_today()
    warehouse = postable_warehouse(session, actor, warehouse_id)
    document = open_document(
        session, actor, DocumentKind.COUNT, warehouse, today,
        document_date=document_date, notes=notes, reason=AdjustmentReason.COUNT_CORRECTION,
    )
    changes, counted_on = [], {}
    for index, line in enumerate(lines):
        item = item_or_fail(session, line["item_id"], index)
        lot = lot_of_item(session, item, line["lot_id"], index)
        if lot.id in counted_on:  # two figures for one shelf: neither can be taken as counted
            raise errors.LotCountedTwice(lot=lot.batch_no, line=counted_on[lot.id] + 1,
                                         field=f"lines.{index}.lot_id")
        counted_on[lot.id] = index
        changes.append(Change(warehouse.id, item.id, 0, lot.id, counted_qty=line["counted_qty"],
                              line=index))
    post_changes(session, document, changes, today=today)
    return document


@idempotent("stock.reverse")
def reverse_document(session, *, actor, document_id, notes, document_date=None,
                     today=None) -> Document:
    """Undo a posted document with a new one that negates each of its lines."""
    today = today or local_today()
    original = session.get(Document, document_id)
    if original is None:
        raise errors.UnknownDocument()
    ensure_may_post_in(session, actor, original.warehouse)
    if original.kind == DocumentKind.REVERSAL:
        raise errors.CannotReverse(number=original.number, why=N_("it is a reversal itself."))
    _ensure_not_reversed(session, original)
    # Records built on the document (a request it met) are undone first, under their own
    # locks, in the order their writers take them: a request before the stock it released.
    reversals.reversing(session, original)
    _ensure_not_reversed(session, original)  # read again: a listener may have waited
    document = open_document(
        session, actor, DocumentKind.REVERSAL, original.warehouse, today,
        document_date=document_date, notes=notes, reverses_id=original.id,
    )
    if original.kind == DocumentKind.TRANSFER and not set_transfer_status(
            session, original.id, old=TransferStatus.IN_TRANSIT, new=TransferStatus.CANCELLED):
        raise errors.CannotReverse(number=original.number,
                                   why=N_("it was received; reverse its receipt first."))
    if original.kind == DocumentKind.TRANSFER_RECEIPT and (not set_transfer_status(
            session, original.transfer_id, old=TransferStatus.RECEIVED,
            new=TransferStatus.IN_TRANSIT) or _has_standing_settlement(session, original)):
        raise errors.CannotReverse(number=original.number,
                                   why=N_("its transfer has settled shortfalls or was changed."))
    changes = [Change(m.warehouse_id, m.item_id, -m.qty, m.lot_id, m.is_in_transit)
               for m in original.movements]
    post_changes(session, document, changes, today=today)
    return document


def _ensure_not_reversed(session, original: Document) -> None:
    existing = session.scalar(select(Document).where(Document.reverses_id == original.id))
    if existing is not None:
        raise errors.AlreadyReversed(number=original.number, reversal=existing.number)


def _has_standing_settlement(session, receipt: Document) -> bool:
    """Whether a write-off of the transfer's shortfall stands (not reversed).

    Un-receiving the transfer then would put it back in transit short of what it carried, and
    a later receipt or cancellation would take units of another transfer still on the road.
    """
    reversed_ids = select(Document.reverses_id).where(Document.reverses_id.is_not(None))
    return session.scalar(select(Document.id).where(
        Document.transfer_id == receipt.transfer_id, Document.kind == DocumentKind.ADJUSTMENT,
        Document.id.not_in(reversed_ids)).limit(1)) is not None


def _arrived_per_lot(session, transfer: Document, lines, on_the_road) -> dict[int, int]:
    """What arrived per lot; the lines of one lot together may not exceed what it carried."""
    lots = [lot_or_fail(session, line["lot_id"], index) for index, line in enumerate(lines)]

    def refuse(index, total, repeated):
        return errors.ReceivedMoreThanSent(
            errors.ReceivedMoreThanSent.lines_message if repeated else None,
            number=transfer.number, lot=lots[index].batch_no,
            sent=on_the_road.get(lots[index].id, 0), received=total, field=f"lines.{index}.qty")

    return _summed_per_lot([(lot.id, line["qty"]) for lot, line in zip(lots, lines, strict=True)],
                           allowed=on_the_road, refuse=refuse)


def _check_open_shortfall(session, transfer: Document, changes: list[Change]) -> None:
    """A settlement may take from transit only what the transfer left there after receipt."""
    # A guarded no-op update rather than a read: it locks the transfer, so a reversal of its
    # receipt racing this settlement waits and then sees it.
    if not set_transfer_status(session, transfer.id, old=TransferStatus.RECEIVED,
                               new=TransferStatus.RECEIVED):
        raise errors.TransferNotReceived(number=transfer.number, field="transfer_id")
    open_per_lot = transfer_shortfall(session, transfer)

    def refuse(index, total, repeated):
        lot_id = changes[index].lot_id
        return errors.NothingToSettle(
            errors.NothingToSettle.lines_message if repeated else None,
            number=transfer.number, lot=session.get(Lot, lot_id).batch_no,
            open=open_per_lot.get(lot_id, 0), requested=total, field=f"lines.{index}.qty")

    if any(change.qty > 0 for change in changes):  # a settlement only writes off
        raise refuse(next(i for i, change in enumerate(changes) if change.qty > 0), 0, False)
    _summed_per_lot([(change.lot_id, -change.qty) for change in changes],
                    allowed=open_per_lot, refuse=refuse)


def _summed_per_lot(quantities, *, allowed: dict[int, int], refuse) -> dict[int, int]:
    """Add up (lot, qty) lines per lot; the first line that takes a lot past what is
    ``allowed`` of it is refused (``refuse(index, total, repeated)`` builds the error).

    Checking each line on its own would let two lines of one lot take it twice.
    """
    totals: dict[int, int] = {}
    for index, (lot_id, qty) in enumerate(quantities):
        repeated = lot_id in totals
        totals[lot_id] = totals.get(lot_id, 0) + qty
        if totals[lot_id] > allowed.get(lot_id, 0):
            raise refuse(index, totals[lot_id], repeated)
    return totals


def _outgoing_changes(session, warehouse, lines, today: date) -> list[Change]:
    changes = []
    for index, line in enumerate(lines):
        item = item_or_fail(session, line["item_id"], index)
        lot_id = line.get("lot_id")
        if lot_id is not None:
            lot = lot_of_item(session, item, lot_id, index)
            if lot.is_expired(today):
                raise errors.ExpiredLot(lot=lot.batch_no, item=item.name_id,
                                        expires_on=lot.expires_on,
                                        field=f"lines.{index}.lot_id")
        changes.append(Change(warehouse.id, item.id, -quantity_of(item, line, index), lot_id,
                              line=index))
    return changes
