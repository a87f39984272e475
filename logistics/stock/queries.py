"""Read stock: balances, stock cards, documents, transfers in transit. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from logistics.stock.documents import Document, DocumentKind, TransferStatus
from logistics.stock.errors import UnknownDocument, UnknownItem, UnknownWarehouse
from logistics.stock.ledger_tables import Movement, StockBalance, StockTotal
from logistics.stock.models import Item, Lot, MinimumLevel, Warehouse


def get_warehouse(session, warehouse_id: int) -> Warehouse:
    warehouse = session.get(Warehouse, warehouse_id)
    if warehouse is None:
        raise UnknownWarehouse()
    return warehouse


def get_document(session, document_id: int) -> Document:
    document = session.get(Document, document_id, options=[selectinload(Document.movements)])
    if document is None:
        raise UnknownDocument()
    return document


def list_warehouses(session, *, include_inactive: bool = False) -> list[Warehouse]:
    query = select(Warehouse).order_by(Warehouse.kind, Warehouse.name)
    if not include_inactive:
        query = query.where(Warehouse.is_active.is_(True))
    return list(session.scalars(query))


def list_items(session, *, search: str | None = None, category: str | None = None,
               after: str | None = None, limit: int = 50) -> list[Item]:
    """Catalogue items by code; ``search`` matches code or either name."""
    query = select(Item).options(selectinload(Item.packs)).order_by(Item.code).limit(limit)
    if search:
        term = search.strip().lower()
        query = query.where(or_(func.lower(Item.name_id).contains(term, autoescape=True),
                                func.lower(Item.name_en).contains(term, autoescape=True),
                                func.lower(Item.code).contains(term, autoescape=True)))
    if category:
        query = query.where(Item.category == category)
    if after:
        query = query.where(Item.code > after)
    return list(session.scalars(query))


def lot_balance(session, warehouse_id: int, lot_id: int) -> int:
    return session.scalar(select(StockBalance.qty).where(
        StockBalance.warehouse_id == warehouse_id, StockBalance.lot_id == lot_id,
        StockBalance.is_in_transit.is_(False))) or 0


def item_on_hand(session, warehouse_id: int, item_id: int) -> int:
    """One primary-key lookup: the figure a keeper checks before every release."""
    return session.scalar(select(StockTotal.qty).where(
        StockTotal.warehouse_id == warehouse_id, StockTotal.item_id == item_id,
        StockTotal.is_in_transit.is_(False))) or 0


def on_hand_per_item(session, warehouse_id: int) -> dict[int, int]:
    """What each item has on this warehouse's shelves (not in transit), items with none left out:
    the figure a release or transfer form shows beside each item."""
    return dict(session.execute(select(StockTotal.item_id, StockTotal.qty).where(
        StockTotal.warehouse_id == warehouse_id, StockTotal.is_in_transit.is_(False),
        StockTotal.qty > 0)).all())


def lots_on_hand(session, warehouse_id: int, item_id: int | None = None) -> list[tuple]:
    """(balance, lot) pairs with stock here, first expiry first: the lot picker's list."""
    query = (select(StockBalance, Lot).join(Lot, Lot.id == StockBalance.lot_id)
             .where(StockBalance.warehouse_id == warehouse_id,
                    StockBalance.is_in_transit.is_(False), StockBalance.qty > 0)
             .order_by(StockBalance.item_id, Lot.expires_on.is_(None), Lot.expires_on, Lot.id))
    if item_id is not None:
        query = query.where(StockBalance.item_id == item_id)
    return [tuple(row) for row in session.execute(query)]


def stock_card(session, warehouse_id: int, item_id: int, *, after: int | None = None,
               limit: int = 50, oldest_first: bool = False) -> list[Movement]:
    """Kartu stok: the item's lines here, each with the balance it left.

    Newest first by default; ``oldest_first`` is the paper card's order, top to bottom as the
    keeper wrote it. Either way ``after`` is the last line id of the previous page. Each line
    comes with what names its other party (dari/kepada): the lot's source and donor, the
    document's warehouses, the transfer a receipt completes, the document a reversal undoes.
    """
    document = selectinload(Movement.document)
    query = (select(Movement)
             .options(selectinload(Movement.lot),
                      document.selectinload(Document.warehouse),
                      document.selectinload(Document.to_warehouse),
                      document.selectinload(Document.transfer)
                      .selectinload(Document.warehouse),
                      document.selectinload(Document.reverses))
             .where(Movement.warehouse_id == warehouse_id, Movement.item_id == item_id,
                    Movement.is_in_transit.is_(False))
             .order_by(Movement.id if oldest_first else Movement.id.desc()).limit(limit))
    if after is not None:
        query = query.where(Movement.id > after if oldest_first else Movement.id < after)
    return list(session.scalars(query))


def stock_on_hand(session, *, warehouse_id: int | None = None) -> list[dict]:
    """Per warehouse and item: on hand, in transit towards it, and its minimum."""
    query = (select(StockTotal.warehouse_id, StockTotal.item_id, StockTotal.is_in_transit,
                    StockTotal.qty).where(StockTotal.qty > 0))
    if warehouse_id is not None:
        query = query.where(StockTotal.warehouse_id == warehouse_id)
    rows: dict[tuple, dict] = defaultdict(lambda: {"on_hand": 0, "in_transit": 0,
                                                   "min_qty": None})
    for wid, iid, in_transit, qty in session.execute(query):
        rows[(wid, iid)]["in_transit" if in_transit else "on_hand"] += qty
    minimums = select(MinimumLevel)
    if warehouse_id is not None:
        minimums = minimums.where(MinimumLevel.warehouse_id == warehouse_id)
    for level in session.scalars(minimums):
        rows[(level.warehouse_id, level.item_id)]["min_qty"] = level.min_qty
    warehouses = {w.id: w for w in session.scalars(select(Warehouse))}
    items = {i.id: i for i in session.scalars(select(Item))}
    result = [{"warehouse": warehouses[wid], "item": items[iid], **figures}
              for (wid, iid), figures in rows.items()]
    result.sort(key=lambda row: (row["warehouse"].name, row["item"].code))
    return result


