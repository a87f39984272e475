"""What needs a keeper's attention: expiring lots, items under minimum, days of cover left,
transfer shortfalls not yet settled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import func, select

from logistics.stock import queries
from logistics.stock.documents import Document, DocumentKind
from logistics.stock.ledger_tables import Movement, StockBalance, StockTotal
from logistics.stock.models import Item, Lot, MinimumLevel, Warehouse

EXPIRY_WINDOWS = (30, 60, 90)
ISSUE_RATE_DAYS = 30  # days of history behind "days of cover"
SHORTFALLS_LISTED = 50  # the oldest; queries.open_shortfalls pages through all of them


class Level(StrEnum):
    """A warehouse's colour on the list: red needs action today, amber this month."""

    OK = "ok"
    WARNING = "warning"
    DANGER = "danger"


@dataclass
class ExpiringLot:
    warehouse: Warehouse
    item: Item
    lot: Lot
    qty: int
    days_left: int

    @property
    def window(self) -> int | None:
        """0 for expired, else the smallest of 30/60/90 days it falls in."""
        if self.days_left < 0:
            return 0
        return next((w for w in EXPIRY_WINDOWS if self.days_left <= w), None)


@dataclass
class LowItem:
    warehouse: Warehouse
    item: Item
    on_hand: int
    min_qty: int


@dataclass
class Cover:
    warehouse: Warehouse
    item: Item
    on_hand: int
    issued_per_day: float

    @property
    def days(self) -> float | None:
        return None if not self.issued_per_day else self.on_hand / self.issued_per_day


def expiring_lots(session, *, today: date, warehouse_id: int | None = None,
                  within_days: int = EXPIRY_WINDOWS[-1]) -> list[ExpiringLot]:
    """Lots on hand that expired or expire within ``within_days``, soonest first."""
    query = (select(StockBalance.qty, Warehouse, Item, Lot)
             .join(Warehouse, Warehouse.id == StockBalance.warehouse_id)
             .join(Item, Item.id == StockBalance.item_id)
             .join(Lot, Lot.id == StockBalance.lot_id)
             .where(StockBalance.qty > 0, StockBalance.is_in_transit.is_(False),
                    Lot.expires_on.is_not(None),
                    Lot.expires_on <= today + timedelta(days=within_days))
             .order_by(Lot.expires_on, Warehouse.name, Item.code))
    if warehouse_id is not None:
        query = query.where(StockBalance.warehouse_id == warehouse_id)
    return [ExpiringLot(w, i, lot, qty, (lot.expires_on - today).days)
            for qty, w, i, lot in session.execute(query)]


def items_under_minimum(session, *, warehouse_id: int | None = None) -> list[LowItem]:
    on_hand = func.coalesce(StockTotal.qty, 0)
    query = (select(MinimumLevel.min_qty, on_hand, Warehouse, Item)
             .join(Warehouse, Warehouse.id == MinimumLevel.warehouse_id)
             .join(Item, Item.id == MinimumLevel.item_id)
             .outerjoin(StockTotal, (StockTotal.warehouse_id == MinimumLevel.warehouse_id)
                        & (StockTotal.item_id == MinimumLevel.item_id)
                        & StockTotal.is_in_transit.is_(False))
             .where(on_hand < MinimumLevel.min_qty, Warehouse.is_active.is_(True))
             .order_by(Warehouse.name, Item.code))
    if warehouse_id is not None:
        query = query.where(MinimumLevel.warehouse_id == warehouse_id)
    return [LowItem(w, i, qty, min_qty) for min_qty, qty, w, i in session.execute(query)]


def days_of_cover(session, *, today: date, warehouse_id: int | None = None) -> list[Cover]:
    """On hand divided by the average daily issue of the last 30 days, for items that moved."""
    since = today - timedelta(days=ISSUE_RATE_DAYS)
    issued = (select(Movement.warehouse_id, Movement.item_id,
                     func.sum(-Movement.qty).label("issued"))
              .join(Document, Document.id == Movement.document_id)
              .where(Document.kind == DocumentKind.ISSUE, Document.document_date > since,
                     Movement.is_in_transit.is_(False))
              .group_by(Movement.warehouse_id, Movement.item_id))
    if warehouse_id is not None:
        issued = issued.where(Movement.warehouse_id == warehouse_id)
    issued = issued.subquery()
    query = (select(issued.c.issued, func.coalesce(StockTotal.qty, 0), Warehouse, Item)
             .join(Warehouse, Warehouse.id == issued.c.warehouse_id)
             .join(Item, Item.id == issued.c.item_id)
             .outerjoin(StockTotal, (StockTotal.warehouse_id == issued.c.warehouse_id)
                        & (StockTotal.item_id == issued.c.item_id)
                        & StockTotal.is_in_transit.is_(False)))
    covers = [Cover(w, i, on_hand, total / ISSUE_RATE_DAYS)
              for total, on_hand, w, i in session.execute(query) if total > 0]
    covers.sort(key=lambda cover: (cover.days is None, cover.days or 0))
    return covers


