"""Load-or-fail helpers for the verbs: each names the form field that was wrong."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.stock import errors
from logistics.stock.access import ensure_may_post_in
from logistics.stock.documents import Document, DocumentKind
from logistics.stock.models import Item, Lot, Warehouse


def postable_warehouse(session, actor, warehouse_id) -> Warehouse:
    warehouse = warehouse_or_fail(session, warehouse_id, field="warehouse_id")
    ensure_may_post_in(session, actor, warehouse)
    return warehouse


def warehouse_or_fail(session, warehouse_id, *, field) -> Warehouse:
    warehouse = session.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise errors.UnknownWarehouse(field=field)
    return warehouse


def transfer_or_fail(session, transfer_id) -> Document:
    transfer = session.get(Document, transfer_id)
    if transfer is None:
        raise errors.UnknownDocument(field="transfer_id")
    if transfer.kind != DocumentKind.TRANSFER:
        raise errors.NotATransfer(number=transfer.number, field="transfer_id")
    return transfer


def item_or_fail(session, item_id, index) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise errors.UnknownItem(item=item_id, field=f"lines.{index}.item_id")
    return item


def lot_or_fail(session, lot_id, index) -> Lot:
    lot = session.get(Lot, lot_id)
    if lot is None:
        raise errors.UnknownLot(lot=lot_id, field=f"lines.{index}.lot_id")
    return lot


def lot_of_item(session, item: Item, lot_id, index) -> Lot:
    lot = lot_or_fail(session, lot_id, index)
    if lot.item_id != item.id:
        raise errors.LotOfAnotherItem(lot=lot.batch_no, lot_item=lot.item.name_id,
                                      item=item.name_id, field=f"lines.{index}.lot_id")
    return lot


def quantity_of(item: Item, line: dict, index: int) -> int:
    """Base-unit quantity of a line given either as ``qty`` or as ``packs`` of a named ``pack``."""
    if line.get("pack"):
        pack = next((p for p in item.packs if p.name == line["pack"]), None)
        if pack is None:
            raise errors.UnknownPack(item=item.name_id, pack=line["pack"],
                                     field=f"lines.{index}.pack")
        return line["packs"] * pack.base_qty
    return line["qty"]


def receiving_lot(session, item, line, index, *, source, donor_name, received_on, number) -> Lot:
    """Find the lot a receipt line names, or create it; non-perishables get one per receipt."""
    expires_on = line.get("expires_on")
    if item.is_perishable and expires_on is None:
        raise errors.ExpiryRequired(item=item.name_id, field=f"lines.{index}.expires_on")
    batch_no = (line.get("batch_no") or "").strip() or number
    lot = session.scalar(select(Lot).where(Lot.item_id == item.id, Lot.batch_no == batch_no))
    if lot is None:
        try:
            with session.begin_nested():
                lot = Lot(item_id=item.id, batch_no=batch_no, expires_on=expires_on,
                          source=source, donor_name=donor_name, received_on=received_on)
                session.add(lot)
                session.flush()
        except IntegrityError:  # another receipt created the same batch a moment ago
            lot = session.scalar(select(Lot).where(Lot.item_id == item.id,
                                                   Lot.batch_no == batch_no))
    if expires_on is not None and lot.expires_on != expires_on:
        raise errors.LotMismatch(lot=batch_no, item=item.name_id,
                                 expires_on=lot.expires_on or "-",
                                 field=f"lines.{index}.expires_on")
    return lot