def list_documents(session, *, warehouse_id: int | None = None, kind: str | None = None,
                   status: str | None = None, incoming_to: int | None = None,
                   after: int | None = None, limit: int = 50) -> list[Document]:
    """Documents newest first, by id; ``incoming_to`` lists transfers heading to a warehouse."""
    query = select(Document).order_by(Document.id.desc()).limit(limit)
    if warehouse_id is not None:
        query = query.where(Document.warehouse_id == warehouse_id)
    if incoming_to is not None:
        query = query.where(Document.to_warehouse_id == incoming_to)
    if kind:
        query = query.where(Document.kind == kind)
    if status:
        query = query.where(Document.status == status)
    if after is not None:
        query = query.where(Document.id < after)
    return list(session.scalars(query))


def reversal_of(session, document: Document) -> Document | None:
    return session.scalar(select(Document).where(Document.reverses_id == document.id))


def sent_per_lot(session, transfer: Document) -> dict[int, int]:
    """What a transfer put in transit, per lot."""
    rows = session.execute(
        select(Movement.lot_id, func.sum(Movement.qty))
        .where(Movement.document_id == transfer.id, Movement.is_in_transit.is_(True),
               Movement.qty > 0)
        .group_by(Movement.lot_id)
    )
    return dict(rows.all())


def transfer_shortfall(session, transfer: Document) -> dict[int, int]:
    """Per lot, what a received transfer still has in transit: the open discrepancy."""
    related = select(Document.id).where(or_(Document.id == transfer.id,
                                            Document.transfer_id == transfer.id))
    reversals = select(Document.id).where(Document.reverses_id.in_(related))
    rows = session.execute(
        select(Movement.lot_id, func.sum(Movement.qty))
        .where(Movement.is_in_transit.is_(True),
               or_(Movement.document_id.in_(related), Movement.document_id.in_(reversals)))
        .group_by(Movement.lot_id)
    )
    return {lot_id: qty for lot_id, qty in rows if qty}


@dataclass
class Shortfall:
    """One lot of a received transfer that did not all arrive and is not all written off."""

    transfer: Document
    lot: Lot
    item: Item
    sent: int
    arrived: int
    written_off: int
    open: int

    @property
    def key(self) -> tuple[int, int]:
        return (self.transfer.id, self.lot.id)

    @property
    def cursor(self) -> str:
        return f"{self.transfer.id}:{self.lot.id}"


def open_shortfalls(session, *, warehouse_id: int | None = None,
                    after: tuple[int, int] | None = None,
                    limit: int | None = 50) -> list[Shortfall]:
    """Received transfers' lots still partly in transit, oldest transfer first; ``warehouse_id``
    is the receiving warehouse, ``after`` a previous row's ``key``.

    Every figure comes from the in-transit lines at the destination: the transfer put ``sent``
    there, its receipts took ``arrived`` out, its settlements ``written_off``; reversals count
    against what they undo. Only lots still in transit there are read at all.
    """
    line_document, undone = aliased(Document), aliased(Document)
    kind = func.coalesce(undone.kind, line_document.kind)  # a reversal counts as what it undoes
    transfer_id = case((line_document.kind == DocumentKind.TRANSFER, line_document.id),
                       else_=func.coalesce(line_document.transfer_id, undone.transfer_id))

    def part(of_kind):
        return func.sum(case((kind == of_kind, Movement.qty), else_=0))

    lines = (
        select(transfer_id.label("transfer_id"), Movement.lot_id,
               part(DocumentKind.TRANSFER).label("sent"),
               (-part(DocumentKind.TRANSFER_RECEIPT)).label("arrived"),
               (-part(DocumentKind.ADJUSTMENT)).label("written_off"),
               func.sum(Movement.qty).label("open"))
        .join(line_document, line_document.id == Movement.document_id)
        .outerjoin(undone, undone.id == line_document.reverses_id)
        .join(StockBalance, and_(StockBalance.warehouse_id == Movement.warehouse_id,
                                 StockBalance.is_in_transit.is_(True),
                                 StockBalance.item_id == Movement.item_id,
                                 StockBalance.lot_id == Movement.lot_id, StockBalance.qty > 0))
        .where(Movement.is_in_transit.is_(True))
        .group_by(transfer_id, Movement.lot_id)
    )
    if warehouse_id is not None:
        lines = lines.where(Movement.warehouse_id == warehouse_id)
    lines = lines.subquery()
    query = (
        select(Document, Lot, Item, lines.c.sent, lines.c.arrived, lines.c.written_off,
               lines.c.open)
        .join(lines, lines.c.transfer_id == Document.id)
        .join(Lot, Lot.id == lines.c.lot_id)
        .join(Item, Item.id == Lot.item_id)
        .where(Document.kind == DocumentKind.TRANSFER, Document.status == TransferStatus.RECEIVED,
               lines.c.open > 0)
        .options(selectinload(Document.warehouse), selectinload(Document.to_warehouse))
        .order_by(Document.id, Lot.id)
        .limit(limit)
    )
    if after is not None:
        query = query.where(or_(Document.id > after[0],
                                and_(Document.id == after[0], Lot.id > after[1])))
    return [Shortfall(*row) for row in session.execute(query)]



def get_item(session, item_id: int) -> Item:
    item = session.get(Item, item_id)
    if item is None:
        raise UnknownItem(item=item_id, field="item_id")
    return item