def open_shortfalls(session, *, warehouse_id: int | None = None,
                    limit: int = SHORTFALLS_LISTED) -> list[queries.Shortfall]:
    """Lots of received transfers that neither arrived nor were written off, oldest first:
    each waits for an adjustment (with the transfer) at the receiving warehouse."""
    return queries.open_shortfalls(session, warehouse_id=warehouse_id, limit=limit)


def warehouse_levels(session, *, today: date) -> dict[int, Level]:
    """Red: expired stock on the shelf or an item out below its minimum. Amber: under minimum,
    a lot expiring within 30 days, or a transfer shortfall left open. Green otherwise."""
    levels: dict[int, Level] = {}

    def raise_to(warehouse_id: int, level: Level) -> None:
        order = list(Level)
        if order.index(level) > order.index(levels.get(warehouse_id, Level.OK)):
            levels[warehouse_id] = level

    for lot in expiring_lots(session, today=today, within_days=EXPIRY_WINDOWS[0]):
        raise_to(lot.warehouse.id, Level.DANGER if lot.days_left < 0 else Level.WARNING)
    for low in items_under_minimum(session):
        raise_to(low.warehouse.id, Level.DANGER if low.on_hand == 0 else Level.WARNING)
    for shortfall in queries.open_shortfalls(session, limit=None):
        raise_to(shortfall.transfer.to_warehouse_id, Level.WARNING)
    return levels


STALE_COUNT_DAYS = 90  # a warehouse holding stock should be counted at least once a quarter


@dataclass
class StaleCount:
    warehouse: Warehouse
    last_counted: date | None  # None: never counted


def stale_counts(session, *, today: date, warehouse_id: int | None = None,
                 older_than_days: int = STALE_COUNT_DAYS) -> list[StaleCount]:
    """Active warehouses with stock on the shelf whose last count is older than
    ``older_than_days`` (or that were never counted), the longest uncounted first."""
    last = (select(Document.warehouse_id, func.max(Document.document_date).label("last"))
            .where(Document.kind == DocumentKind.COUNT)
            .group_by(Document.warehouse_id).subquery())
    holding = (select(StockTotal.warehouse_id)
               .where(StockTotal.qty > 0, StockTotal.is_in_transit.is_(False)))
    query = (select(Warehouse, last.c.last)
             .outerjoin(last, last.c.warehouse_id == Warehouse.id)
             .where(Warehouse.is_active.is_(True), Warehouse.id.in_(holding),
                    (last.c.last.is_(None))
                    | (last.c.last < today - timedelta(days=older_than_days)))
             .order_by(last.c.last.is_not(None), last.c.last, Warehouse.name))
    if warehouse_id is not None:
        query = query.where(Warehouse.id == warehouse_id)
    return [StaleCount(w, counted) for w, counted in session.execute(query)]


def on_hand_elsewhere(session, item_ids) -> dict[int, list[tuple[Warehouse, int]]]:
    """Per item, the active warehouses holding it and how much, the most first: where a
    transfer towards a warehouse under its minimum can come from."""
    found: dict[int, list[tuple[Warehouse, int]]] = {}
    if not item_ids:
        return found
    query = (select(StockTotal.item_id, StockTotal.qty, Warehouse)
             .join(Warehouse, Warehouse.id == StockTotal.warehouse_id)
             .where(StockTotal.item_id.in_(set(item_ids)), StockTotal.qty > 0,
                    StockTotal.is_in_transit.is_(False), Warehouse.is_active.is_(True))
             .order_by(StockTotal.item_id, StockTotal.qty.desc(), Warehouse.name))
    for item_id, qty, warehouse in session.execute(query):
        found.setdefault(item_id, []).append((warehouse, qty))
    return found


def where_needed(session, *, today: date, item_ids) -> dict[int, list[int]]:
    """Per item, the warehouses that will use it first: those under their minimum, then
    those releasing it fastest over the last 30 days. Where an expiring lot should go."""
    needed: dict[int, list[int]] = {}
    if not item_ids:
        return needed
    item_ids = set(item_ids)
    for low in items_under_minimum(session):
        if low.item.id in item_ids:
            needed.setdefault(low.item.id, []).append(low.warehouse.id)
    since = today - timedelta(days=ISSUE_RATE_DAYS)
    issued = (select(Movement.item_id, Movement.warehouse_id)
              .join(Document, Document.id == Movement.document_id)
              .join(Warehouse, Warehouse.id == Movement.warehouse_id)
              .where(Document.kind == DocumentKind.ISSUE, Document.document_date > since,
                     Movement.is_in_transit.is_(False), Movement.item_id.in_(item_ids),
                     Warehouse.is_active.is_(True))
              .group_by(Movement.item_id, Movement.warehouse_id)
              .order_by(Movement.item_id, func.sum(Movement.qty), Movement.warehouse_id))
    for item_id, warehouse_id in session.execute(issued):
        if warehouse_id not in needed.setdefault(item_id, []):
            needed[item_id].append(warehouse_id)
    return needed
