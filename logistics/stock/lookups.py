"""Load-or-fail helpers for the verbs: each names the form field that was wrong."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from logistics.core.fields import QTY_MAX
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
        qty = line["packs"] * pack.base_qty
        if qty > QTY_MAX:  # each factor is in range; their product need not be
            raise errors.LineTooLarge(packs=line["packs"], pack=pack.name, size=pack.base_qty,
                                      qty=qty, field=f"lines.{index}.packs")
        return qty
    return line["qty"]


def receiving_lots(session, items: list[Item], lines: list[dict], *, source, donor_name,
                   received_on, number) -> list[Lot]:
    """The lot of each receipt line: the batch it names, found or created, else a new one.

    Lines without a batch of one item and one expiry share a lot named after the receipt
    (``number``); each further expiry gets ``number-2``, ``number-3``... skipping any batch
    already in use, so a generated lot never meets another. Lots are created in (item, batch)
    order, the order every receipt takes their locks in, before any balance is touched.
    """
    pairs = list(zip(items, lines, strict=True))
    typed = {(item.id, (line.get("batch_no") or "").strip()) for item, line in pairs}
    generated: dict[tuple, str] = {}  # (item id, expiry) -> batch
    wanted: dict[tuple, date | None] = {}  # (item id, batch) -> expiry of a lot made for it
    keys = []
    for index, (item, line) in enumerate(pairs):
        expires_on = line.get("expires_on")
        if item.is_perishable and expires_on is None:
            raise errors.ExpiryRequired(item=item.name_id, field=f"lines.{index}.expires_on")
        batch_no = (line.get("batch_no") or "").strip()
        if not batch_no:
            if (item.id, expires_on) not in generated:
                generated[(item.id, expires_on)] = _free_batch(
                    session, item, number, taken=typed | set(wanted))
            batch_no = generated[(item.id, expires_on)]
        if wanted.get((item.id, batch_no)) is None:
            wanted[(item.id, batch_no)] = expires_on
        keys.append((item.id, batch_no))
    made_up = {(item_id, batch_no) for (item_id, _), batch_no in generated.items()}
    lots = {key: _find_or_create_lot(session, *key, expires_on=wanted[key],
                                     is_generated=key in made_up, source=source,
                                     donor_name=donor_name, received_on=received_on)
            for key in sorted(wanted)}
    for index, ((item, line), key) in enumerate(zip(pairs, keys, strict=True)):
        expires_on, lot = line.get("expires_on"), lots[key]
        if expires_on is not None and lot.expires_on != expires_on:
            raise errors.LotMismatch(lot=lot.batch_no, item=item.name_id,
                                     expires_on=lot.expires_on or "-",
                                     field=f"lines.{index}.expires_on")
    return [lots[key] for key in keys]


def _free_batch(session, item: Item, number: str, *, taken: set) -> str:
    """``number``, else ``number-2``, ``number-3``...: the first not in use for this item."""
    batch_no, count = number, 1
    while (item.id, batch_no) in taken or session.scalar(select(Lot.id).where(
            Lot.item_id == item.id, Lot.batch_no == batch_no)) is not None:
        count += 1
        batch_no = f"{number}-{count}"
    return batch_no


def _find_or_create_lot(session, item_id, batch_no, *, expires_on, is_generated, **fields) -> Lot:
    lot = None if is_generated else session.scalar(
        select(Lot).where(Lot.item_id == item_id, Lot.batch_no == batch_no))
    if lot is not None:
        return lot
    try:
        with session.begin_nested():
            lot = Lot(item_id=item_id, batch_no=batch_no, expires_on=expires_on, **fields)
            session.add(lot)
            session.flush()
    except IntegrityError as clash:  # another receipt created the same batch a moment ago
        if is_generated:
            raise errors.BatchTaken(lot=batch_no) from clash
        lot = session.scalar(select(Lot).where(Lot.item_id == item_id, Lot.batch_no == batch_no))
    return lot
